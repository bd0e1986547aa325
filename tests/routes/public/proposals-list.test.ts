import t from 'tap'
import { Visitor } from '../../helpers/client.js'
import { html, msg } from '../../helpers/html.js'
import { proposingRound, SLUG } from '../../helpers/proposals.js'

// The round page's list of ideas and its filters.
const { app, inPhase, countProposals } = await proposingRound(t)

const cardTitles = (page: ReturnType<typeof html>, selector = '#proposal-list') =>
  page.texts(`${selector} .card__title`)

t.test('the round page filters ideas by theme and track with a plain GET form', async (t) => {
  await inPhase('proposing')
  const visitor = new Visitor(app)
  const page = html(await visitor.get(`/rounds/${SLUG}`))
  const form = page.get('form.proposal-filters')
  t.match(form.attributes, {
    method: 'get',
    action: `/rounds/${SLUG}`,
    'hx-get': `/rounds/${SLUG}`,
    'hx-target': '#proposal-list',
    'hx-push-url': 'true',
  })
  const sections = page.get('#proposal-list').querySelectorAll('ul.cards')
  t.equal(sections.length, 2, 'approved and waiting ideas, then the rejected ones')
  t.ok(sections[1]!.text.includes('Gratis energiekastje voor iedereen'), 'rejected ideas in their own section')
  t.notOk(sections[0]!.text.includes('Gratis energiekastje'), 'and not among the others')

  const green = await visitor.get(`/rounds/${SLUG}?theme=green&track=`)
  t.equal(green.statusCode, 200)
  t.ok(cardTitles(html(green)).includes('Groene daken op bushokjes'))
  t.notOk(cardTitles(html(green)).includes('Energiecoaches in je eigen taal'))
  t.equal(html(green).fields(html(green).get('form.proposal-filters')).theme, 'green')

  const both = cardTitles(html(await visitor.get(`/rounds/${SLUG}?theme=green&track=spatial`)))
  t.ok(both.includes('Groene daken op bushokjes'))
  t.ok(both.includes('Buurtmoestuin met regenton'))
  t.notOk(both.includes('Warmtescan van 200 woningen'), 'green but financial-technical')
  t.notOk(both.includes('Gratis energiekastje voor iedereen'))

  const none = html(await visitor.get(`/rounds/${SLUG}?theme=ageing&track=spatial`))
  t.same(cardTitles(none), [])
  t.match(none.text('#proposal-list'), msg('proposals.list.noMatch'))
  t.equal(none.text('#proposal-count'), msg('proposals.list.count', { count: 0 }))

  const unknown = await visitor.get(`/rounds/${SLUG}?theme=nuclear&track=rockets`)
  t.equal(unknown.statusCode, 200, 'an unknown value means all, so an old link still works')
  t.equal(cardTitles(html(unknown)).length, await countProposals())
  t.equal(html(unknown).text('#proposal-count'), msg('proposals.list.count', { count: await countProposals() }))

  t.equal(
    (await visitor.get(`/rounds/${SLUG}?theme=green&theme=social`)).statusCode,
    400,
    'two values for one filter is not a form we sent',
  )
})

t.test('htmx gets only the list partial, and the response varies on HX-Request', async (t) => {
  await inPhase('proposing')
  const visitor = new Visitor(app)
  const res = await visitor.get(`/rounds/${SLUG}?theme=green`, { 'hx-request': 'true' })
  t.equal(res.statusCode, 200)
  t.equal(res.headers.vary, 'HX-Request, Accept-Language, Cookie')
  const fragment = html(res)
  t.notOk(fragment.has('html'), 'no page around it')
  t.notOk(fragment.has('form.proposal-filters'), 'not the form around the list')
  t.equal(fragment.root.querySelector('*')?.id, 'proposal-count', 'the count comes first')
  t.equal(fragment.get('#proposal-count').getAttribute('hx-swap-oob'), 'true', 'and updates out of band')
  t.match(fragment.text('#proposal-count'), /\d+/)
  const titles = fragment.texts('.card__title')
  t.ok(titles.includes('Groene daken op bushokjes'))
  t.notOk(titles.includes('Energiecoaches in je eigen taal'))
  for (const header of ['hx-boosted', 'hx-history-restore-request']) {
    const full = html(await visitor.get(`/rounds/${SLUG}?theme=green`, { 'hx-request': 'true', [header]: 'true' }))
    t.ok(full.has('html'), `${header}: the whole page`)
  }
})
