export const MIN_PASSWORD_LENGTH = 12
export const MAX_PASSWORD_LENGTH = 1024

export type PasswordProblem = 'password.tooShort' | 'password.tooLong' | 'password.common' | 'password.sameAsEmail'

/**
 * What is wrong with a new password, or null. Length counts characters, not bytes, so a
 * passphrase in any script counts fairly; the common list is matched case-insensitively.
 */
export function passwordProblem(password: string, common: ReadonlySet<string>, email = ''): PasswordProblem | null {
  const length = [...password].length
  if (length < MIN_PASSWORD_LENGTH) return 'password.tooShort'
  if (length > MAX_PASSWORD_LENGTH) return 'password.tooLong'
  const lower = password.toLowerCase()
  if (common.has(lower)) return 'password.common'
  if (email !== '' && lower === email.trim().toLowerCase()) return 'password.sameAsEmail'
  return null
}
