import t from 'tap'
import { eq, sql } from 'drizzle-orm'
import { auditLog, ballots, proposals, results, rounds, votingCodes } from '../../db/schema.js'
import { applyModeration, findProposal } from '../../server/data/moderation.js'
import { castBallot, findCode } from '../../server/data/voting.js'
import type { ModerationAction } from '../../server/domain/moderation.js'
import { generateReceipt, hashCode, normaliseCode } from '../../server/domain/voting-code.js'
import { TEST_CONFIG, testApp } from '../helpers/app.js'
import { Visitor } from '../helpers/client.js'
import { createOfficials, signInFrom } from '../helpers/officials.js'
import { createCodes, setPhase } from '../helpers/voting.js'

const { app, db } = await testApp(t)
const { moderator } = await createOfficials(db, ['admin', 'moderator'])
const signedIn = signInFrom(app, '10.8.0')
const [round] = await db.insert(rounds).values({ slug: 'noord', title: 'Wijkbudget Noord', neighbourhood: 'Noord', budgetCents: 50_000_00, phase: 'reviewing' }).returning()
const roundId = round!.id
await db.insert(rounds).values({ slug: 'concept', title: 'Nog geheim', neighbourhood: 'Zuid', budgetCents: 1_00 })

// Monday 23 November 2026, 9:00 in Amsterdam; answers follow in working time.
const MONDAY_9 = new Date('2026-11-23T08:00:00Z')
const minutesLater = (m: number) => new Date(MONDAY_9.getTime() + m * 60_000)
const titles = ['Zonnepanelen school', 'Koffie-ochtend', 'Tuin achter de flat', 'Led in portieken', 'Nog niet bekeken']
const made = await db.insert(proposals).values(titles.map((title, i) => ({
  roundId, reference: `NRD-${i + 1}`, statusToken: `token-${i + 1}`.padEnd(32, 'x'), title, summary: 's', description: 'd',
  costCents: 10_000_00, track: 'social' as const, themes: ['green'], contactName: 'Bewoner', submittedAt: MONDAY_9, waitingSince: MONDAY_9,
}))).returning()
const ids = made.map((p) => p.id)

async function decide(index: number, action: ModerationAction, minutes: number, message: string | null, extra: { correctedCostCents?: number } = {}) {
  const proposal = (await findProposal(db, ids[index]!))!
  await applyModeration(db, { proposal, action, official: { id: moderator.id, email: 'moderator@example.test' }, message, now: minutesLater(minutes), ...extra })
}
await decide(0, 'approve', 120, null)
// Monday 9:00 to Tuesday 12:00: one working day and three hours.
await decide(1, 'reject', 24 * 60 + 180, 'Dit past niet bij energie.')
await decide(2, 'request-changes', 30, 'Uw adres Dorpsstraat 1 staat in het plan; haal dat eruit.')
await decide(3, 'correct-cost', 60, 'Offerte van de leverancier is lager.', { correctedCostCents: 8_000_00 })
await decide(3, 'approve', 240, null)

