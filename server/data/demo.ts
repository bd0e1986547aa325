import { randomBytes } from 'node:crypto'
import { sourceHash } from '../domain/translations/texts.js'
import type { Db } from '../../db/client.js'
import {
  comments,
  officials,
  proposalEvents,
  proposals,
  proposalTranslations,
  rounds,
  textTranslations,
} from '../../db/schema.js'
import { hashPassword } from '../passwords.js'
import { appendAudit } from './audit.js'

export const DEMO_PASSWORD = 'wijkbudget-demo'
export const DEMO_OFFICIALS = [
  { email: 'admin@wijkbudget.test', name: 'Anouk de Vries', role: 'admin' },
  { email: 'moderator@wijkbudget.test', name: 'Mohamed El Amrani', role: 'moderator' },
  { email: 'taalcoach@wijkbudget.test', name: 'Ayşe Yılmaz', role: 'coach' },
  { email: 'raad@wijkbudget.test', name: 'Ria Jansen', role: 'council' },
] as const

type Seed = Omit<typeof proposals.$inferInsert, 'roundId' | 'reference' | 'statusToken' | 'contactName'> & {
  daysAgo: number
}

const EUR = 100
const DEMO_PROPOSALS: Seed[] = [
  {
    title: 'Energiecoaches in je eigen taal',
    summary:
      'Getrainde buren helpen bewoners thuis energie te besparen, in het Turks, Arabisch, Papiaments en Nederlands.',
    description:
      'Tien bewoners worden opgeleid tot energiecoach. Zij gaan langs bij huishoudens, lezen samen de energierekening, plaatsen tochtstrips en radiatorfolie en geven tips die passen bij het huishouden.',
    costCents: 18_000 * EUR,
    track: 'social',
    themes: ['energy-poverty', 'jobs-language'],
    location: 'Hele wijk',
    kwhPerYear: 90_000,
    co2KgPerYear: 40_000,
    households: 300,
    organisation: null,
    status: 'approved',
    daysAgo: 40,
  },
  {
    title: 'Warmtescan van 200 woningen',
    summary: 'Met een warmtecamera zien we waar huizen warmte verliezen, en bewoners krijgen een persoonlijk advies.',
    description:
      'In de winter maakt een energieadviseur warmtefoto’s van de gevels. Elke deelnemer krijgt de foto’s en een advies op één A4 met wat het meeste oplevert.',
    costCents: 9_500 * EUR,
    track: 'financial-technical',
    themes: ['energy-poverty', 'green'],
    location: 'Bospolder',
    latitude: 51.9136,
    longitude: 4.4338,
    kwhPerYear: 40_000,
    co2KgPerYear: 18_000,
    households: 200,
    organisation: null,
    status: 'approved',
    daysAgo: 38,
  },
  {
    title: 'Isolatiehulp voor huishoudens met een laag inkomen',
    summary: 'Gratis isolatie van kieren, leidingen en ramen voor huishoudens met een laag inkomen.',
    description:
      'Een klusteam van buurtbewoners isoleert kieren, leidingen en brievenbussen. Materialen worden betaald uit het wijkbudget.',
    costCents: 42_000 * EUR,
    track: 'financial-technical',
    themes: ['energy-poverty'],
    location: 'Tussendijken',
    latitude: 51.9158,
    longitude: 4.4415,
    kwhPerYear: 150_000,
    co2KgPerYear: 65_000,
    households: 160,
    organisation: null,
    status: 'approved',
    daysAgo: 35,
  },
  {
    title: 'Zonnepanelen op het dak van het buurthuis',
    summary: 'Zonnepanelen op het buurthuis aan het Mathenesserplein; de besparing gaat naar activiteiten.',
    description:
      'Op het platte dak passen 60 panelen. Wat het buurthuis bespaart op stroom gaat naar activiteiten voor ouderen en jongeren.',
    costCents: 28_000 * EUR,
    track: 'spatial',
    themes: ['green'],
    location: 'Buurthuis Mathenesserplein',
    latitude: 51.9139,
    longitude: 4.4458,
    kwhPerYear: 21_000,
    co2KgPerYear: 9_000,
    households: null,
    organisation: 'Stichting Buurthuis BTD',
    status: 'approved',
    daysAgo: 33,
  },
  {
    title: 'Energiecafé voor ouderen',
    summary: 'Elke maand een koffieochtend waar ouderen samen leren over hun energierekening.',
    description:
      'Ouderen die alleen wonen komen elke maand samen. Een vrijwilliger legt uit hoe je de thermostaat instelt en hoe je hulp aanvraagt.',
    costCents: 4_500 * EUR,
    track: 'social',
    themes: ['ageing', 'loneliness', 'energy-poverty'],
    location: 'Wijkcentrum',
    kwhPerYear: null,
    co2KgPerYear: null,
    households: 80,
    organisation: null,
    status: 'approved',
    daysAgo: 30,
  },
  {
    title: 'Groene daken op bushokjes',
    summary: 'Sedumdaken op vijf bushokjes: koeler in de zomer en goed voor bijen.',
    description: 'Vijf bushokjes krijgen een dak met planten. Dat houdt regenwater vast en maakt de straat groener.',
    costCents: 12_500 * EUR,
    track: 'spatial',
    themes: ['green'],
    location: 'Schiedamseweg',
    latitude: 51.9112,
    longitude: 4.4392,
    kwhPerYear: null,
    co2KgPerYear: 500,
    households: null,
    organisation: null,
    status: 'submitted',
    daysAgo: 2,
  },
  {
    title: 'Leer-werkplekken als energieklusser',
    summary: 'Jongeren leren isoleren bij bewoners thuis en halen een erkend certificaat.',
    description:
      'Samen met het mbo leren twaalf jongeren het vak van energieklusser. Zij werken in de wijk onder begeleiding.',
    costCents: 22_000 * EUR,
    track: 'social',
    themes: ['jobs-language', 'energy-poverty'],
    location: 'Hele wijk',
    kwhPerYear: 30_000,
    co2KgPerYear: 13_000,
    households: 60,
    organisation: 'Zadkine mbo',
    status: 'needs_changes',
    daysAgo: 6,
  },
  {
    title: 'Led-verlichting in portieken',
    summary: 'Zuinige led-lampen met bewegingssensor in 40 portieken: veiliger en goedkoper.',
    description:
      'De oude lampen in de portieken branden dag en nacht. Led-lampen met sensor besparen stroom en maken de portieken veiliger.',
    costCents: 7_800 * EUR,
    track: 'financial-technical',
    themes: ['safety', 'green'],
    location: 'Portieken Grote Visserijstraat',
    latitude: 51.9127,
    longitude: 4.4403,
    kwhPerYear: 25_000,
    co2KgPerYear: 11_000,
    households: 240,
    organisation: 'Woonstad Rotterdam',
    status: 'submitted',
    daysAgo: 1,
  },
  {
    title: 'Gratis energiekastje voor iedereen',
    summary: 'Een apparaat dat het verbruik laat zien in ieder huis van de wijk.',
    description: 'Elk huis krijgt een kastje dat laat zien hoeveel stroom er gebruikt wordt.',
    costCents: 140_000 * EUR,
    track: 'financial-technical',
    themes: ['energy-poverty'],
    location: 'Hele wijk',
    kwhPerYear: null,
    co2KgPerYear: null,
    households: 6_000,
    organisation: null,
    status: 'rejected',
    daysAgo: 25,
  },
  {
    title: 'Buurtmoestuin met regenton',
    summary: 'Een moestuin op het braakliggende veldje, met regentonnen en een zonnepomp.',
    description: 'Bewoners tuinieren samen. Een kleine pomp op zonne-energie haalt water uit de regentonnen.',
    costCents: 6_000 * EUR,
    track: 'spatial',
    themes: ['green', 'loneliness'],
    location: 'Veldje achter de Schiedamseweg',
    latitude: 51.9104,
    longitude: 4.4361,
    kwhPerYear: null,
    co2KgPerYear: 300,
    households: 40,
    organisation: null,
    status: 'approved',
    daysAgo: 28,
  },
]

