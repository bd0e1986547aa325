import t from 'tap'
import { and, eq } from 'drizzle-orm'
import { auditLog, languageTurnout, proposals, proposalTranslations } from '../../../db/schema.js'
import { Visitor } from '../../helpers/client.js'
import { demoRound } from '../../helpers/fixtures.js'
import { html, msg } from '../../helpers/html.js'
import { setPhase } from '../../helpers/voting.js'

const { app, db, round, roundId, byTitle, nextCode, signedIn } = await demoRound(t, {
  phase: 'voting',
  codes: 6,
})
const slug = round.slug
const cafe = byTitle('Energiecafé')
const coaches = byTitle('Energiecoaches')

t.test(
  'a language coach adds a translation; it is audited and residents of that language see it, the original one tap away',
  async (t) => {
    const coach = await signedIn('coach')
    const list = await coach.get(`/official/rounds/${roundId}/translations`)
    t.equal(list.statusCode, 200)
    t.match(list.body, `href="/official/proposals/${cafe.id}/translate?into=tr"`)
    t.notMatch(list.body, 'translate?into=pl', 'Polish is not among the languages the demo round declares')
    await coach.get(`/official/proposals/${cafe.id}/translate?into=pl`)
    const saved = await coach.post(`/official/proposals/${cafe.id}/translate`, {
      lang: 'pl',
      title: 'Kawiarnia energetyczna dla seniorów',
      summary: 'Co miesiąc poranna kawa, podczas której seniorzy uczą się o rachunkach za energię.',
      description: 'Raz w miesiącu w centrum sąsiedzkim.',
    })
    t.equal(saved.statusCode, 303)
    const [stored] = await db
      .select()
      .from(proposalTranslations)
      .where(and(eq(proposalTranslations.proposalId, cafe.id), eq(proposalTranslations.lang, 'pl')))
    t.equal(stored?.title, 'Kawiarnia energetyczna dla seniorów')
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, 'proposal.translate'))
    t.match(entry, { object: `proposal:${cafe.id}`, details: { lang: 'pl', old: null } })

    const polish = html(await new Visitor(app).get(`/rounds/${slug}?lang=pl`))
    const card = polish.all('li.card').find((li) => li.querySelector('a[href="/proposals/BTD-0005"]'))!
    t.equal(card.querySelector('.card__title')?.getAttribute('lang'), 'pl')
    t.equal(card.querySelector('.card__title')?.text, 'Kawiarnia energetyczna dla seniorów')
    t.match(card.querySelector('.text-origin summary')?.text, msg('translation.byCoach', {}, 'pl'))
    const original = card.querySelector('.text-origin div[lang=nl]')
    t.match(original?.text, 'Energiecafé voor ouderen', 'the original is there, marked Dutch')
    const dutch = html(await new Visitor(app).get(`/rounds/${slug}`))
    t.equal(dutch.get('a[href="/proposals/BTD-0005"]').text, 'Energiecafé voor ouderen')
    t.notMatch(dutch.text(), 'Kawiarnia')
  },
)

t.test('text in another language than the page carries its own lang: Dutch titles on an English page', async (t) => {
  const english = html(await new Visitor(app).get(`/rounds/${slug}?lang=en`))
  t.equal(english.get('html').getAttribute('lang'), 'en')
  t.equal(english.get('a[href="/proposals/BTD-0005"]').closest('h3')?.getAttribute('lang'), 'nl')
  const detail = html(await new Visitor(app).get('/proposals/BTD-0001?lang=tr'))
  t.equal(detail.get('h1').getAttribute('lang'), 'tr', 'the demo has Turkish translations')
  t.equal(detail.text('h1'), 'Kendi dilinizde enerji koçları')
  t.equal(
    detail.get('p.proposal-text').getAttribute('lang'),
    'nl',
    'the demo translated no description: it stays in its own language',
  )
})

t.test("the ballot and the paper ballot show the resident's language where a translation exists", async (t) => {
  const resident = new Visitor(app)
  await resident.get(`/rounds/${slug}/vote?lang=ar`)
  await resident.post(`/rounds/${slug}/vote`, { code: nextCode() })
  const ballot = (await resident.get(`/rounds/${slug}/vote/ballot`)).body
  t.match(ballot, '<html lang="ar" dir="rtl">')
  t.match(ballot, `<span class="project__title" lang="ar" dir="auto">مدربو الطاقة بلغتك</span>`)
  t.match(ballot, `<span class="project__title" lang="nl" dir="auto">Energiecafé voor ouderen</span>`)
  const paper = (await new Visitor(app).get(`/rounds/${slug}/paper-ballot/tr`)).body
  t.match(
    paper,
    '<strong lang="tr" dir="auto">Kendi dilinizde enerji koçları</strong> <span lang="nl">(Energiecoaches in je eigen taal)</span>',
  )
  t.ok(coaches)
})

t.test(
  'a translation into the original language, an empty or an over-long one is refused and nothing changes',
  async (t) => {
    const moderator = await signedIn('moderator')
    await moderator.get(`/official/proposals/${cafe.id}/translate`)
    const before = await db.select().from(proposalTranslations)
    const cases: [Record<string, string>, string][] = [
      [{ lang: 'nl', title: 'x', summary: 'y', description: 'z' }, 'lang'],
      [{ lang: 'xx', title: 'x', summary: 'y', description: 'z' }, 'lang'],
      [{ lang: 'tr', title: '', summary: 'y', description: 'z' }, 'title'],
      [{ lang: 'tr', title: 'x', summary: 'y'.repeat(301), description: 'z' }, 'summary'],
      [{ lang: 'tr', title: 'x', summary: 'y', description: '' }, 'description'],
    ]
    for (const [form, field] of cases) {
      const res = await moderator.post(`/official/proposals/${cafe.id}/translate`, form)
      t.equal(res.statusCode, 422, JSON.stringify(form).slice(0, 60))
      t.match(
        res.body,
        new RegExp(
          `id="${field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="${field}"|name="${field}"[^>]*aria-invalid`,
        ),
      )
    }
    t.same(await db.select().from(proposalTranslations), before)
  },
)

