import { readdirSync } from 'node:fs'
import { HTMX_PATH } from '../assets.js'
import { fileURLToPath } from 'node:url'
import fastifyView from '@fastify/view'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import Handlebars from 'handlebars'
import {
  DEFAULT_LANG, isLang, loadMessages, translate, type Lang,
} from '../i18n.js'
import { formatDate, formatDateTime, formatEuro, formatNumber } from '../formatters.js'

const viewsDir = fileURLToPath(new URL('../../views/', import.meta.url))
const LAYOUT = 'layouts/main.hbs'

declare module 'fastify' {
  interface FastifyRequest {
    lang: Lang
  }
  interface FastifyReply {
    /** Renders a full page, or only `fragment` when htmx asked for a fragment. */
    render(page: string, model?: Record<string, unknown>, options?: { fragment?: string }): Promise<FastifyReply>
  }
}

/** Every partial under views/partials, registered by its path without extension. */
function partials(): Record<string, string> {
  const found: Record<string, string> = {}
  for (const file of readdirSync(`${viewsDir}partials`, { recursive: true, encoding: 'utf8' })) {
    if (file.endsWith('.hbs')) found[file.replace(/\.hbs$/, '')] = `partials/${file}`
  }
  return found
}

function langOf(options: Handlebars.HelperOptions): Lang {
  const lang = ((options.data as { root?: { lang?: unknown } } | undefined)?.root)?.lang
  return isLang(lang) ? lang : DEFAULT_LANG
}

function engine() {
  const messages = loadMessages()
  const hbs = Handlebars.create()
  hbs.registerHelper('t', (key: string, options: Handlebars.HelperOptions) =>
    translate(messages[langOf(options)], key, options.hash))
  // For view-models that carry a message as { key, vars }.
  hbs.registerHelper('tx', (key: string, vars: Record<string, unknown> | undefined, options: Handlebars.HelperOptions) =>
    translate(messages[langOf(options)], key, vars ?? {}))
  hbs.registerHelper('euro', (cents: number, options: Handlebars.HelperOptions) => formatEuro(cents, langOf(options)))
  hbs.registerHelper('number', (value: number, options: Handlebars.HelperOptions) => formatNumber(value, langOf(options)))
  hbs.registerHelper('datetime', (value: Date, options: Handlebars.HelperOptions) => formatDateTime(value, langOf(options)))
  hbs.registerHelper('date', (value: string, options: Handlebars.HelperOptions) => formatDate(value, langOf(options)))
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b)
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).find(Boolean))
  hbs.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''))
  return { hbs, messages }
}

/** htmx wants a fragment, unless it is boosting a link or restoring history (then the whole page). */
export function wantsFragment(request: FastifyRequest): boolean {
  const h = request.headers
  return h['hx-request'] === 'true' && h['hx-boosted'] !== 'true' && h['hx-history-restore-request'] !== 'true'
}

export default fp(async (app) => {
  const { hbs, messages } = engine()
  const cssPath = app.assetUrl('app.css')
  const errorSummaryPath = app.assetUrl('error-summary.js')
  await app.register(fastifyView, {
    engine: { handlebars: hbs },
    root: viewsDir,
    production: true,
    options: { partials: partials() },
  })

  app.decorateRequest('lang', DEFAULT_LANG)
  app.addHook('onRequest', async (request) => {
    const chosen = request.cookies.lang
    if (isLang(chosen)) request.lang = chosen
  })

  app.decorate('translate', (lang: Lang, key: string, vars?: Record<string, unknown>) => translate(messages[lang], key, vars))

  app.decorateReply('render', async function (this: FastifyReply, page, model = {}, options = {}) {
    const request = this.request
    const fragment = options.fragment !== undefined && wantsFragment(request)
    this.header('Vary', 'HX-Request')
    const data = {
      lang: request.lang,
      otherLang: request.lang === 'nl' ? 'en' : 'nl',
      path: request.url,
      htmxPath: HTMX_PATH,
      cssPath,
      errorSummaryPath,
      nextPath: encodeURIComponent(request.url),
      csrfToken: this.generateCsrf(),
      official: request.official ? { name: request.official.name, role: request.official.role } : null,
      ...model,
    }
    const html = fragment
      ? await this.viewAsync(options.fragment!, data)
      : await this.viewAsync(page, data, { layout: LAYOUT })
    return this.type('text/html; charset=utf-8').send(html)
  })
}, { name: 'views', dependencies: ['security', 'auth', 'static'] })

declare module 'fastify' {
  interface FastifyInstance {
    translate(lang: Lang, key: string, vars?: Record<string, unknown>): string
  }
}
