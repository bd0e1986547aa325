import { randomBytes } from 'node:crypto'
import { readdirSync } from 'node:fs'
import { HTMX_PATH, LEAFLET_CSS_PATH, LEAFLET_JS_PATH } from '../assets.js'
import type { MapConfig } from '../config.js'
import { fileURLToPath } from 'node:url'
import fastifyView from '@fastify/view'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import Handlebars from 'handlebars'
import { formatDate, formatDateTime, formatEuro, formatNumber } from '../formatters.js'
import { createTranslator, type Translate } from '../i18n.js'
import { chooseLanguage, DEFAULT_LANG, isLang, language, LANGUAGE_LIST, type Lang } from '../languages.js'
import { encode, sendEncoded } from '../encoded.js'
import { fromRoot } from '../paths.js'
import { homeKey, officialMenu } from '../domain/access/menu.js'
import { isolate } from '../domain/common/bidi.js'

const viewsDir = fileURLToPath(fromRoot('views/'))
const LAYOUT = 'layouts/main.hbs'

type Model = Record<string, unknown>

declare module 'fastify' {
  interface FastifyRequest {
    lang: Lang
  }
  interface FastifyReply {
    /** Renders a full page, or only `fragment` when htmx asked for a fragment. */
    render(page: string, model?: Record<string, unknown>, options?: { fragment?: string }): Promise<FastifyReply>
    /**
     * Renders a page that is the same for every visitor once per language and address, compressed once,
     * and sends those bytes (with an ETag) until `inputs` are no longer the same values as when it was made:
     * the page must follow from them (rows as JSON text, or objects kept as they are) and the address alone.
     */
    renderKept(
      key: string,
      inputs: readonly unknown[],
      page: string,
      model: () => Model | Promise<Model>,
      options?: { fragment?: string },
    ): Promise<FastifyReply>
    /**
     * As renderKept, for a page whose only part that differs between visitors is its form's CSRF token:
     * rendered once per language and address with a slot for the token, which each visitor's request
     * fills in (making the token and its cookie only if the page has a form that posts).
     */
    renderKeptForm(
      key: string,
      inputs: readonly unknown[],
      page: string,
      model: () => Model | Promise<Model>,
    ): Promise<FastifyReply>
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
  const lang = (options.data as { root?: { lang?: unknown } } | undefined)?.root?.lang
  return isLang(lang) ? lang : DEFAULT_LANG
}

/** The placeholders that carry what people wrote: a round's or proposal's title, a person's or organisation's name. */
const USER_TEXT = new Set(['round', 'title', 'name', 'organisation', 'neighbourhood'])

/**
 * Text someone typed, placed inside a translated sentence, keeps its own direction: a Dutch title
 * ending in a full stop inside an Arabic sentence would otherwise show as ".energieprojecten".
 */
function isolateUserText(vars: Record<string, unknown>): Record<string, unknown> {
  const isolated = { ...vars }
  for (const name of USER_TEXT) if (typeof vars[name] === 'string') isolated[name] = isolate(vars[name])
  return isolated
}

const WEB_ADDRESS = /\bhttps?:\/\/[^\s<>"]+/g

/** Text with its web addresses as links, every part escaped; punctuation ending a sentence stays out of the link. */
export function linkedHtml(text: string, escape: (text: string) => string): string {
  let html = ''
  let at = 0
  for (const match of text.matchAll(WEB_ADDRESS)) {
    const address = match[0].replace(/[.,;:!?)\]]+$/, '')
    html += escape(text.slice(at, match.index))
    html += `<a href="${escape(address)}" rel="nofollow noopener" dir="ltr">${escape(address)}</a>`
    at = match.index + address.length
  }
  return html + escape(text.slice(at))
}

