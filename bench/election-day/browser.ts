/**
 * A simulated phone or desktop: its own cookies, the form token of the last page it read, its own
 * address (sent as X-Forwarded-For, which HAProxy passes on), and a language. Every request it makes
 * is recorded for the figures.
 */
import type http from 'node:http'
import { send } from '../http.js'

export interface Sample {
  kind: string
  method: string
  /** 0 when no answer came (the connection failed). */
  status: number
  ms: number
  /** Milliseconds since the day began, when the request went out. */
  at: number
  retryAfter: boolean
}

export interface Answer {
  status: number
  location: string
  body: string
}

export class Browser {
  private readonly cookies = new Map<string, string>()
  private csrf = ''

  constructor(
    private readonly base: string,
    private readonly agent: http.Agent,
    private readonly address: string,
    private readonly lang: string,
    private readonly samples: Sample[],
    private readonly started: number,
  ) {}

  get(path: string, kind: string): Promise<Answer> {
    return this.request('GET', path, kind)
  }

  /** Posts a form with the form token of the last page read. */
  post(path: string, kind: string, fields: [string, string][]): Promise<Answer> {
    const body = new URLSearchParams([['_csrf', this.csrf], ...fields]).toString()
    return this.request('POST', path, kind, body)
  }

  private async request(method: string, path: string, kind: string, body?: string): Promise<Answer> {
    const headers: Record<string, string> = {
      'x-forwarded-for': this.address,
      'accept-language': this.lang,
      cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    }
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded'
    const at = performance.now()
    const sample = { kind, method, status: 0, ms: 0, at: at - this.started, retryAfter: false }
    try {
      const reply = await send(`${this.base}${path}`, { method, headers, body, agent: this.agent })
      sample.status = reply.status
      sample.retryAfter = reply.headers['retry-after'] !== undefined
      for (const line of reply.headers['set-cookie'] ?? []) {
        const [pair] = line.split(';')
        const eq = pair!.indexOf('=')
        const [name, value] = [pair!.slice(0, eq), pair!.slice(eq + 1)]
        if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name)
        else this.cookies.set(name, value)
      }
      const text = reply.body.toString('utf8')
      const token = /name="_csrf" value="([^"]+)"/.exec(text)?.[1]
      if (token) this.csrf = token
      return { status: reply.status, location: String(reply.headers.location ?? ''), body: text }
    } catch {
      return { status: 0, location: '', body: '' }
    } finally {
      sample.ms = performance.now() - at
      this.samples.push(sample)
    }
  }
}
