import t from 'tap'
import { and, eq } from 'drizzle-orm'
import { auditLog, proposalEvents, proposals, rounds, textTranslations } from '../../../db/schema.js'
import { Visitor } from '../../helpers/client.js'
import { demoRound } from '../../helpers/fixtures.js'
import { html, msg } from '../../helpers/html.js'
import { setPhase } from '../../helpers/voting.js'

// Officials' words reach residents in their language: coaches translate them like proposals.
const { app, db, round, roundId, signedIn } = await demoRound(t, { phase: 'voting' })
const slug = round.slug
const [rejected] = await db.select().from(proposals).where(eq(proposals.status, 'rejected'))
const [reason] = await db
  .select()
  .from(proposalEvents)
  .where(and(eq(proposalEvents.proposalId, rejected!.id), eq(proposalEvents.kind, 'rejected')))
const TURKISH_REASON = 'Maliyet tüm mahalle bütçesinden yüksek. Tek bir sokakta daha küçük bir deneme olabilir.'
const reasonPath = `/official/rounds/${roundId}/texts/decision-${reason!.id}/translate`
const version = async () => (await db.select().from(rounds).where(eq(rounds.id, roundId)))[0]!.contentVersion
const needs = async (coach: Visitor) =>
  html(await coach.get(`/official/rounds/${roundId}/translations`)).all('.needs__item').length

t.test(
  "a coach translates a rejection reason: stored, audited, the round's pages move on, and Turkish readers see it marked",
  async (t) => {
    const coach = await signedIn('coach')
    const before = { needs: await needs(coach), version: await version() }
    const form = html(await coach.get(`${reasonPath}?into=tr`))
    t.equal(form.get('option[selected]').getAttribute('value'), 'tr', '?into= chooses the language to translate into')
    const saved = await coach.post(reasonPath, { lang: 'tr', text: TURKISH_REASON })
    t.equal(saved.statusCode, 303)
    const [stored] = await db.select().from(textTranslations).where(eq(textTranslations.kind, 'decision'))
    t.match(stored, { roundId, kind: 'decision', subjectId: reason!.id, lang: 'tr', text: TURKISH_REASON })
    t.match(stored?.sourceHash, /^[0-9a-f]{64}$/)
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, 'text.translate'))
    t.match(entry, { object: `round:${roundId}`, details: { lang: 'tr', old: null, new: TURKISH_REASON } })
    t.equal(await version(), before.version + 1, 'public pages kept for visitors are made again')
    t.equal(await needs(coach), before.needs, 'the reason still needs English, Arabic and Portuguese')
    const item = html(await coach.get(`/official/rounds/${roundId}/translations`))
      .all('.needs__item')
      .find((li) => li.querySelector(`a[href^="${reasonPath}"]`))!
    t.notOk(item.querySelector(`a[href="${reasonPath}?into=tr"]`), 'Turkish is no longer asked for')

    const turkish = html(await new Visitor(app).get(`/proposals/${rejected!.reference}?lang=tr`))
    const message = turkish.get('.proposal-history span[lang=tr]')
    t.equal(message.text, TURKISH_REASON)
    t.match(turkish.text('.proposal-history .text-origin summary'), msg('translation.byCoach', {}, 'tr'))
    t.match(turkish.text('.proposal-history .text-origin p[lang=nl]'), reason!.message!)
    const dutch = html(await new Visitor(app).get(`/proposals/${rejected!.reference}`))
    t.notMatch(dutch.text(), TURKISH_REASON, 'a Dutch reader reads the original')
  },
)

