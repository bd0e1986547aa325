/** The secrets every bench server runs with: the load generator signs cookies and hashes codes with the same ones. */
export const SECRETS = {
  sessionSecret: 'bench-session-secret-at-least-32-characters',
  codeKey: 'bench-code-key-that-is-at-least-32-characters',
}
