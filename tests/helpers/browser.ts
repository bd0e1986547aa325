import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import type * as Axe from 'axe-core'
import { chromium, type Browser, type Page } from 'playwright-core'
import { seedDemo } from '../../server/data/demo.js'
import type { Db } from '../../db/client.js'
import { testApp } from './app.js'
import { mailServer, type Mail } from './smtp.js'

export const CHROMIUM = '/usr/bin/chromium'
export const PHONE = { width: 360, height: 740 }
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

// Debian's Chromium, never a downloaded one; quiet flags keep it off the network.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** The parts of a tap test this helper uses; the top-level `t` has them all. */
interface TapLike {
  teardown(fn: () => unknown): void
  plan(n: number, comment?: string): void
  fail(message: string): boolean
}

export interface BrowserSession {
  /** Where the app listens, e.g. http://127.0.0.1:41234 (no trailing slash). */
  baseUrl: string
  db: Db
  browser: Browser
  /**
   * A phone-sized page in its own context, so every journey starts without cookies.
   * `javaScriptEnabled: false` gives the same phone with scripts switched off.
   */
  /** A phone; its browser asks for Dutch unless `locale` says otherwise (Accept-Language picks the page's language). */
  newPage(options?: { javaScriptEnabled?: boolean; locale?: string }): Promise<Page>
  /** With `mail: true`, what a real SMTP server on loopback received, and one delivery pass of the outbox. */
  inbox: Mail[]
  deliverMail(): Promise<unknown>
}

/**
 * The real app on a fresh, seeded database, and one Chromium for the whole test file.
 * Returns null when there is no Chromium: the file is skipped, or failed under CI.
 */
export async function browserSession(t: TapLike, options: { mail?: boolean } = {}): Promise<BrowserSession | null> {
  if (!existsSync(CHROMIUM)) {
    const missing = `${CHROMIUM} not found (apt-get install chromium)`
    if (process.env.CI === 'true') {
      t.fail(`browser tests cannot run in CI: ${missing}`)
    } else {
      console.error(`browser tests skipped: ${missing}`)
      t.plan(0, `browser tests skipped: ${missing}`)
    }
    return null
  }

  const smtp = options.mail ? await mailServer(t) : undefined
  const { app, db } = await testApp(t, smtp ? { config: { smtp: smtp.config } } : {})
  const started: { browser?: Browser } = {}
  // tap runs teardowns last first: the browser closes before the app does.
  t.teardown(async () => {
    await started.browser?.close()
  })
  await seedDemo(db)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const launched = (started.browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }))

  const { port } = app.server.address() as AddressInfo
  const baseUrl = `http://127.0.0.1:${port}`
  return {
    baseUrl,
    db,
    browser: launched,
    inbox: smtp?.inbox ?? [],
    deliverMail: () => app.deliverMail(),
    async newPage({ javaScriptEnabled = true, locale = 'nl-NL' } = {}) {
      const context = await launched.newContext({
        locale,
        baseURL: baseUrl,
        viewport: PHONE,
        isMobile: true,
        hasTouch: true,
        deviceScaleFactor: 2,
        javaScriptEnabled,
      })
      return context.newPage()
    },
  }
}

function describe(violation: Axe.Result): string {
  const nodes = violation.nodes.map((node) => node.target.join(' ')).join(', ')
  return `${violation.id} (${violation.impact ?? 'no impact'}): ${violation.help} — at ${nodes}`
}

/**
 * Runs axe-core for WCAG 2.1 A and AA and throws on any violation, naming each rule and element.
 * The app's CSP allows no inline script, so axe is not added as a <script> tag: evaluating its
 * source through the DevTools protocol is not subject to the page's CSP, and needs no bypassCSP.
 */
export async function checkA11y(page: Page): Promise<void> {
  const loaded = await page.evaluate(() => 'axe' in window)
  if (!loaded) await page.evaluate(axeSource)
  const violations = await page.evaluate(async (tags) => {
    const { axe } = window as unknown as { axe: typeof Axe }
    const results = await axe.run(document, { runOnly: { type: 'tag', values: tags } })
    return results.violations
  }, WCAG_TAGS)
  if (violations.length > 0) {
    // tap prints the message on one line and the extra property as a readable list below it.
    const error = new Error(
      `${violations.length} axe violation(s) on ${page.url()}: ${violations.map((v) => v.id).join(', ')}`,
    )
    throw Object.assign(error, { violations: violations.map(describe) })
  }
}

/** How wide the document is; wider than the viewport means scrolling sideways. */
export async function scrollWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth)
}