/** A language coach's work, so the demo shows proposals in Turkish and Arabic with the Dutch original one tap away. */
const DEMO_TRANSLATIONS = [
  {
    of: 'Energiecoaches',
    lang: 'tr',
    text: {
      title: 'Kendi dilinizde enerji koçları',
      summary:
        'Eğitimli komşular, mahalle sakinlerine evde enerji tasarrufu yapmalarında Türkçe, Arapça, Papiamento ve Felemenkçe yardım eder.',
    },
  },
  {
    of: 'Energiecoaches',
    lang: 'ar',
    text: {
      title: 'مدربو الطاقة بلغتك',
      summary: 'جيران مدربون يساعدون السكان على توفير الطاقة في بيوتهم، بالتركية والعربية والبابيامنتو والهولندية.',
    },
  },
  {
    of: 'Isolatiehulp',
    lang: 'tr',
    text: {
      title: 'Düşük gelirli haneler için yalıtım yardımı',
      summary: 'Düşük gelirli haneler için aralıkların, boruların ve pencerelerin ücretsiz yalıtımı.',
    },
  },
  {
    of: 'Isolatiehulp',
    lang: 'ar',
    text: {
      title: 'مساعدة في العزل للأسر ذات الدخل المنخفض',
      summary: 'عزل مجاني للشقوق والأنابيب والنوافذ للأسر ذات الدخل المنخفض.',
    },
  },
] as const

