import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

/**
 * Encrypts small secrets at rest (officials' TOTP secrets) with AES-256-GCM under a key derived
 * from SESSION_SECRET by HKDF: a copy of the database alone does not give anyone's second factor.
 * Changing SESSION_SECRET therefore means officials enrol their authenticator again.
 */
export class SecretBox {
  private readonly key: Buffer

  constructor(masterSecret: string, purpose = 'wijkbudget totp secret v1') {
    this.key = Buffer.from(hkdfSync('sha256', masterSecret, '', purpose, 32))
  }

  seal(plain: string): string {
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv)
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join(
      '.',
    )
  }

  /** Throws when the text was not sealed with this key or was altered. */
  open(sealed: string): string {
    const [version, iv, tag, body] = sealed.split('.')
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed secret')
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
  }
}
