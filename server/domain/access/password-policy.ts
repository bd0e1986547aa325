export const MIN_PASSWORD_LENGTH = 12
export const MAX_PASSWORD_LENGTH = 1024
/** zxcvbn's scale: 3 is "safely unguessable" for an online attack with throttling, as sign-in has. */
export const MIN_PASSWORD_SCORE = 3

/** What a strength estimator says: a score from 0 to 4 and the pattern that made it weak, if one did. */
export interface Strength {
  score: number
  warning: string | null
}

export type PasswordProblem =
  | 'password.tooShort'
  | 'password.tooLong'
  | 'password.sameAsEmail'
  | 'password.common'
  | 'password.personal'
  | 'password.pattern'
  | 'password.dates'
  | 'password.words'
  | 'password.weak'

/** The estimator's warnings, told to the official in fewer and plainer words. */
const REASONS: Record<string, PasswordProblem> = {
  topTen: 'password.common',
  topHundred: 'password.common',
  common: 'password.common',
  similarToCommon: 'password.common',
  pwned: 'password.common',
  userInputs: 'password.personal',
  straightRow: 'password.pattern',
  keyPattern: 'password.pattern',
  simpleRepeat: 'password.pattern',
  extendedRepeat: 'password.pattern',
  sequences: 'password.pattern',
  recentYears: 'password.dates',
  dates: 'password.dates',
  wordByItself: 'password.words',
  namesByThemselves: 'password.words',
  commonNames: 'password.words',
}

/**
 * What is wrong with a new password, or null. Length counts characters, not bytes, so a
 * passphrase in any script counts fairly; then a strength estimator (given the site's and the
 * official's own names) must find it hard to guess, and its reason is passed on when it does not.
 */
export function passwordProblem(
  password: string,
  strength: (password: string) => Strength,
  email = '',
): PasswordProblem | null {
  const length = [...password].length
  if (length < MIN_PASSWORD_LENGTH) return 'password.tooShort'
  if (length > MAX_PASSWORD_LENGTH) return 'password.tooLong'
  if (email !== '' && password.toLowerCase() === email.trim().toLowerCase()) return 'password.sameAsEmail'
  const { score, warning } = strength(password)
  if (score >= MIN_PASSWORD_SCORE) return null
  return REASONS[warning ?? ''] ?? 'password.weak'
}