const DEMO_ANSWERS: Partial<
  Record<string, { kind: 'approved' | 'rejected' | 'changes_requested'; message: string | null }>
> = {
  approved: { kind: 'approved', message: null },
  needs_changes: {
    kind: 'changes_requested',
    message: 'Mooi plan. Kunt u laten zien hoeveel jongeren al hebben toegezegd, en wat het mbo zelf betaalt?',
  },
  rejected: {
    kind: 'rejected',
    message:
      'De kosten zijn hoger dan het hele wijkbudget. Een kleinere proef in één straat kan wel; dien die gerust opnieuw in.',
  },
}

const token = () => randomBytes(24).toString('base64url')

/** Demo data for trying the platform: one round modelled on Bospolder-Tussendijken. Runs once. */
export async function seedDemo(db: Db, now = new Date()): Promise<boolean> {
  const existing = await db.select({ id: rounds.id }).from(rounds).limit(1)
  if (existing.length > 0) return false
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  const day = (offset: number) => new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10)
  await db.transaction(async (tx) => {
    const [admin] = await tx
      .insert(officials)
      .values(DEMO_OFFICIALS.map((o) => ({ ...o, passwordHash })))
      .returning()
    const [round] = await tx
      .insert(rounds)
      .values({
        slug: 'bospolder-tussendijken',
        title: 'Wijkbudget Energie Bospolder-Tussendijken',
        neighbourhood: 'Bospolder-Tussendijken, Rotterdam',
        description:
          'Bewoners van BTD verdelen samen €\u00a0100.000 voor projecten die energie besparen en de wijk sterker maken.',
        budgetCents: 100_000 * EUR,
        phase: 'reviewing',
        ballotFormat: 'knapsack',
        tallyRule: 'equal-shares',
        proposingFrom: day(-50),
        reviewingFrom: day(-10),
        votingFrom: day(10),
        votingUntil: day(31),
        publishOn: day(38),
        phaseStartedAt: {
          proposing: new Date(now.getTime() - 50 * 86_400_000).toISOString(),
          reviewing: new Date(now.getTime() - 10 * 86_400_000).toISOString(),
        },
        helpDesk: {
          phone: '010 - 123 45 67',
          email: 'hulp@wijkbudget.test',
          address: 'Wijkcentrum BTD, Mathenesserplein 1, Rotterdam',
          hours: 'maandag tot en met vrijdag 9.00–17.00, woensdag tot 20.00',
          languages: ['nl', 'en', 'tr', 'ar', 'pt'],
          otherLanguages: 'Papiamento',
        },
      })
      .returning()
    const inserted = await tx
      .insert(proposals)
      .values(
        DEMO_PROPOSALS.map(({ daysAgo, ...p }, i) => {
          const submittedAt = new Date(now.getTime() - daysAgo * 86_400_000)
          return {
            ...p,
            roundId: round!.id,
            reference: `BTD-${String(i + 1).padStart(4, '0')}`,
            statusToken: token(),
            contactName: 'Demo bewoner',
            contactEmail: `bewoner${i + 1}@example.org`,
            contactConsent: true,
            submittedAt,
            waitingSince: p.status === 'submitted' ? submittedAt : null,
            firstAnsweredAt: p.status === 'submitted' ? null : new Date(submittedAt.getTime() + 5 * 3_600_000),
          }
        }),
      )
      .returning()
    await tx.insert(proposalEvents).values(
      inserted.flatMap((p) => {
        const events: (typeof proposalEvents.$inferInsert)[] = [
          { proposalId: p.id, kind: 'submitted', at: p.submittedAt },
        ]
        const answer = DEMO_ANSWERS[p.status]
        if (answer)
          events.push({
            proposalId: p.id,
            kind: answer.kind,
            at: p.firstAnsweredAt!,
            officialId: admin!.id,
            message: answer.message,
          })
        return events
      }),
    )
    const byTitle = (start: string) => inserted.find((p) => p.title.startsWith(start))!
    // Titles and summaries only: the descriptions wait in the coaches' list.
    await tx.insert(proposalTranslations).values(
      DEMO_TRANSLATIONS.map((d) => {
        const of = byTitle(d.of)
        return {
          ...d.text,
          lang: d.lang,
          proposalId: of.id,
          sourceHash: sourceHash(of.title, of.summary, of.description),
        }
      }),
    )
    await seedConversation(tx, byTitle('Zonnepanelen'), admin!.id, now)
    await appendAudit(tx, {
      officialId: admin!.id,
      actor: 'demo',
      action: 'demo.seed',
      object: `round:${round!.id}`,
      details: { proposals: DEMO_PROPOSALS.length },
    })
  })
  return true
}

