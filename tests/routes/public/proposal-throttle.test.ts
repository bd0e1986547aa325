import t from 'tap'
import { count } from 'drizzle-orm'
import { proposals } from '../../../db/schema.js'
import { PROPOSAL_THROTTLE } from '../../../server/domain/proposals/rules.js'
import { Visitor } from '../../helpers/client.js'
import { demoRound } from '../../helpers/fixtures.js'
import { msg } from '../../helpers/html.js'

const { app, db, round } = await demoRound(t, { phase: 'proposing', officials: [] })
const FORM = {
  title: 'Tochtstrips',
  summary: 'Buren plakken tochtstrips.',
  description: 'Twee zaterdagen.',
  cost: '2500',
  track: 'social',
  themes: 'green',
  location: '',
  kwhPerYear: '',
  co2KgPerYear: '',
  households: '',
  organisation: '',
  contactName: 'Fatima',
  contactEmail: 'fatima@example.net',
  contactPhone: '',
  consent: 'yes',
}
const stored = async () => (await db.select({ n: count() }).from(proposals))[0]!.n

async function submit(ip: string, form: Record<string, string> = FORM) {
  const v = new Visitor(app, ip)
  await v.get(`/rounds/${round.slug}/proposals/new`)
  return v.post(`/rounds/${round.slug}/proposals`, form)
}

t.test(
  'a community centre sends in many ideas in an hour; after that one address waits, with its text kept',
  async (t) => {
    const before = await stored()
    const centre = '10.88.0.1'
    for (let i = 0; i < 3; i++)
      t.equal((await submit(centre, { ...FORM, title: '' })).statusCode, 422, 'a form with a mistake does not count')
    for (let i = 0; i < PROPOSAL_THROTTLE.perAddress; i++)
      t.equal((await submit(centre, { ...FORM, title: `Idee ${i + 1}` })).statusCode, 303)
    t.equal((await stored()) - before, PROPOSAL_THROTTLE.perAddress)
    const refused = await submit(centre, { ...FORM, title: 'Nog een idee' })
    t.equal(refused.statusCode, 429)
    t.match(refused.body, msg('proposals.tooMany'))
    t.match(refused.body, 'value="Nog een idee"', 'what was typed stays in the form')
    t.equal((await stored()) - before, PROPOSAL_THROTTLE.perAddress, 'nothing more was stored')
    t.equal((await submit('10.88.0.2')).statusCode, 303, 'another address is served')
  },
)