t.test('translated help desk hours show as out of date once the admin changes the hours', async (t) => {
  const coach = await signedIn('coach')
  const hoursPath = `/official/rounds/${roundId}/texts/hours/translate`
  await coach.get(hoursPath)
  t.equal((await coach.post(hoursPath, { lang: 'tr', text: 'Pazartesi–cuma 9.00–17.00' })).statusCode, 303)
  const desk = async () => html(await new Visitor(app).get(`/rounds/${slug}?lang=tr`)).get('.help-desk')
  t.equal((await desk()).querySelector('span[lang=tr]')?.text, 'Pazartesi–cuma 9.00–17.00')
  t.notOk((await desk()).querySelector('.text-outdated'), 'current while the hours are the same')
  const paper = html(await new Visitor(app).get(`/rounds/${slug}/paper-ballot/tr`)).get('.help-desk')
  t.equal(paper.querySelector('span[lang=tr]')?.text, 'Pazartesi–cuma 9.00–17.00', 'and on the printed ballot')
  const vote = html(await new Visitor(app).get(`/rounds/${slug}/vote?lang=tr`)).get('.help-desk')
  t.equal(vote.querySelector('span[lang=tr]')?.text, 'Pazartesi–cuma 9.00–17.00', 'and on the voting pages')

  const admin = await signedIn('admin')
  const deskPage = html(await admin.get(`/official/rounds/${roundId}/help-desk`))
  const { _csrf, ...form } = deskPage.fields(deskPage.form(`/official/rounds/${roundId}/help-desk`))
  const changed = await admin.post(`/official/rounds/${roundId}/help-desk`, {
    ...form,
    hours: 'maandag tot en met donderdag 9.00–17.00',
  })
  t.equal(changed.statusCode, 303)
  t.equal((await desk()).querySelector('.text-outdated')?.text, msg('translation.outdated', {}, 'tr'))
  t.match((await desk()).querySelector('.text-origin p[lang=nl]')?.text, 'maandag tot en met donderdag')
  const list = html(await coach.get(`/official/rounds/${roundId}/translations`))
  t.ok(list.has(`a[href="${hoursPath}?into=tr"].tag--outdated, .tag--outdated a[href="${hoursPath}?into=tr"]`))
})

t.test("a proposal's translation, description included, goes out of date when its submitter changes it", async (t) => {
  const coach = await signedIn('coach')
  const [cafe] = await db.select().from(proposals).where(eq(proposals.reference, 'BTD-0005'))
  await coach.get(`/official/proposals/${cafe!.id}/translate?into=tr`)
  await coach.post(`/official/proposals/${cafe!.id}/translate`, {
    lang: 'tr',
    title: 'Yaşlılar için enerji kafesi',
    summary: 'Her ay bir kahve sabahı.',
    description: 'Mahalle merkezinde ayda bir kez.',
  })
  const page = async () => html(await new Visitor(app).get('/proposals/BTD-0005?lang=tr'))
  t.equal((await page()).get('p.proposal-text[lang=tr]').text, 'Mahalle merkezinde ayda bir kez.')
  t.notOk((await page()).has('.text-outdated'))
  await db.update(proposals).set({ summary: 'Elke week een koffieochtend.' }).where(eq(proposals.id, cafe!.id))
  await db
    .update(rounds)
    .set({ contentVersion: (await version()) + 1 })
    .where(eq(rounds.id, roundId))
  t.equal((await page()).text('.text-outdated'), msg('translation.outdated', {}, 'tr'))
  t.match((await page()).text('.text-origin'), 'Elke week een koffieochtend.', 'the current original one tap away')

  const moderator = await signedIn('moderator')
  const review = html(await moderator.get(`/official/proposals/${cafe!.id}`))
  const beside = review.get('.side-by-side')
  t.match(beside.querySelector('section[aria-labelledby=translation-tr]')?.text, 'Mahalle merkezinde ayda bir kez.')
  t.match(beside.querySelector('section[aria-labelledby=original-text]')?.text, 'Elke week een koffieochtend.')
  t.ok(beside.querySelector('section[aria-labelledby=translation-tr] .text-outdated'), 'the moderator sees it is old')
})

