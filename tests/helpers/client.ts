import type { FastifyInstance, LightMyRequestResponse } from 'fastify'

/**
 * A person with a browser, over app.inject: keeps cookies, and fills in the
 * CSRF token from the last page it read, as a real form would.
 */
export class Visitor {
  private cookies = new Map<string, string>()
  private csrf = ''

  constructor(
    private readonly app: FastifyInstance,
    private readonly ip = '127.0.0.1',
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

  /** The same browser (cookies, last form token, address) talking to another app instance behind the same load balancer. */
  on(app: FastifyInstance): Visitor {
    const other = new Visitor(app, this.ip)
    other.cookies = this.cookies
    other.csrf = this.csrf
    return other
  }

  async login(email: string, password: string) {
    await this.get('/login')
    return this.post('/login', { email, password })
  }
}