/** The Handlebars instance with our helpers, and the translator (bench/pages-server.ts renders with it too). */
export function engine(onMissing?: (lang: Lang, key: string) => void) {
  const translate = createTranslator(onMissing)
  const hbs = Handlebars.create()
  hbs.registerHelper('t', (key: string, options: Handlebars.HelperOptions) =>
    translate(langOf(options), key, isolateUserText(options.hash as Record<string, unknown>)),
  )
  // For view-models that carry a message as { key, vars }.
  hbs.registerHelper(
    'tx',
    (key: string, vars: Record<string, unknown> | undefined, options: Handlebars.HelperOptions) =>
      translate(langOf(options), key, vars ?? {}),
  )
  hbs.registerHelper('euro', (cents: number, options: Handlebars.HelperOptions) => formatEuro(cents, langOf(options)))
  hbs.registerHelper('number', (value: number, options: Handlebars.HelperOptions) =>
    formatNumber(value, langOf(options)),
  )
  hbs.registerHelper('datetime', (value: Date, options: Handlebars.HelperOptions) =>
    formatDateTime(value, langOf(options)),
  )
  hbs.registerHelper('date', (value: string, options: Handlebars.HelperOptions) => formatDate(value, langOf(options)))
  // Only for what officials write: a resident's link stays text, so nobody is led off the platform by a stranger.
  hbs.registerHelper('linked', (text: string) => new hbs.SafeString(linkedHtml(text, hbs.Utils.escapeExpression)))
  return { hbs, translate }
}

const MAX_KEPT_URL = 200
const MAX_KEPT_PAGES = 300

/** A page kept for every visitor must not carry one visitor's CSRF token. */
const NO_FORM = {
  toString(): string {
    throw new Error('a page kept for every visitor has a form that posts')
  },
}

/** Where a kept page's CSRF token goes: text no template or visitor writes (random per process). */
const TOKEN_SLOT = {
  toString: (
    (slot: string) => () =>
      slot
  )(`csrf-slot-${randomBytes(12).toString('hex')}`),
}

/** A value Handlebars writes out by turning it into text: made then, once, and only if a template uses it. */
function lazyToken(make: () => string): { toString(): string } {
  let made: string | undefined
  return { toString: () => (made ??= make()) }
}

const YEAR_SECONDS = 365 * 24 * 60 * 60

export function rememberLanguage(reply: FastifyReply, lang: Lang): void {
  reply.setCookie('lang', lang, {
    path: '/',
    maxAge: YEAR_SECONDS,
    sameSite: 'lax',
    httpOnly: true,
    secure: reply.server.secureCookies,
  })
}

/** An address without its `lang` parameter. */
export function withoutLang(url: string): string {
  const mark = url.indexOf('?')
  if (mark < 0) return url
  const path = url.slice(0, mark)
  const params = new URLSearchParams(url.slice(mark + 1))
  if (!params.has('lang')) return url
  params.delete('lang')
  const rest = params.toString()
  return rest ? `${path}?${rest}` : path
}

/** Every language by its own name, the current one marked, for the switch in the page header. */
function languageSwitch(current: Lang) {
  return LANGUAGE_LIST.map((l) => ({ code: l.code, name: l.name, current: l.code === current }))
}

/** htmx wants a fragment, unless it is boosting a link or restoring history (then the whole page). */
export function wantsFragment(request: FastifyRequest): boolean {
  const h = request.headers
  return h['hx-request'] === 'true' && h['hx-boosted'] !== 'true' && h['hx-history-restore-request'] !== 'true'
}

