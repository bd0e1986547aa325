import t from 'tap'
import { type HTMLElement, TextNode } from 'node-html-parser'
import { proposals, rounds } from '../../../db/schema.js'
import { seedDemo } from '../../../server/data/demo.js'
import { testApp } from '../../helpers/app.js'
import { Visitor } from '../../helpers/client.js'
import { parseHtml } from '../../helpers/html.js'
import { createOfficial, signedIn } from '../../helpers/officials.js'

const { app, db } = await testApp(t)
await seedDemo(db)
await createOfficial(db, 'moderator')
const [round] = await db.select().from(rounds)
const ideas = await db.select().from(proposals)

/** What residents and officials wrote, and the codes that name it: none may take the page's direction. */
const userTexts = [round!.title, round!.neighbourhood, ...ideas.flatMap((p) => [p.title, p.reference])]

/** Elements whose own text is one of those values and that neither are <bdi> nor carry a dir of their own. */
function unisolated(doc: HTMLElement): string[] {
  const found: string[] = []
  for (const element of doc.querySelectorAll('body *')) {
    if (['script', 'style', 'option', 'textarea'].includes(element.tagName.toLowerCase())) continue
    const own = element.childNodes
      .filter((node) => node instanceof TextNode)
      .map((node) => node.text.trim())
      .filter(Boolean)
    for (const text of own) {
      if (!userTexts.includes(text)) continue
      if (element.tagName.toLowerCase() === 'bdi' || element.hasAttribute('dir')) continue
      found.push(`<${element.tagName.toLowerCase()}> ${text}`)
    }
  }
  return found
}

t.test('in Arabic, every round name, proposal title and reference on the key pages is isolated', async (t) => {
  const resident = new Visitor(app)
  await resident.get('/?lang=ar')
  const moderator = await signedIn(app, 'moderator')
  await moderator.get('/official?lang=ar')
  const detail = ideas[0]!
  const pages: [Visitor, string][] = [
    [resident, '/'],
    [resident, `/rounds/${round!.slug}`],
    [resident, `/proposals/${detail.reference}`],
    [moderator, '/official'],
    [moderator, '/official/moderation'],
    [moderator, `/official/proposals/${detail.id}`],
    [moderator, `/official/rounds/${round!.id}`],
  ]
  for (const [who, url] of pages) {
    const res = await who.get(url)
    t.equal(res.statusCode, 200, url)
    const doc = parseHtml(res.body)
    t.equal(doc.querySelector('html')?.getAttribute('dir'), 'rtl', `${url} is in Arabic`)
    t.same(unisolated(doc), [], url)
  }
})

t.test('a title inside a translated sentence keeps its own direction: it is isolated, not flipped', async (t) => {
  // The demo round is past proposing: the proposal form answers with a sentence naming the round.
  const res = await new Visitor(app).get(`/rounds/${round!.slug}/proposals/new?lang=ar`)
  t.equal(res.statusCode, 409)
  t.match(res.body, `\u2068${round!.title}\u2069`, 'the round name between first-strong isolate marks')
  const dutch = await new Visitor(app).get(`/proposals/${ideas.find((p) => p.organisation)!.reference}`)
  t.match(dutch.body, `\u2068${ideas.find((p) => p.organisation)!.organisation}\u2069`, 'in Dutch pages too')
})
