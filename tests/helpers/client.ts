import type { FastifyInstance, LightMyRequestResponse } from 'fastify'

let addresses = 0

/**
 * An address no other client of this test file has had (172.16.0.1, 172.16.0.2, …), so no test
 * runs into a limit per address that another test used up. Tests that give addresses themselves
 * use 10.x.x.x, which this never gives.
 */
export function nextAddress(): string {
  const n = ++addresses
  return `172.${16 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`
}

/**
 * A person with a browser, over app.inject: keeps cookies, and fills in the
 * CSRF token from the last page it read, as a real form would. Each visitor
 * comes from an address of its own unless the test gives one.
 */
export class Visitor {
  private cookies = new Map<string, string>()
  private csrf = ''

  constructor(
    private readonly app: FastifyInstance,
    readonly ip = nextAddress(),
  ) {}

  private remember(response: LightMyRequestResponse) {
    for (const cookie of response.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = cookie.maxAge === 0 || (cookie.expires !== undefined && cookie.expires.getTime() < Date.now())
      if (expired || cookie.value === '') this.cookies.delete(cookie.name)
      else this.cookies.set(cookie.name, cookie.value)
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)
    if (token?.[1]) this.csrf = token[1]
    return response
  }

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  /** The form token of the last page read, as a page's hidden `_csrf` field holds it. */
  get formToken(): string {
    return this.csrf
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name)
  }

  async get(url: string, headers: Record<string, string> = {}) {
    return this.remember(
      await this.app.inject({
        method: 'GET',
        url,
        remoteAddress: this.ip,
        headers: { cookie: this.cookieHeader, ...headers },
      }),
    )
  }

  /** Posts a form; `_csrf` is the token of the last page read unless the form gives its own (or null for none). */
  async post(url: string, form: Record<string, string | string[] | null>, headers: Record<string, string> = {}) {
    const body = new URLSearchParams()
    const fields: Record<string, string | string[] | null> = { _csrf: this.csrf, ...form }
    for (const [key, value] of Object.entries(fields)) {
      if (value === null) continue
      for (const v of Array.isArray(value) ? value : [value]) body.append(key, v)
    }
    return this.remember(
      await this.app.inject({
        method: 'POST',
        url,
        remoteAddress: this.ip,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookieHeader, ...headers },
        payload: body.toString(),
      }),
    )
  }

  /**
   * Posts a form with files as a browser's multipart form does; `_csrf` as `post` fills it. A file
   * is its bytes with the name and type the browser would claim: neither is trusted by the server.
   */
  async postMultipart(
    url: string,
    form: Record<string, string | string[] | null>,
    files: Record<string, { bytes: Buffer; filename?: string; type?: string }> = {},
    headers: Record<string, string> = {},
  ) {
    const boundary = `----wijkbudget${Math.random().toString(16).slice(2)}`
    const parts: Buffer[] = []
    const fields: Record<string, string | string[] | null> = { _csrf: this.csrf, ...form }
    for (const [key, value] of Object.entries(fields)) {
      if (value === null) continue
      for (const v of Array.isArray(value) ? value : [value])
        parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${key}"\r\n\r\n${v}\r\n`))
    }
    for (const [key, file] of Object.entries(files)) {
      const head =
        `--${boundary}\r\nContent-Disposition: form-data; name="${key}"; filename="${file.filename ?? 'photo.jpg'}"\r\n` +
        `Content-Type: ${file.type ?? 'image/jpeg'}\r\n\r\n`
      parts.push(Buffer.from(head), file.bytes, Buffer.from('\r\n'))
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`))
    return this.remember(
      await this.app.inject({
        method: 'POST',
        url,
        remoteAddress: this.ip,
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          cookie: this.cookieHeader,
          ...headers,
        },
        payload: Buffer.concat(parts),
      }),
    )
  }

  /** The same browser (cookies, last form token, address) talking to another app instance behind the same load balancer. */
  on(app: FastifyInstance): Visitor {
    const other = new Visitor(app, this.ip)
    other.cookies = this.cookies
    other.csrf = this.csrf
    return other
  }
}
