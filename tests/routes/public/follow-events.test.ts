import { randomBytes } from 'node:crypto'
import t from 'tap'
import { and, eq, isNotNull, isNull } from 'drizzle-orm'
import { comments, follows, outbox, proposals } from '../../../db/schema.js'
import type { RejectReason } from '../../../server/domain/conversation/comments.js'
import { moderateProposal } from '../../../server/usecases/moderation.js'
import { advanceRound } from '../../../server/usecases/phases.js'
import { publishResult } from '../../../server/usecases/results.js'
import { confirmFollowing, startFollowing, tellFollowers } from '../../../server/usecases/follows.js'
import type { Lang } from '../../../server/languages.js'
import { demoRound } from '../../helpers/fixtures.js'
import { msg } from '../../helpers/html.js'
import { setPhase } from '../../helpers/voting.js'

const { app, db, roundId, officials } = await demoRound(t, { phase: 'reviewing', officials: ['admin', 'moderator'] })
const { admin, moderator } = officials
const all = await db.select().from(proposals).where(eq(proposals.roundId, roundId)).orderBy(proposals.id)
const [p1, p2] = all.filter((p) => p.status === 'submitted') as [(typeof all)[0], (typeof all)[0]]
const plain = (text: string) => text.replace(/[\u2066-\u2069]/g, '')

/** A follow as the form or the comment code makes it, confirmed through its link unless told. */
async function follow(
  email: string,
  lang: Lang,
  proposalId: number | null,
  commentId: number | null = null,
  confirm = true,
) {
  await db.transaction((tx) => startFollowing(tx, app, { roundId, proposalId, commentId, email, lang }))
  const [row] = await db
    .select()
    .from(follows)
    .where(
      and(
        eq(follows.email, email),
        proposalId === null ? isNull(follows.proposalId) : eq(follows.proposalId, proposalId),
        commentId === null ? isNull(follows.commentId) : eq(follows.commentId, commentId),
      ),
    )
  if (confirm) await confirmFollowing(db, row!.token, new Date())
  return row!.token
}

async function comment(values: {
  proposalId: number
  parentId?: number
  author?: 'resident' | 'official'
  status?: 'waiting' | 'published' | 'rejected'
  rejectReason?: RejectReason
  rejectNote?: string
}) {
  const [row] = await db
    .insert(comments)
    .values({
      roundId,
      proposalId: values.proposalId,
      parentId: values.parentId ?? null,
      kind: values.parentId ? 'answer' : 'question',
      author: values.author ?? 'resident',
      text: 'Hoeveel kost het per huis?',
      lang: 'nl',
      token: randomBytes(24).toString('base64url'),
      status: values.status ?? 'published',
      rejectReason: values.rejectReason ?? null,
      rejectNote: values.rejectNote ?? null,
    })
    .returning()
  return row!
}

/** The mails of the event, by address; the confirmation mails made while setting up are gone. */
async function mails() {
  const rows = await db.select().from(outbox).orderBy(outbox.id)
  return rows.filter((m) => m.purpose !== 'follow-confirm')
}

const roundFollower = await follow('round@example.net', 'nl', null)
const proposalFollower = await follow('proposal@example.net', 'en', p1.id)
await follow('unconfirmed@example.net', 'nl', p1.id, null, false)
await follow('other@example.net', 'tr', p2.id)
await follow('both@example.net', 'pl', null)
await follow('both@example.net', 'pl', p1.id)
const question = await comment({ proposalId: p1.id })
const commentFollower = await follow('asker@example.net', 'ar', p1.id, question.id)
t.beforeEach(() => db.delete(outbox))