t.test('bad input gets a translated message and changes nothing; a text of another round names nothing', async (t) => {
  const coach = await signedIn('coach')
  await coach.get(`${reasonPath}?lang=en`)
  const before = await db.select().from(textTranslations)
  const cases: [Record<string, string>, string, string][] = [
    [{ lang: 'nl', text: 'x' }, 'lang', 'translation.error.sameLanguage'],
    [{ lang: 'xx', text: 'x' }, 'lang', 'translation.error.invalid'],
    [{ lang: 'ar', text: '   ' }, 'text', 'translation.error.required'],
    [{ lang: 'ar', text: 'x'.repeat(20_001) }, 'text', 'translation.error.tooLong'],
  ]
  for (const [form, field, key] of cases) {
    const res = await coach.post(reasonPath, form)
    t.equal(res.statusCode, 422, JSON.stringify(form).slice(0, 40))
    const page = html(res)
    t.equal(page.text(`#${field}-error`), msg(key, {}, 'en'), 'in the interface language')
    t.equal(page.get(`#${field}`).getAttribute('aria-invalid'), 'true')
  }
  t.same(await db.select().from(textTranslations), before)

  const [other] = await db
    .insert(rounds)
    .values({
      slug: 'andere-wijk',
      title: 'Andere wijk',
      neighbourhood: 'Delfshaven',
      budgetCents: 100,
      phase: 'voting',
    })
    .returning()
  for (const path of [
    `/official/rounds/${other!.id}/texts/decision-${reason!.id}/translate`,
    `/official/rounds/${roundId}/texts/decision-999999/translate`,
    `/official/rounds/${roundId}/texts/nonsense/translate`,
    `/official/rounds/${other!.id}/texts/hours/translate`,
  ]) {
    t.equal((await coach.get(path)).statusCode, 404, path)
    t.equal((await coach.post(path, { lang: 'tr', text: 'x' })).statusCode, 404, path)
  }
  t.same(await db.select().from(textTranslations), before)
})

t.test('a coach cannot translate in a round that is not public yet', async (t) => {
  const coach = await signedIn('coach')
  await coach.get(`${reasonPath}?into=ar`)
  await setPhase(db, roundId, 'draft')
  const before = await db.select().from(textTranslations)
  t.equal((await coach.post(reasonPath, { lang: 'ar', text: 'سبب' })).statusCode, 403)
  t.equal((await coach.get(reasonPath)).statusCode, 403)
  t.notOk(html(await coach.get('/official/translations')).has(`#needs-${roundId}`), 'the list leaves the round out')
  t.same(await db.select().from(textTranslations), before)
  await setPhase(db, roundId, 'voting')
})

t.test(
  'the list over all rounds shrinks as translations are made, and names every language still missing',
  async (t) => {
    const coach = await signedIn('coach')
    const count = async () => html(await coach.get('/official/translations')).all(`#needs-${roundId} ~ ul .tag`).length
    const before = await count()
    await coach.get(`/official/rounds/${roundId}/texts/description/translate`)
    await coach.post(`/official/rounds/${roundId}/texts/description/translate`, { lang: 'ar', text: 'ميزانية الحي' })
    t.equal(await count(), before - 1)
    t.ok(html(await coach.get('/official/translations')).has('a[href$="/translate?into=pt"]'))
  },
)

t.test("translating never switches the coach's own language; a later ?lang= link still switches it", async (t) => {
  const coach = await signedIn('coach')
  await coach.get('/official?lang=nl')
  t.equal(coach.cookie('lang'), 'nl')
  const list = html(await coach.get('/official/translations'))
  const link = list
    .all('a')
    .find((a) => a.getAttribute('href')?.startsWith(`/official/proposals/`) && a.getAttribute('href')?.endsWith('tr'))!
  t.match(link.getAttribute('href'), /\?into=tr$/, 'the list names the target language with into')
  const page = html(await coach.get(link.getAttribute('href')!))
  t.equal(page.get('html').getAttribute('lang'), 'nl', 'the page stays in Dutch')
  t.equal(page.text('h1'), msg('translation.formHeading'))
  t.equal(page.get('#lang option[selected]').getAttribute('value'), 'tr')
  t.equal(page.get('#title').getAttribute('lang'), 'tr', 'the field is marked as Turkish for spelling and speech')
  t.equal(coach.cookie('lang'), 'nl', 'the cookie is unchanged')
  const english = html(await coach.get('/official/translations?lang=en'))
  t.equal(english.get('html').getAttribute('lang'), 'en', '?lang= switches the interface, a choice made before or not')
  t.equal(coach.cookie('lang'), 'en')
  t.equal(
    html(await coach.get('/official'))
      .get('html')
      .getAttribute('lang'),
    'en',
    'and it holds',
  )
  const switcher = english.get('details.language-switch a[hreflang=ar]').getAttribute('href')
  t.equal(switcher, '/language/ar?next=%2Fofficial%2Ftranslations', 'the switch does not carry the old ?lang= along')
})
