import type { InjectOptions } from 'fastify'
import type { Visitor } from './client.js'
import type { Route } from './fuzz-routes.js'

export type Fields = Record<string, string | string[]>

/** What a probe needs to make its request. */
export interface Target {
  route: Route
  /** The route's path with real things in it. */
  path: string
  /** Paths with hostile parameters (encoded slashes, dots, another round's ids, numbers out of range). */
  oddPaths: string[]
  /** The fields of the route's own form when it has one (as its page offers them), else common names. */
  fields: Fields
  visitor: Visitor
  /** A token of another browser's form: valid, but not this browser's. */
  foreignToken: string
  /** Picks one of several variants: the corpus takes them in turn, the long pass at random. */
  pick: <T>(choices: readonly T[]) => T
  /** Some text: from a fixed list in the corpus, generated in the long pass. */
  text: () => string
}

export interface Probe {
  name: string
  /** The requests to send, or none when the probe does not apply to the route. */
  requests(target: Target): InjectOptions[]
}

export const COMMON_FIELDS: Fields = {
  title: 'Titel',
  summary: 'Kort',
  description: 'Lang',
  cost: '2500',
  email: 'x@example.net',
  password: 'correct horse battery staple',
  code: 'ABCDE-FGHJK',
  text: 'Tekst',
  reason: 'Reden',
  lang: 'en',
  projects: '1',
  intent: 'submit',
  next: '/',
}

const FORM = 'application/x-www-form-urlencoded'
const LONG = 100_000
const NUMBERS = [
  '1e309',
  '-1',
  '99999999999999999999999',
  '2147483648',
  '1e3',
  'NaN',
  '0x10',
  '-0',
  '1.5',
  'Infinity',
] as const
const CONTROLS = ['a\u0000b', 'a\u202Eb\u202C', '\u2066x\u2069', '\u200B', 'x\u0007', '\uFEFF', '\uD800'] as const
const SEGMENTS = ['..%2F..%2Fofficial', '%2E%2E', '.', '%252F', 'a%5Cb', '%C0%AE', '%FF', '%E2%80%AE'] as const
/** Texts for the corpus's "any text" probe; the long pass generates its own. */
export const TEXTS = [
  '',
  ' ',
  '0',
  '-0',
  '٣',
  '𝟘',
  'a\u0301',
  '<script>',
  '{{x}}',
  "'; drop table x;--",
  '%s%n',
  '\r\n\t',
] as const
/** Bytes no UTF-8 text holds: raw, and percent-encoded as a form would send them. */
const BAD_BYTES = [[0xff, 0xfe], [0xc3], [0xed, 0xa0, 0x80], [0xc0, 0xae], [...Buffer.from('%FF%FE%C0%AE')]] as const
/** Where a link could try to send a browser after this page: nowhere but this site. */
const NEXTS = ['/.//evil.example', '/a/..//evil.example', '/%2e%2e//evil.example', '/./\\evil.example'] as const
const QUERIES = [
  'page=1e309&id=-1',
  'next=%2F%5Cevil.example&next=//evil.example',
  `q=${'x'.repeat(LONG)}`,
  'into=ar&done=approve&receipt=x&receipt=y',
  'lang[]=en&lang[]=nl&theme=green&theme=%E2%80%AE',
] as const

const encode = (fields: Fields) => {
  const body = new URLSearchParams()
  for (const [key, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(key, v)
  return body.toString()
}

const map = (fields: Fields, f: (value: string, name: string) => string | string[]): Fields =>
  Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, f([value].flat()[0] ?? '', name)]))

type Extra = Omit<Partial<InjectOptions>, 'headers'> & { headers?: Record<string, string> }

function request(t: Target, extra: Extra = {}): InjectOptions {
  return {
    method: t.route.method as InjectOptions['method'],
    url: t.path,
    remoteAddress: t.visitor.ip,
    ...extra,
    headers: { cookie: t.visitor.cookieHeader, ...extra.headers },
  }
}

/** A form post of `fields`, with this browser's token unless `token` says otherwise (null: none). */
function form(t: Target, fields: Fields, token: string | null = t.visitor.formToken, extra: Extra = {}) {
  const withToken = token === null ? fields : { _csrf: token, ...fields }
  return request(t, { headers: { 'content-type': FORM }, payload: encode(withToken), ...extra })
}