t.test(
  "admins and council members do not translate; a coach cannot moderate or see submitters' contact details",
  async (t) => {
    for (const role of ['admin', 'council'] as const) {
      const official = await signedIn(role)
      t.equal((await official.get(`/official/proposals/${cafe.id}/translate`)).statusCode, 403, role)
      t.equal(
        (await official.post(`/official/proposals/${cafe.id}/translate`, { lang: 'tr', title: 'x', summary: 'y' }))
          .statusCode,
        403,
        role,
      )
    }
    const coach = await signedIn('coach')
    const [waiting] = await db.select().from(proposals).where(eq(proposals.status, 'submitted'))
    const page = await coach.get(`/official/proposals/${waiting!.id}`)
    t.equal(page.statusCode, 200, 'a coach may read a proposal')
    t.notMatch(page.body, waiting!.contactEmail!, 'no contact details for a coach')
    await coach.get(`/official/proposals/${waiting!.id}`)
    t.equal((await coach.post(`/official/proposals/${waiting!.id}/approve`, {})).statusCode, 403)
  },
)

t.test('a resident says which language they wrote in; it is stored with the proposal', async (t) => {
  await setPhase(db, roundId, 'proposing')
  const resident = new Visitor(app)
  const form = await resident.get(`/rounds/${slug}/proposals/new?lang=tr`)
  t.match(form.body, '<option value="tr" lang="tr" selected>Türkçe</option>', 'the page language is chosen by default')
  const res = await resident.post(`/rounds/${slug}/proposals`, {
    writtenIn: 'ar',
    title: 'حديقة على السطح',
    summary: 'حديقة صغيرة على سطح المركز.',
    description: 'نزرع الخضار معاً.',
    cost: '١٬٥٠٠',
    track: 'spatial',
    themes: ['green'],
    contactName: 'Samira',
    contactEmail: 'samira@example.org',
    consent: 'yes',
  })
  t.equal(res.statusCode, 303)
  const [stored] = await db.select().from(proposals).where(eq(proposals.title, 'حديقة على السطح'))
  t.equal(stored?.lang, 'ar')
  t.equal(stored?.costCents, 150_000, 'Arabic-Indic digits are read as €1,500')
  await setPhase(db, roundId, 'voting')
})

t.test(
  "turnout per language counts first ballots by the page's language, apart from the ballots, written once voting closed",
  async (t) => {
    const vote = async (lang: string) => {
      const resident = new Visitor(app)
      await resident.get(`/rounds/${slug}/vote?lang=${lang}`)
      await resident.post(`/rounds/${slug}/vote`, { code: nextCode() })
      await resident.get(`/rounds/${slug}/vote/ballot`)
      const res = await resident.post(`/rounds/${slug}/vote/ballot`, { projects: [String(cafe.id)], intent: 'submit' })
      t.equal(res.statusCode, 303)
      return resident
    }
    const turkish = await vote('tr')
    await vote('tr')
    await vote('pl')
    // Changing a ballot does not count it again.
    await turkish.get(`/rounds/${slug}/vote`)
    t.same(await db.select().from(languageTurnout), [], 'fewer ballots than a step wait in the process while voting')
    await setPhase(db, roundId, 'closed')
    await app.languageCounts.flushClosed()
    t.teardown(() => setPhase(db, roundId, 'voting'))
    const rows = await db.select().from(languageTurnout)
    const sum = (lang: string) => rows.filter((r) => r.lang === lang).reduce((n, r) => n + r.ballots, 0)
    t.equal(sum('tr'), 2)
    t.equal(sum('pl'), 1)
    const transparency = (await new Visitor(app).get(`/rounds/${slug}/transparency`)).body
    t.match(transparency, /<th scope="row"><span lang="tr">Türkçe<\/span><\/th><td>2<\/td>/)
    const council = await signedIn('council')
    t.match(
      (await council.get(`/official/rounds/${roundId}/turnout`)).body,
      /<span lang="pl">Polski<\/span><\/th><td>1<\/td>/,
    )
  },
)

t.test(
  'nobody translates a rejected or merged proposal: the server refuses what the list does not offer',
  async (t) => {
    const [rejected] = await db.select().from(proposals).where(eq(proposals.status, 'rejected'))
    const coach = await signedIn('coach')
    const list = await coach.get(`/official/rounds/${roundId}/translations`)
    t.notMatch(list.body, `/official/proposals/${rejected!.id}/translate`, 'the list does not offer it')
    t.equal((await coach.get(`/official/proposals/${rejected!.id}/translate`)).statusCode, 403)
    await coach.get(`/official/proposals/${cafe.id}/translate`)
    const posted = await coach.post(`/official/proposals/${rejected!.id}/translate`, {
      lang: 'pl',
      title: 'Przetłumaczony tytuł',
      summary: 'Przetłumaczone podsumowanie.',
      description: '',
    })
    t.equal(posted.statusCode, 403)
    const stored = await db.select().from(proposalTranslations).where(eq(proposalTranslations.proposalId, rejected!.id))
    t.same(stored, [], 'nothing is stored, so nothing goes public')
  },
)