t.test('a proposal decision reaches its confirmed followers only, in their language, with the way out', async (t) => {
  const decided = await moderateProposal(
    db,
    { proposal: p1, action: 'approve', official: moderator, message: null, now: new Date() },
    app,
  )
  t.ok(decided)
  const sent = await mails()
  t.same(
    sent.map((m) => m.toAddress).sort(),
    ['both@example.net', 'proposal@example.net'],
    'not the round follower, the unconfirmed one, the comment follow or another proposal',
  )
  const mail = sent.find((m) => m.toAddress === 'proposal@example.net')!
  t.equal(mail.purpose, 'follow-proposal-decision')
  t.equal(plain(mail.subject), msg('follows.mail.decision.subject', { title: p1.title }, 'en'))
  t.match(plain(mail.body), msg('follows.mail.decision.approve', { title: p1.title, reference: p1.reference }, 'en'))
  t.match(mail.body, `http://localhost:3000/proposals/${p1.reference}`)
  const leave = `http://localhost:3000/follow/${proposalFollower}/unsubscribe`
  t.same(mail.headers, { 'List-Unsubscribe': `<${leave}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' })
  t.match(mail.body, leave, 'the way out is in the text too')
  t.notMatch(mail.body, /@/, 'no address in the text, the follower’s own or anyone else’s')
})

t.test("a request for changes tells followers without the submitter's private message", async (t) => {
  const message = 'Uw adres Dorpsstraat 1 staat in het plan; haal dat eruit.'
  await moderateProposal(
    db,
    { proposal: p2, action: 'request-changes', official: moderator, message, now: new Date() },
    app,
  )
  const [mail, ...more] = await mails()
  t.same(more, [])
  t.equal(mail!.toAddress, 'other@example.net')
  t.equal(plain(mail!.subject), msg('follows.mail.decision.subject', { title: p2.title }, 'tr'))
  t.notMatch(mail!.body, 'Dorpsstraat')
})

t.test(
  'answers: the municipality’s reach the proposal’s followers and the asker; a neighbour’s only the asker',
  async (t) => {
    const official = await comment({ proposalId: p1.id, parentId: question.id, author: 'official' })
    await db.transaction((tx) =>
      tellFollowers(tx, app, {
        kind: 'answer',
        roundId,
        proposalId: p1.id,
        commentId: question.id,
        answerId: official.id,
      }),
    )
    const sent = await mails()
    t.same(sent.map((m) => m.toAddress).sort(), ['asker@example.net', 'both@example.net', 'proposal@example.net'])
    const asker = sent.find((m) => m.toAddress === 'asker@example.net')!
    t.equal(plain(asker.subject), msg('follows.mail.answer.subject', { title: p1.title }, 'ar'))
    t.match(asker.body, `/proposals/${p1.reference}#comment-${question.id}`)
    t.match(asker.headers['List-Unsubscribe']!, commentFollower)

    await db.delete(outbox)
    const neighbour = await comment({ proposalId: p1.id, parentId: question.id })
    await db.transaction((tx) =>
      tellFollowers(tx, app, {
        kind: 'answer',
        roundId,
        proposalId: p1.id,
        commentId: question.id,
        answerId: neighbour.id,
      }),
    )
    t.same(
      (await mails()).map((m) => m.toAddress),
      ['asker@example.net'],
    )
    t.match(
      plain((await mails())[0]!.body),
      msg('follows.mail.answer.resident', { title: p1.title, reference: p1.reference }, 'ar'),
    )

    await db.delete(outbox)
    const waiting = await comment({ proposalId: p1.id, parentId: question.id, status: 'waiting' })
    await db.transaction((tx) =>
      tellFollowers(tx, app, {
        kind: 'answer',
        roundId,
        proposalId: p1.id,
        commentId: question.id,
        answerId: waiting.id,
      }),
    )
    t.same(await mails(), [], 'an answer not yet published tells nobody')
  },
)

t.test("a comment's moderation decision reaches only that comment's own follow, with the reason", async (t) => {
  await db
    .update(comments)
    .set({ status: 'rejected', rejectReason: 'personal_data', rejectNote: 'Er stond een telefoonnummer in.' })
    .where(eq(comments.id, question.id))
  await db.transaction((tx) =>
    tellFollowers(tx, app, { kind: 'comment-decision', commentId: question.id, status: 'rejected' }),
  )
  const [mail, ...more] = await mails()
  t.same(more, [])
  t.equal(mail!.toAddress, 'asker@example.net')
  t.match(plain(mail!.body), msg('follows.mail.comment.rejected', { title: p1.title, reference: p1.reference }, 'ar'))
  t.match(mail!.body, msg('follows.mail.reason.personal_data', {}, 'ar'))
  t.match(mail!.body, 'Er stond een telefoonnummer in.')
})

t.test(
  'voting opens: each confirmed follower of the round or its proposals gets one mail, in their language',
  async (t) => {
    const waiting = await db.select({ id: proposals.id }).from(proposals).where(isNotNull(proposals.waitingSince))
    const outcome = await advanceRound(db, {
      id: roundId,
      from: 'reviewing',
      actor: { kind: 'official', id: admin.id, role: 'admin' },
      official: admin,
      confirmedUnreviewed: waiting.map((p) => p.id),
      now: new Date(),
      mailer: app,
    })
    t.equal(outcome, 'moved')
    const sent = await mails()
    t.same(
      sent.map((m) => m.toAddress).sort(),
      ['both@example.net', 'other@example.net', 'proposal@example.net', 'round@example.net'],
      'one mail each, also for who follows the round and a proposal; none for the comment follow or the unconfirmed',
    )
    const subjects = Object.fromEntries(sent.map((m) => [m.toAddress, plain(m.subject)]))
    const round = (await db.query.rounds.findFirst())!
    for (const [to, lang] of [
      ['round@example.net', 'nl'],
      ['proposal@example.net', 'en'],
      ['other@example.net', 'tr'],
      ['both@example.net', 'pl'],
    ] as const)
      t.equal(subjects[to], msg('follows.mail.voting-opened.subject', { round: round.title }, lang), to)
    const toRound = sent.find((m) => m.toAddress === 'round@example.net')!
    t.match(toRound.body, `http://localhost:3000/rounds/${round.slug}/vote`)
    t.match(toRound.headers['List-Unsubscribe']!, roundFollower)
    t.equal(sent.find((m) => m.toAddress === 'both@example.net')!.purpose, 'follow-voting-opened')
  },
)

t.test('the results reach the same followers when they are published', async (t) => {
  await setPhase(db, roundId, 'closed')
  const outcome = await publishResult(db, {
    roundId,
    actor: { kind: 'official', id: admin.id, role: 'admin' },
    official: admin,
    softwareVersion: 'test',
    mailer: app,
  })
  t.ok('published' in outcome)
  const sent = await mails()
  t.same(sent.map((m) => m.toAddress).sort(), [
    'both@example.net',
    'other@example.net',
    'proposal@example.net',
    'round@example.net',
  ])
  t.ok(sent.every((m) => m.purpose === 'follow-results' && m.body.includes('/results')))
})

t.test(
  'a follow of a proposal of another round, or a comment on another proposal, is refused and stores nothing',
  async (t) => {
    const before = (await db.select().from(follows)).length
    const ask = (proposalId: number | null, commentId: number | null, round = roundId) =>
      db.transaction((tx) =>
        startFollowing(tx, app, { roundId: round, proposalId, commentId, email: 'x@example.net', lang: 'nl' }),
      )
    await t.rejects(ask(p1.id, null, roundId + 1), /not in the round/)
    await t.rejects(ask(p2.id, question.id), /not in the round/)
    await t.rejects(ask(null, question.id), /not in the round/)
    await t.rejects(ask(999_999, null), /not in the round/)
    t.equal((await db.select().from(follows)).length, before)
    t.same(await db.select().from(outbox), [])
  },
)
