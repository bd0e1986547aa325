/** Audit actions that are security events: shown on the security page, some mailed to admins. */
export const SECURITY_ACTIONS = [
  'login.failed.locked',
  'security.login-burst',
  'security.code-guessing',
  'security.code-lockout',
  'security.forbidden',
  'security.second-factor-lockout',
] as const
export type SecurityAction = (typeof SECURITY_ACTIONS)[number]

/** Bursts worth an e-mail to admins when SMTP is configured. */
export const MAILED_ACTIONS: ReadonlySet<string> = new Set([
  'security.login-burst',
  'security.code-guessing',
  'security.second-factor-lockout',
])

/** Events about one account that its owner is told of too: someone knows their password. */
export const TOLD_TO_OWNER: ReadonlySet<string> = new Set(['security.second-factor-lockout'])

export const SECURITY_LIMITS = {
  /** Failed logins across all accounts in the window that make a burst. */
  loginBurst: 20,
  loginWindowMs: 10 * 60 * 1000,
  /** Refused official requests recorded per address in the window; more would only flood the log. */
  forbiddenPerAddress: 10,
  forbiddenWindowMs: 10 * 60 * 1000,
} as const

/** Which paths never go into a shared cache: official pages, and pages with contact details, a status token or a ballot. */
export function isPrivatePath(path: string): boolean {
  return (
    /^\/(official|login|status|receipts|follow|conversation)(\/|$)/.test(path) ||
    /^\/rounds\/[^/]+\/vote(\/|$)/.test(path)
  )
}