export default fp<{ map: MapConfig }>(
  async (app, opts) => {
    const { hbs, translate } = engine((lang, key) => app.log.warn({ lang, key }, 'translation key missing'))
    const cssPath = app.assetUrl('app.css')
    const errorSummaryPath = app.assetUrl('error-summary.js')
    const faviconPath = app.assetUrl('favicon.svg')
    // What the partial map-assets puts in a page that shows a map; the others load none of it.
    const mapAssets = {
      ...opts.map,
      leafletJs: LEAFLET_JS_PATH,
      leafletCss: LEAFLET_CSS_PATH,
      script: app.assetUrl('map.js'),
    }
    await app.register(fastifyView, {
      engine: { handlebars: hbs },
      root: viewsDir,
      production: true,
      options: { partials: partials() },
    })

    app.decorateRequest('lang', DEFAULT_LANG)
    app.addHook('onRequest', async (request, reply) => {
      const chosen = request.cookies.lang
      const linked = (request.query as { lang?: unknown } | undefined)?.lang
      request.lang = chooseLanguage(chosen, linked, request.headers['accept-language'])
      // A link's language (the letter's, a `?lang=` switch) holds for the pages after it too.
      if (isLang(linked) && linked !== chosen) rememberLanguage(reply, linked)
    })

    app.decorate('translate', translate)

    function pageData(reply: FastifyReply, model: Record<string, unknown>, csrfToken: { toString(): string }) {
      const request = reply.request
      return {
        lang: request.lang,
        dir: language(request.lang).dir,
        languages: languageSwitch(request.lang),
        path: request.url,
        htmxPath: HTMX_PATH,
        cssPath,
        errorSummaryPath,
        faviconPath,
        mapAssets,
        // Without its `lang`, which would otherwise undo the choice the switch just made.
        nextPath: encodeURIComponent(withoutLang(request.url)),
        csrfToken,
        official: request.official
          ? {
              name: request.official.name,
              roleKey: `role.${request.official.role}`,
              homeKey: homeKey(request.official.role),
              menu: officialMenu(request.official.role).map((entry) => ({
                ...entry,
                current: request.url.split('?')[0] === entry.href,
              })),
            }
          : null,
        ...model,
      }
    }

    app.decorateReply('render', async function (this: FastifyReply, page, model = {}, options = {}) {
      const fragment = options.fragment !== undefined && wantsFragment(this.request)
      this.header('Vary', 'HX-Request, Accept-Language, Cookie')
      // Made when a template writes it out (Handlebars turns it into text), so a page without a form that
      // posts sets no CSRF cookie and costs no secret: the same bytes for every visitor.
      const data = pageData(
        this,
        model,
        lazyToken(() => this.csrfToken()),
      )
      const html = fragment
        ? await this.viewAsync(options.fragment!, data)
        : await this.viewAsync(page, data, { layout: LAYOUT })
      return this.type('text/html; charset=utf-8').send(html)
    })

    // Whole pages that are the same for every visitor, rendered and compressed once per language and address;
    // the least recently asked go first when the store is full.
    const kept = new Map<string, { inputs: readonly unknown[]; body: Promise<unknown> }>()
    const sameInputs = (a: readonly unknown[], b: readonly unknown[]) =>
      a.length === b.length && a.every((value, i) => value === b[i])
    /** A signed-in official sees their own menu, htmx asks for a fragment, and an address of any length would only fill the store. */
    const keepable = (request: FastifyRequest, fragment?: string) =>
      !request.official && request.url.length <= MAX_KEPT_URL && !(fragment !== undefined && wantsFragment(request))

    /** The kept page for this key, language and address, made again when its inputs changed. */
    function keptPage<T>(
      reply: FastifyReply,
      key: string,
      inputs: readonly unknown[],
      make: () => Promise<T>,
    ): Promise<T> {
      const id = `${key}\u0000${reply.request.lang}\u0000${reply.request.url}`
      let entry = kept.get(id)
      kept.delete(id)
      if (!entry || !sameInputs(entry.inputs, inputs)) {
        const made = { inputs, body: make() }
        entry = made
        // A failure is not kept (unless a newer page has taken its place): the next visitor tries again.
        made.body.catch(() => kept.get(id) === made && kept.delete(id))
      }
      kept.set(id, entry)
      if (kept.size > MAX_KEPT_PAGES) kept.delete(kept.keys().next().value!)
      return entry.body as Promise<T>
    }

    app.decorateReply('renderKept', async function (this: FastifyReply, key, inputs, page, model, options = {}) {
      if (!keepable(this.request, options.fragment)) return this.render(page, await model(), options)
      const body = await keptPage(this, key, inputs, () =>
        Promise.resolve(model())
          .then((made) => this.viewAsync(page, pageData(this, made, NO_FORM), { layout: LAYOUT }))
          .then((html) => encode(Buffer.from(html))),
      )
      this.header('Vary', 'HX-Request, Accept-Encoding, Accept-Language, Cookie').type('text/html; charset=utf-8')
      return sendEncoded(this.request, this, body)
    })

    app.decorateReply('renderKeptForm', async function (this: FastifyReply, key, inputs, page, model) {
      if (!keepable(this.request)) return this.render(page, await model())
      // The page around its tokens: made once, then each visitor's token goes where the slot was.
      const parts = await keptPage(this, `form\u0000${key}`, inputs, () =>
        Promise.resolve(model())
          .then((made) => this.viewAsync(page, pageData(this, made, TOKEN_SLOT), { layout: LAYOUT }))
          .then((html) => html.split(TOKEN_SLOT.toString())),
      )
      const html = parts.length > 1 ? parts.join(this.csrfToken()) : parts[0]!
      this.header('Vary', 'HX-Request, Accept-Language, Cookie')
      return this.type('text/html; charset=utf-8').send(html)
    })
  },
  { name: 'views', dependencies: ['security', 'auth', 'static'] },
)

declare module 'fastify' {
  interface FastifyInstance {
    translate: Translate
  }
}