const url = '/rounds/noord/transparency'
const plain = (html: string) => html.replace(/\u00a0/g, ' ').replace(/&#x27;/g, "'").replace(/\s+/g, ' ')
const read = async (path = url) => {
  const res = await new Visitor(app).get(path)
  return { status: res.statusCode, body: plain(res.body) }
}

t.test('a draft or unknown round has no transparency page', async (t) => {
  t.equal((await read('/rounds/concept/transparency')).status, 404)
  t.equal((await read('/rounds/nergens/transparency')).status, 404)
})

t.test('before voting the page lists every decision with its reason and time, but no turnout yet', async (t) => {
  const { status, body } = await read()
  t.equal(status, 200)
  t.match(body, 'De opkomst staat hier zodra het stemmen begonnen is.')
  t.match(body, /<strong>Goedgekeurd<\/strong> · <a href="\/proposals\/NRD-1">Zonnepanelen school<\/a> <span class="muted">\(NRD-1\) · 23 nov 2026, 11:00<\/span>/)
  t.match(body, 'Reden: Dit past niet bij energie.')
  t.match(body, 'De kosten zijn aangepast van € 10.000 naar € 8.000.')
  t.match(body, 'Waarom: Offerte van de leverancier is lager.')
  t.match(body, '<strong>Wijzigingen gevraagd</strong>')
  t.match(body, 'Dat bericht is alleen voor de indiener.')
  t.notMatch(body, 'Dorpsstraat', 'what was asked of the submitter stays private')
  t.notMatch(body, 'Nog niet bekeken</a>', 'a proposal without a decision is not a decision')
})

t.test('first-response times: the median in working time and the share answered within one working day', async (t) => {
  const { body } = await read()
  // Answered after 30, 120, 240 and 660 working minutes: the median is 180 minutes, three of four within 480.
  t.match(body, '<dt>Gewone wachttijd (mediaan)</dt><dd>0 werkdagen, 3 uur en 0 minuten</dd>')
  t.match(body, '<dt>Antwoord binnen 1 werkdag</dt><dd>75%</dd>')
  t.match(body, '4 ideeën kregen antwoord. 1 ideeën hebben nog geen antwoord gehad.')
})

t.test('the audit log of the round is shown without personal details and its chain is verified', async (t) => {
  const { body } = await read()
  const entries = await db.select().from(auditLog)
  t.equal(entries.length, 5)
  t.match(body, `Het logboek is nagekeken: alle 5 regels zijn aan elkaar gekoppeld en niet veranderd.`)
  t.match(body, /<strong>Idee afgewezen<\/strong> <span class="muted">#\d+ · 24 nov 2026, 12:00<\/span><br>Moderator #\d+ · proposal:\d+/)
  t.notMatch(body, 'moderator@example.test', 'officials are named by role and number, not by e-mail address')
  t.notMatch(body, 'Dorpsstraat', 'details are left out')
})

let codes: { a: string[]; b: string[] }
const codeId = async (code: string) => (await findCode(db, roundId, hashCode(TEST_CONFIG.codeKey, normaliseCode(code)!)))!.id
const vote = async (code: string, channel: 'online' | 'paper', projectIds: number[]) =>
  castBallot(db, { roundId, codeId: await codeId(code), channel, projectIds, receipt: generateReceipt() })

t.test('turnout per group and channel counts against the codes issued and leaves revoked codes out', async (t) => {
  await setPhase(db, roundId, 'voting')
  codes = { a: await createCodes(db, roundId, 10, '3021'), b: await createCodes(db, roundId, 10, '3022') }
  for (const code of codes.a.slice(0, 6)) await vote(code, 'online', [ids[0]!])
  for (const code of codes.b.slice(0, 3)) await vote(code, 'online', [ids[3]!])
  // A paper ballot that also names the rejected proposal: that vote is left out, the rest counts.
  await vote(codes.b[3]!, 'paper', [ids[0]!, ids[1]!])
  await db.update(votingCodes).set({ revokedAt: new Date() }).where(eq(votingCodes.id, await codeId(codes.a[0]!)))

  const { body } = await read()
  t.match(body, '<dt>Opkomst</dt><dd>45%</dd>', '9 counted ballots of 20 codes issued')
  t.match(body, '<dt>Getelde stemmen</dt><dd>9</dd>')
  t.match(body, '<dt>Uitgegeven stemcodes</dt><dd>20</dd>')
  t.match(body, '<th scope="row">Online</th><td>8</td><td>40%</td>')
  t.match(body, '<th scope="row">Op papier</th><td>1</td><td>5%</td>')
  t.match(body, '<th scope="row">3021</th><td>10</td><td>5</td> <td>0</td><td>5</td><td>50%</td>')
  t.match(body, '<th scope="row">3022</th><td>10</td><td>3</td> <td>1</td><td>4</td><td>40%</td>')
  t.match(body, '1 stemcodes zijn ingetrokken, bijvoorbeeld omdat een brief kwijt was. De 1 stemmen met zo\'n code blijven bewaard, maar tellen niet mee.')
  t.match(body, 'Dat gaat nu om 1 stemmen op 1 stembiljetten.')
  t.equal((await db.select().from(ballots)).length, 10, 'the revoked code\'s ballot is still stored')
})

t.test('after publication the page shows that today\'s ballots still match the published hash, and how to recount', async (t) => {
  await setPhase(db, roundId, 'closed')
  const visitor = await signedIn('admin')
  await visitor.get(`/official/rounds/${roundId}/results`)
  t.equal((await visitor.post(`/official/rounds/${roundId}/publish`, {})).statusCode, 303)
  const [stored] = await db.select().from(results)
  const { body } = await read()
  t.match(body, 'De 9 stemmen in de database zijn vandaag nog precies dezelfde als bij de publicatie.')
  t.match(body, `<dd class="hash">${stored!.ballotsSha256}</dd>`)
  t.match(body, 'npm run tally -- noord-ballots.pb --rule greedy')
  t.match(body, '<a href="/rounds/noord/results">Bekijk de uitslag</a>')
  const entries = await db.select().from(auditLog)
  t.match(body, `alle ${entries.length} regels zijn aan elkaar gekoppeld`, 'the whole chain is checked, logins too')
  t.match(body, /<strong>Uitslag gepubliceerd<\/strong>/, 'the publication is among the round\'s entries')
  t.notMatch(body, /<strong>login<\/strong>/, 'but only the round\'s entries are listed')
})

t.test('a ballot changed behind the application\'s back shows as no longer matching the published hash', async (t) => {
  await db.execute(sql`alter table ballots disable trigger user`)
  const [first] = await db.select().from(ballots).where(eq(ballots.codeId, await codeId(codes.a[1]!)))
  await db.update(ballots).set({ projectIds: [ids[3]!] }).where(eq(ballots.id, first!.id))
  await db.execute(sql`alter table ballots enable trigger user`)
  const { body } = await read()
  t.match(body, 'Let op: de stemmen in de database zijn anders dan de stemmen die gepubliceerd zijn. Nu 9, bij publicatie 9.')
  t.notMatch(body, 'precies dezelfde')
})

t.test('an audit entry changed in the database shows the chain broken at that entry', async (t) => {
  const [reject] = await db.select().from(auditLog).where(eq(auditLog.action, 'proposal.reject'))
  await db.execute(sql`alter table audit_log disable trigger user`)
  await db.update(auditLog).set({ actor: 'someone-else@example.test' }).where(eq(auditLog.id, reject!.id))
  await db.execute(sql`alter table audit_log enable trigger user`)
  const { body } = await read()
  const count = (await db.select().from(auditLog)).length
  t.match(body, `Het logboek klopt niet meer vanaf regel #${reject!.id} (24 nov 2026, 12:00). Vanaf daar is er iets veranderd of weggehaald. Het logboek heeft ${count} regels.`)
  t.match(body, 'role="alert"')
  t.notMatch(body, 'zijn aan elkaar gekoppeld en niet veranderd')
})
