import { randomBytes, randomInt } from 'node:crypto'
import type { Signer } from '@fastify/cookie'
import { asc, eq } from 'drizzle-orm'
import postgres from 'postgres'
import type { Db } from '../db/client.js'
import { officials, proposals, rounds, votingCodes } from '../db/schema.js'
import { insertCodeBatch } from '../server/data/voting-codes.js'
import { generateCode, hashCode, normaliseCode } from '../server/domain/voting/codes.js'
import { SECRETS } from './secrets.js'

export const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
export { SECRETS }
export const SLUG = 'wijkbudget-energie-bench'

/** A small deterministic random source (mulberry32): the same numbers for the same seed on every machine. */
export function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296
  }
}
const EUR = 100

type Track = typeof proposals.$inferInsert.track
// Thirty projects as a neighbourhood energy round might have them: the page weight depends on real-length text.
const PROJECTS: [
  title: string,
  summary: string,
  euros: number,
  track: Track,
  themes: string[],
  kwh: number | null,
  households: number | null,
][] = [
  [
    'Energiecoaches in je eigen taal',
    'Getrainde buren helpen bewoners thuis energie te besparen, in het Turks, Arabisch, Papiaments en Nederlands.',
    18_000,
    'social',
    ['energy-poverty', 'jobs-language'],
    90_000,
    300,
  ],
  [
    'Warmtescan van 200 woningen',
    'Met een warmtecamera zien we waar huizen warmte verliezen, en bewoners krijgen een persoonlijk advies.',
    9_500,
    'financial-technical',
    ['energy-poverty', 'green'],
    40_000,
    200,
  ],
  [
    'Isolatiehulp voor huishoudens met een laag inkomen',
    'Gratis isolatie van kieren, leidingen en ramen voor huishoudens met een laag inkomen.',
    42_000,
    'financial-technical',
    ['energy-poverty'],
    150_000,
    160,
  ],
  [
    'Zonnepanelen op het dak van het buurthuis',
    'Zestig panelen op het buurthuis; wat het bespaart op stroom gaat naar activiteiten voor ouderen en jongeren.',
    28_000,
    'spatial',
    ['green'],
    21_000,
    null,
  ],
  [
    'Energiecafé voor ouderen',
    'Elke maand een koffieochtend waar ouderen samen leren over hun energierekening en de thermostaat.',
    4_500,
    'social',
    ['ageing', 'loneliness'],
    null,
    80,
  ],
  [
    'Buurtmoestuin met regenton',
    'Een moestuin op het braakliggende veldje, met regentonnen en een kleine pomp op zonne-energie.',
    6_000,
    'spatial',
    ['green', 'loneliness'],
    null,
    40,
  ],
  [
    'Led-verlichting in portieken',
    'Zuinige lampen met bewegingssensor in veertig portieken: veiliger in de avond en goedkoper voor iedereen.',
    7_800,
    'financial-technical',
    ['safety', 'green'],
    25_000,
    240,
  ],
  [
    'Groene daken op bushokjes',
    'Sedumdaken op vijf bushokjes: koeler in de zomer, regenwater blijft langer hangen en goed voor bijen.',
    12_500,
    'spatial',
    ['green'],
    null,
    null,
  ],
  [
    'Leer-werkplekken als energieklusser',
    'Twaalf jongeren leren isoleren bij bewoners thuis en halen samen met het mbo een erkend certificaat.',
    22_000,
    'social',
    ['jobs-language', 'energy-poverty'],
    30_000,
    60,
  ],
  [
    'Radiatorfolie en tochtstrips voor elke flat',
    'Een klusdag per flat: vrijwilligers plakken folie achter radiatoren en strips langs deuren en ramen.',
    5_200,
    'financial-technical',
    ['energy-poverty'],
    35_000,
    420,
  ],
  [
    'Deelbakfiets op stroom',
    'Twee elektrische bakfietsen die buren via een app kunnen lenen voor boodschappen en klussen.',
    8_400,
    'spatial',
    ['green'],
    null,
    150,
  ],
  [
    'Spreekuur energietoeslag en betalingsregeling',
    'Elke week hulp bij het aanvragen van toeslagen en het maken van een regeling met de energieleverancier.',
    6_800,
    'social',
    ['energy-poverty'],
    null,
    250,
  ],
  [
    'Zonnescherm en groen op het schoolplein',
    'Bomen en een schaduwdoek op het plein van basisschool De Horizon, zodat het in juni niet te heet wordt.',
    19_500,
    'spatial',
    ['green', 'safety'],
    null,
    null,
  ],
  [
    'Gezamenlijke inkoop van warmtepompboilers',
    'Bewoners kopen samen in: een lagere prijs, één installateur en hulp bij de subsidieaanvraag.',
    14_000,
    'financial-technical',
    ['green'],
    60_000,
    45,
  ],
  [
    'Energieles op de basisschool',
    'Groep 7 en 8 meten thuis het verbruik en bedenken samen met hun ouders hoe het minder kan.',
    3_600,
    'social',
    ['jobs-language', 'green'],
    12_000,
    120,
  ],
  [
    'Warme plek in de winter',
    'Het wijkcentrum is op koude dagen langer open met soep, koffie en gezelschap voor wie thuis de kachel laag zet.',
    9_000,
    'social',
    ['loneliness', 'energy-poverty', 'ageing'],
    null,
    90,
  ],
  [
    'Slimme thermostaten in seniorenwoningen',
    'Een thermostaat die zelf lager zet als niemand thuis is, met uitleg aan huis door een vrijwilliger.',
    11_200,
    'financial-technical',
    ['ageing', 'energy-poverty'],
    28_000,
    70,
  ],
  [
    'Geveltuinen langs de Schiedamseweg',
    'Tegels eruit, planten erin: dertig geveltuinen die bewoners zelf aanleggen en onderhouden.',
    4_200,
    'spatial',
    ['green'],
    null,
    30,
  ],
  [
    'Repair café met energiemeter',
    'Oude apparaten repareren of vervangen, en meten hoeveel stroom koelkasten en vriezers echt gebruiken.',
    3_900,
    'social',
    ['green', 'loneliness'],
    8_000,
    100,
  ],
  [
    'Dakisolatie van vijf portiekflats',
    'De daken van vijf flats krijgen isolatie; de huurders merken het direct aan hun stookkosten.',
    48_000,
    'financial-technical',
    ['energy-poverty'],
    120_000,
    110,
  ],
  [
    'Buurtbatterij bij de sporthal',
    'Een batterij slaat de zonnestroom van de sporthal op voor de avondtrainingen en de kantine.',
    36_000,
    'spatial',
    ['green'],
    18_000,
    null,
  ],
  [
    'Taalcafé over de energierekening',
    'Nieuwe Nederlanders oefenen taal met wat iedereen moet snappen: de rekening, het contract en de meter.',
    2_800,
    'social',
    ['jobs-language', 'energy-poverty'],
    null,
    60,
  ],
  [
    'Verlichting in het park op zonne-energie',
    'Paden door het park krijgen lampen met een eigen zonnepaneel, zodat je er ook in de winter veilig loopt.',
    16_500,
    'spatial',
    ['safety', 'green'],
    null,
    null,
  ],
  [
    'Ventilatie-advies tegen schimmel',
    'Een adviseur helpt bij vocht en schimmel: beter ventileren zonder dat de verwarming harder moet.',
    5_600,
    'financial-technical',
    ['energy-poverty'],
    9_000,
    140,
  ],
  [
    'Klusbus voor kleine energiemaatregelen',
    'Een busje met gereedschap en materiaal, elke zaterdag in een andere straat, met buren die helpen.',
    13_400,
    'social',
    ['energy-poverty', 'jobs-language'],
    22_000,
    200,
  ],
  [
    'Regenwater opvangen bij de moskee',
    'Een groot vat vangt het water van het dak op voor de tuin en de toiletten van de moskee en de buren.',
    7_300,
    'spatial',
    ['green'],
    null,
    null,
  ],
  [
    'Boodschappen- en belrondje voor alleenstaanden',
    'Vrijwilligers bellen elke week alleenstaande ouderen en helpen waar het kan met de energie en de post.',
    2_500,
    'social',
    ['loneliness', 'ageing'],
    null,
    75,
  ],
  [
    'Glas-in-lood vervangen door HR++',
    'Oude enkele ramen in de benedenwoningen worden vervangen door dubbel glas dat warmte binnen houdt.',
    39_000,
    'financial-technical',
    ['energy-poverty'],
    70_000,
    55,
  ],
  [
    'Wijkwarmteplan samen met bewoners',
    'Bewoners praten mee over het warmtenet: drie avonden, een bus naar een voorbeeldwijk en een verslag.',
    8_800,
    'social',
    ['green'],
    null,
    500,
  ],
  [
    'Zonnepanelen op de daken van de garageboxen',
    'Een coöperatie van buren legt panelen op veertig garageboxen en deelt de opbrengst.',
    31_000,
    'spatial',
    ['green'],
    45_000,
    80,
  ],
]