const posts = (t: Target) => t.route.method !== 'GET'
/** A probe of a request body: sent only to routes that read one. */
const onPosts =
  (requests: Probe['requests']): Probe['requests'] =>
  (t) =>
    posts(t) ? requests(t) : []

export const PROBES: Probe[] = [
  { name: 'as meant', requests: (t) => [posts(t) ? form(t, t.fields) : request(t)] },
  { name: 'HEAD', requests: (t) => (posts(t) ? [] : [request(t, { method: 'HEAD' })]) },
  { name: 'OPTIONS', requests: (t) => [request(t, { method: 'OPTIONS' })] },
  { name: 'PUT', requests: (t) => [form(t, t.fields, undefined, { method: 'PUT' })] },
  {
    name: 'odd query',
    requests: (t) => [
      request(t, { url: `${t.path}?next=${t.pick(NEXTS)}` }),
      request(t, { url: `${t.path}?${t.pick(QUERIES)}` }),
    ],
  },
  {
    name: 'odd path parameters',
    requests: (t) => {
      if (t.oddPaths.length === 0) return []
      const url = t.pick(t.oddPaths)
      return [posts(t) ? form(t, t.fields, undefined, { url }) : request(t, { url })]
    },
  },
  {
    name: 'encoded slashes and dots',
    requests: (t) =>
      t.route.url.includes(':')
        ? [request(t, { url: t.route.url.replace(/:\w+/g, t.pick(SEGMENTS)) })]
        : [request(t, { url: `${t.path}/..%2F..%2Fofficial` })],
  },
  {
    name: 'nested JSON',
    requests: onPosts((t) => [
      request(t, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': t.visitor.formToken },
        payload: '['.repeat(5000) + ']'.repeat(5000),
      }),
    ]),
  },
  {
    name: 'wrong or missing content type',
    requests: onPosts((t) =>
      [t.pick(['text/plain', 'multipart/form-data; boundary=x', 'application/xml', 'application/json', ''])].map(
        (type) =>
          request(t, {
            method: 'POST',
            headers: type ? { 'content-type': type } : {},
            payload: encode({ _csrf: t.visitor.formToken, ...t.fields }),
          }),
      ),
    ),
  },
  { name: 'huge body', requests: onPosts((t) => [form(t, { ...t.fields, pad: 'x'.repeat(1_100_000) })]) },
  {
    name: '100,000 characters',
    requests: onPosts((t) => {
      const name = t.pick([...Object.keys(t.fields), 'title'])
      return [form(t, { ...t.fields, [name]: t.pick(['é', 'x', '\u202E']).repeat(LONG) })]
    }),
  },
  {
    name: 'invalid UTF-8',
    requests: onPosts((t) => {
      const name = t.pick([...Object.keys(t.fields), 'title'])
      const text = Buffer.from(`_csrf=${t.visitor.formToken}&${encode(t.fields)}&${name}=`)
      return [form(t, t.fields, undefined, { payload: Buffer.concat([text, Buffer.from(t.pick(BAD_BYTES))]) })]
    }),
  },
  {
    name: 'control and bidi characters',
    requests: onPosts((t) => [
      form(
        t,
        map(t.fields, () => t.pick(CONTROLS)),
      ),
    ]),
  },
  {
    name: 'lists for values',
    requests: onPosts((t) => [
      form(
        t,
        map(t.fields, (v) => [v, v, '']),
      ),
    ]),
  },
  {
    name: 'numbers',
    requests: onPosts((t) => [
      form(
        t,
        map(t.fields, () => t.pick(NUMBERS)),
      ),
    ]),
  },
  {
    name: 'nested keys',
    requests: onPosts((t) => [
      form(t, { ...t.fields, ['a'.repeat(50) + '[b]'.repeat(2000)]: 'x', '__proto__[x]': 'y', constructor: 'z' }),
    ]),
  },
  {
    name: 'any text',
    requests: onPosts((t) => [
      form(
        t,
        map(t.fields, () => t.text()),
      ),
    ]),
  },
  { name: 'no token', requests: onPosts((t) => [form(t, t.fields, null)]) },
  { name: "another browser's token", requests: onPosts((t) => [form(t, t.fields, t.foreignToken)]) },
]
