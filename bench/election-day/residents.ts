/**
 * The people of the election day: residents who read, vote (with typos), change their vote or
 * follow a proposal; an official entering paper ballots; a language coach translating; an admin
 * watching turnout. Each acts through HAProxy as a browser would, and tries again, a moment later,
 * whatever failed (Retry-After says a minute; the day is compressed, so a resident waits a second).
 */
import type http from 'node:http'
import { CODE_ALPHABET } from '../../server/domain/voting/codes.js'
import { Browser, type Answer, type Sample } from './browser.js'
import type { Acknowledged } from './check.js'

export interface Day {
  base: string
  agent: http.Agent
  samples: Sample[]
  started: number
  slug: string
  roundId: number
  projects: { id: number; costCents: number; reference: string }[]
  budgetCents: number
  acknowledged: Acknowledged[]
  hashOf(code: string): string
  /** Set when the day is over: the officials' loops stop. */
  over: boolean
  random: () => number
}

export interface Official {
  email: string
  password: string
}

const ATTEMPTS = 30
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))
const retryPause = (day: Day) => pause(300 + day.random() * 700)
const pick = <T>(day: Day, items: readonly T[]): T => items[Math.floor(day.random() * items.length)]!

const LANGUAGES: string[] = [
  ...Array<string>(10).fill('nl'),
  'en',
  'en',
  'en',
  'ar',
  'ar',
  'ar',
  'tr',
  'tr',
  'tr',
  'pl',
  'pt',
]