/** A database of its own on the server, dropped afterwards, so a bench never touches real data. */
export async function createBenchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `wijkbudget_bench_${randomBytes(6).toString('hex')}`
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`)
      await admin.end()
    },
  }
}

export interface VotingRound {
  roundId: number
  budgetCents: number
  projects: { id: number; costCents: number }[]
  /** Every code's id, lowest first; the bench signs these into ballot cookies. */
  codeIds: number[]
  generateMs: number
  storeMs: number
}

/** A round in the voting phase with 30 approved projects and `codes` letter codes, made the way an admin makes them. */
export async function seedVotingRound(db: Db, codes: number): Promise<VotingRound> {
  const [official] = await db
    .insert(officials)
    .values({ email: 'bench@example.test', name: 'Bench', role: 'admin', passwordHash: 'not-a-hash' })
    .returning()
  const [round] = await db
    .insert(rounds)
    .values({
      slug: SLUG,
      title: 'Wijkbudget Energie (bench)',
      neighbourhood: 'Bospolder-Tussendijken, Rotterdam',
      description: 'Bewoners verdelen samen € 100.000 voor projecten die energie besparen.',
      budgetCents: 100_000 * EUR,
      phase: 'voting',
      ballotFormat: 'knapsack',
      tallyRule: 'equal-shares',
    })
    .returning()
  const start = Date.now() - 60 * 86_400_000
  const inserted = await db
    .insert(proposals)
    .values(
      PROJECTS.map(([title, summary, euros, track, themes, kwhPerYear, households], i) => ({
        roundId: round!.id,
        reference: `BEN-${String(i + 1).padStart(4, '0')}`,
        statusToken: randomBytes(24).toString('base64url'),
        title,
        summary,
        description: summary,
        costCents: euros * EUR,
        track,
        themes,
        kwhPerYear,
        households,
        co2KgPerYear: kwhPerYear === null ? null : Math.round(kwhPerYear * 0.45),
        contactName: 'Bewoner',
        status: 'approved' as const,
        submittedAt: new Date(start + i * 3_600_000),
      })),
    )
    .returning({ id: proposals.id, costCents: proposals.costCents })

  let started = performance.now()
  const hashes = Array.from({ length: codes }, () => hashCode(SECRETS.codeKey, normaliseCode(generateCode(randomInt))!))
  const generateMs = performance.now() - started
  started = performance.now()
  await insertCodeBatch(db, {
    roundId: round!.id,
    groupLabel: '3024',
    hashes,
    official: { id: official!.id, email: official!.email },
  })
  const storeMs = performance.now() - started

  const ids = await db
    .select({ id: votingCodes.id })
    .from(votingCodes)
    .where(eq(votingCodes.roundId, round!.id))
    .orderBy(asc(votingCodes.id))
  return {
    roundId: round!.id,
    budgetCents: round!.budgetCents,
    projects: inserted,
    codeIds: ids.map((r) => r.id),
    generateMs,
    storeMs,
  }
}

/** Ballots a resident might send: a random handful of projects that fits the budget, never empty. */
export function randomBallots(round: Pick<VotingRound, 'projects' | 'budgetCents'>, n: number): number[][] {
  return Array.from({ length: n }, () => {
    const shuffled = [...round.projects].sort(() => Math.random() - 0.5)
    const wanted = 1 + Math.floor(Math.random() * 8)
    const chosen: number[] = []
    let left = round.budgetCents
    for (const p of shuffled) {
      if (chosen.length === wanted) break
      if (p.costCents <= left) {
        chosen.push(p.id)
        left -= p.costCents
      }
    }
    return chosen
  })
}

/** The form body of a ballot as the browser sends it, with the CSRF token. */
export function ballotBody(projectIds: number[], csrfToken: string): string {
  const body = new URLSearchParams({ _csrf: csrfToken })
  for (const id of projectIds) body.append('projects', String(id))
  body.append('intent', 'submit')
  return body.toString()
}

/** The cookie the code-entry step sets, signed the way @fastify/cookie signs it. */
export function ballotCookie(signer: Signer, roundId: number, codeId: number): string {
  return `ballot=${encodeURIComponent(signer.sign(`${roundId}.${codeId}`))}`
}
