import { readdirSync, readFileSync } from 'node:fs'
import t, { type Test } from 'tap'
import { proposals, rounds } from '../../../db/schema.js'
import { recordAudit } from '../../../server/data/audit.js'
import { MODERATION_ACTIONS } from '../../../server/domain/proposals/moderation.js'
import { SEAL_ACTION } from '../../../server/domain/voting/seal.js'
import { testApp } from '../../helpers/app.js'
import { Visitor } from '../../helpers/client.js'
import { html } from '../../helpers/html.js'
import { createOfficials } from '../../helpers/officials.js'

type ObjectKind = 'round' | 'proposal' | 'code'

/**
 * Every audit action the software can write about a round, one of its proposals or one of its
 * codes: the entries the transparency page shows. Read from the source, so an action added
 * tomorrow is checked too; an action written in a form this reader does not know fails the test
 * rather than slip past it.
 */
function roundAuditActions(t: Test): Map<string, ObjectKind> {
  const root = new URL('../../../server/', import.meta.url)
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))
  const actions = new Map<string, ObjectKind>()
  for (const file of files) {
    const source = readFileSync(new URL(file, root), 'utf8')
    for (const object of source.matchAll(/object: `(round|proposal|code):/g)) {
      const near = source.slice(Math.max(0, object.index - 300), object.index + 300)
      const written = [...near.matchAll(/action: ([^,\n]+),/g)].sort(
        (a, b) => Math.abs(a.index - 300) - Math.abs(b.index - 300),
      )[0]
      const expression = written?.[1] ?? '(none)'
      const literal = /^'([\w.-]+)'$/.exec(expression)?.[1]
      const names = literal
        ? [literal]
        : expression === 'SEAL_ACTION'
          ? [SEAL_ACTION]
          : expression === '`proposal.${action}`'
            ? MODERATION_ACTIONS.map((a) => `proposal.${a}`)
            : undefined
      if (!names) {
        t.fail(`server/${file}: an audit action written as ${expression}; teach this test to read it`)
        continue
      }
      for (const name of names) actions.set(name, object[1] as ObjectKind)
    }
  }
  return actions
}

t.test('the transparency page says every audit action in words and names its object as people know it', async (t) => {
  const actions = roundAuditActions(t)
  for (const known of ['round.advance', 'proposal.approve', 'codes.revoke', 'results.publish', SEAL_ACTION])
    t.ok(actions.has(known), `the source reader finds ${known}`)

  const { app, db } = await testApp(t)
  const { admin } = await createOfficials(db, ['admin'])
  const [round] = await db
    .insert(rounds)
    .values({ slug: 'west', title: 'Wijkbudget West', neighbourhood: 'West', budgetCents: 10_000_00, phase: 'voting' })
    .returning()
  const [proposal] = await db
    .insert(proposals)
    .values({
      roundId: round!.id,
      reference: 'WST-0001',
      statusToken: 'token'.padEnd(32, 'x'),
      title: 'Buurtbatterij',
      summary: 's',
      description: 'd',
      costCents: 1_000_00,
      track: 'social',
      themes: ['green'],
      contactName: 'Bewoner',
    })
    .returning()
  const objects: Record<ObjectKind, string> = {
    round: `round:${round!.id}`,
    proposal: `proposal:${proposal!.id}`,
    code: 'code:4711',
  }
  for (const [action, kind] of actions)
    await recordAudit(db, {
      officialId: admin.id,
      actor: 'admin@example.test',
      action,
      object: objects[kind],
      details: { round: round!.id },
    })

  for (const lang of ['nl', 'ar'] as const) {
    const page = html(await new Visitor(app).get(`/rounds/west/transparency?lang=${lang}`))
    const items = page.all('#audit ~ ol.history > li')
    t.equal(items.length, actions.size, `${lang}: one entry per action`)
    const raw = items.flatMap((li) => {
      const text = li.text
      const said = li.querySelector('strong')?.text ?? ''
      return [
        ...(actions.has(said) || /^[\w-]+(\.[\w-]+)+$/.test(said) ? [`action ${said}`] : []),
        ...[...text.matchAll(/\b(round|proposal|code|official|path):\S+/g)].map((m) => `object ${m[0]}`),
        ...(/\b(transparency|results|outcome)\.[\w.-]+/.test(text) ? [`key in ${text}`] : []),
      ]
    })
    t.same(raw, [], `${lang}: no raw action, key or type:id`)
    const named = items.map((li) => li.querySelector('bdi')?.text)
    t.ok(named.includes('Wijkbudget West'), `${lang}: the round by its title`)
    t.ok(named.includes('WST-0001 Buurtbatterij'), `${lang}: a proposal by its reference and title`)
  }
})