let addresses = 0
/** A browser of its own, from an address of its own (10.x.y.z), in a language of the neighbourhood. */
export function newBrowser(day: Day, lang = pick(day, LANGUAGES)): Browser {
  const n = ++addresses
  const address = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`
  return new Browser(day.base, day.agent, address, lang, day.samples, day.started)
}

/** A handful of projects that fits the budget. */
export function choose(day: Day): number[] {
  const wanted = 1 + Math.floor(day.random() * 6)
  const chosen: number[] = []
  let left = day.budgetCents
  for (const p of [...day.projects].sort(() => day.random() - 0.5)) {
    if (chosen.length === wanted) break
    if (p.costCents <= left) {
      chosen.push(p.id)
      left -= p.costCents
    }
  }
  return chosen
}

/** The code with one character mistyped. */
function typo(day: Day, code: string): string {
  const positions = [...code].flatMap((c, i) => (c === '-' ? [] : [i]))
  const at = pick(day, positions)
  const other = pick(
    day,
    [...CODE_ALPHABET].filter((c) => c !== code[at]),
  )
  return code.slice(0, at) + other + code.slice(at + 1)
}

/** Reads the round and a proposal or two, as most visitors do before (or instead of) voting. */
export async function browse(day: Day, b: Browser, pages: number): Promise<void> {
  await b.get(`/rounds/${day.slug}`, 'round page')
  for (let i = 0; i < pages; i++) await b.get(`/proposals/${pick(day, day.projects).reference}`, 'proposal page')
}

/** Follows a proposal by e-mail: the confirmation goes out through the outbox. */
export async function follow(day: Day, b: Browser, email: string): Promise<void> {
  const path = `/proposals/${pick(day, day.projects).reference}/follow`
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const page = await b.get(path, 'follow')
    if (page.status !== 200) {
      await retryPause(day)
      continue
    }
    const sent = await b.post(path, 'follow', [
      ['email', email],
      ['lang', 'nl'],
    ])
    if (sent.status === 303) return
    await retryPause(day)
  }
}

const receiptOf = (reply: Answer, pattern: RegExp) =>
  reply.status === 303 ? pattern.exec(reply.location)?.[1] : undefined

/** Enters the code (the first time perhaps with a typo), chooses and casts, until the app acknowledges it. */
export async function vote(day: Day, b: Browser, code: string, mistypes: boolean): Promise<boolean> {
  const votePath = `/rounds/${day.slug}/vote`
  let typoLeft = mistypes
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if ((await b.get(votePath, 'code page')).status !== 200) {
      await retryPause(day)
      continue
    }
    if (typoLeft) {
      const wrong = await b.post(votePath, 'code entry', [['code', typo(day, code)]])
      if (wrong.status === 422) typoLeft = false
      else if (wrong.status !== 303) {
        await retryPause(day)
        continue
      }
    }
    const entered = await b.post(votePath, 'code entry', [['code', code]])
    if (entered.status !== 303 || (await b.get(`${votePath}/ballot`, 'ballot page')).status !== 200) {
      await retryPause(day)
      continue
    }
    const projectIds = choose(day)
    const cast = await b.post(`${votePath}/ballot`, 'cast', [
      ...projectIds.map((id): [string, string] => ['projects', String(id)]),
      ['intent', 'submit'],
    ])
    const receipt = receiptOf(cast, /^\/receipts\/([^?]+)/)
    if (!receipt) {
      await retryPause(day)
      continue
    }
    day.acknowledged.push({ codeHash: day.hashOf(code), receipt, projectIds, channel: 'online' })
    await b.get(`/receipts/${receipt}`, 'receipt page')
    return true
  }
  return false
}

/** Signs in through the login form, trying again while the database or an instance is away. */
async function signIn(day: Day, official: Official): Promise<Browser> {
  const b = newBrowser(day, 'nl')
  for (;;) {
    await b.get('/login', 'official sign-in')
    const reply = await b.post('/login', 'official sign-in', [
      ['email', official.email],
      ['password', official.password],
    ])
    if (reply.status === 303) return b
    await retryPause(day)
  }
}

/** The official at the community centre's desk: types each paper ballot in, one after the other. */
export async function enterPaperBallots(day: Day, official: Official, codes: string[]): Promise<number> {
  const b = await signIn(day, official)
  const path = `/official/rounds/${day.roundId}/paper`
  let entered = 0
  for (const code of codes) {
    const projectIds = choose(day)
    const fields = (confirm: boolean): [string, string][] => [
      ['code', code],
      ...projectIds.map((id): [string, string] => ['projects', String(id)]),
      ...(confirm ? [['replace_online', code.replaceAll('-', '')] as [string, string]] : []),
    ]
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if ((await b.get(path, 'paper ballot')).status !== 200) {
        await retryPause(day)
        continue
      }
      let reply = await b.post(path, 'paper ballot', fields(false))
      // A try the kill cut off may have been stored: the page then asks to confirm the replacement.
      if (reply.status === 409 && reply.body.includes('replace_online'))
        reply = await b.post(path, 'paper ballot', fields(true))
      const receipt = receiptOf(reply, /[?&]receipt=([A-Z0-9-]+)/)
      if (receipt) {
        day.acknowledged.push({ codeHash: day.hashOf(code), receipt, projectIds, channel: 'paper' })
        entered++
        break
      }
      await retryPause(day)
    }
  }
  return entered
}

const SAMPLE_TRANSLATIONS: Record<string, [string, string]> = {
  en: ['Energy coaches in your own language', 'Trained neighbours help residents save energy at home.'],
  tr: ['Kendi dilinizde enerji koçları', 'Eğitimli komşular, sakinlerin evde enerji tasarrufu yapmasına yardım eder.'],
  ar: ['مدربو الطاقة بلغتك', 'جيران مدربون يساعدون السكان على توفير الطاقة في المنزل.'],
  pl: ['Doradcy energetyczni w twoim języku', 'Przeszkoleni sąsiedzi pomagają mieszkańcom oszczędzać energię w domu.'],
}

/** The language coach: translates one proposal after another until the day is over. */
export async function translate(day: Day, coach: Official): Promise<number> {
  const b = await signIn(day, coach)
  let saved = 0
  while (!day.over) {
    const project = pick(day, day.projects)
    const lang = pick(day, Object.keys(SAMPLE_TRANSLATIONS))
    const [title, summary] = SAMPLE_TRANSLATIONS[lang]!
    const path = `/official/proposals/${project.id}/translate`
    if ((await b.get(`${path}?into=${lang}`, 'translation')).status === 200) {
      const reply = await b.post(path, 'translation', [
        ['lang', lang],
        ['title', title],
        ['summary', summary],
        ['description', summary],
      ])
      if (reply.status === 303) saved++
    }
    await pause(1_000 + day.random() * 1_000)
  }
  return saved
}

/** The programme lead watching turnout on the official page, every second or two. */
export async function watchTurnout(day: Day, admin: Official): Promise<number> {
  const b = await signIn(day, admin)
  let looks = 0
  while (!day.over) {
    if ((await b.get(`/official/rounds/${day.roundId}/turnout`, 'turnout (admin)')).status === 200) looks++
    await pause(1_000 + day.random() * 1_000)
  }
  return looks
}

/** The admin closes voting through the app, as on the day itself; the ballots are sealed in that step. */
export async function closeVoting(day: Day, admin: Official): Promise<boolean> {
  const b = await signIn(day, admin)
  const path = `/official/rounds/${day.roundId}/advance`
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    await b.get(path, 'close voting')
    const reply = await b.post(path, 'close voting', [
      ['from', 'voting'],
      ['reason', 'Einde van de generale repetitie'],
    ])
    if (reply.status === 303) return true
    await retryPause(day)
  }
  return false
}