/**
 * A conversation to show on one proposal: a resident's question in Turkish (with a coach's Dutch
 * translation) answered by the municipality the same morning, and a comment the submitter answered.
 */
async function seedConversation(tx: Db, proposal: { id: number; roundId: number }, adminId: number, now: Date) {
  const at = (daysAgo: number, hours = 0) => new Date(now.getTime() - daysAgo * 86_400_000 + hours * 3_600_000)
  const base = { roundId: proposal.roundId, proposalId: proposal.id, status: 'published' as const }
  const [question, comment] = await tx
    .insert(comments)
    .values([
      {
        ...base,
        kind: 'question',
        author: 'resident',
        displayName: 'Ayten',
        text: 'Panellerin ürettiği elektrik buurthuis faturasını ne kadar düşürür?',
        lang: 'tr',
        token: token(),
        createdAt: at(12),
        decidedAt: at(12, 1),
        decidedBy: adminId,
        firstOfficialAnswerAt: at(12, 3),
      },
      {
        ...base,
        kind: 'comment',
        author: 'resident',
        displayName: '',
        text: 'Goed idee. Kan de opbrengst ook naar de activiteiten voor kinderen?',
        lang: 'nl',
        token: token(),
        createdAt: at(8),
        decidedAt: at(8, 2),
        decidedBy: adminId,
      },
    ])
    .returning()
  await tx.insert(comments).values([
    {
      ...base,
      parentId: question!.id,
      kind: 'answer',
      author: 'official',
      officialId: adminId,
      text: 'Ongeveer € 4.000 per jaar. Dat geld blijft bij het buurthuis, voor de activiteiten in de wijk.',
      lang: 'nl',
      token: token(),
      createdAt: at(12, 3),
      decidedAt: at(12, 3),
      decidedBy: adminId,
    },
    {
      ...base,
      parentId: comment!.id,
      kind: 'answer',
      author: 'submitter',
      text: 'Ja, dat is het plan: de helft gaat naar de kinderclub.',
      lang: 'nl',
      token: token(),
      createdAt: at(7),
      decidedAt: at(7, 1),
      decidedBy: adminId,
    },
  ])
  const original = 'Panellerin ürettiği elektrik buurthuis faturasını ne kadar düşürür?'
  await tx.insert(textTranslations).values({
    roundId: proposal.roundId,
    kind: 'comment',
    subjectId: question!.id,
    lang: 'nl',
    text: 'Hoeveel lager wordt de energierekening van het buurthuis door de panelen?',
    sourceHash: sourceHash(original),
    officialId: adminId,
  })
}
