import { randomBytes } from 'node:crypto'
import { eq } from 'drizzle-orm'
import type { Db } from '../db/client.js'
import { comments } from '../db/schema.js'
import { random } from './fixture.js'

/** Sentences residents might write, in the six languages the platform speaks. */
const SAYINGS: [lang: string, text: string][] = [
  ['nl', 'Kan ik ook meedoen als ik huur? Mijn verhuurder reageert nooit op mijn vragen over isolatie.'],
  ['en', 'Will the heat pumps be shared between the flats, or does every household get its own unit?'],
  ['ar', 'هل يمكن للمستأجرين المشاركة في هذا المشروع؟ نريد أن نعرف متى يبدأ العمل في الحي.'],
  ['pl', 'Czy ten projekt obejmuje również budynki przy Schiedamseweg? Mieszkam tam od dziesięciu lat.'],
  ['pt', 'Quanto tempo vai demorar a instalação? Tenho filhos pequenos e preciso de me organizar.'],
  ['tr', 'Bu proje kiracılar için de geçerli mi? Ev sahibimizin onayı gerekiyor mu?'],
  ['nl', 'Goed idee! In onze straat staan al jaren lege daken waar zonnepanelen op kunnen.'],
  ['nl', 'Ik mis in het plan hoe oudere bewoners geholpen worden met de nieuwe kookplaat.'],
]
const LATIN = { consonants: 'bdfghjklmnprstvwz', vowels: 'aeiou' }
const ARABIC = { consonants: 'بتثجحخدذرزسشصضطظعغفقكلمنهو', vowels: 'اوي' }
/**
 * A text of `length` characters: the saying, then words made of random syllables in the saying's
 * script. Brotli finds no repeats in them, so the page's weight is not flattered (written words
 * compress about as well as these).
 */
function wording(lang: string, saying: string, length: number, seed: number) {
  const next = random(seed)
  const pick = (letters: string) => letters[Math.floor(next() * letters.length)]!
  const script = lang === 'ar' ? ARABIC : LATIN
  let text = saying
  while (text.length < length) {
    let word = ''
    for (let s = 1 + Math.floor(next() * 3); s > 0; s--) word += pick(script.consonants) + pick(script.vowels)
    text += ` ${word}${next() < 0.1 ? '.' : ''}`
  }
  return `${text.slice(0, length - 1)}.`
}

export interface SeededConversation {
  /** Threads (questions and comments without a parent), newest last. */
  threads: { id: number; kind: 'question' | 'comment'; text: string; answeredAt: Date | null }[]
  published: number
}

/**
 * A busy proposal's conversation: `count` published comments, of which every ninth an official's
 * answer to a question and every fourteenth the submitter's answer, every twentieth 2,000 characters
 * long, in Dutch, English, Arabic, Polish, Portuguese and Turkish. Written straight into the table
 * (as a moderator would have published them), one minute apart, starting `start`.
 */
export async function seedConversation(
  db: Db,
  input: { roundId: number; proposalId: number; officialId: number; count?: number; start?: Date },
): Promise<SeededConversation> {
  const count = input.count ?? 300
  const start = (input.start ?? new Date(Date.now() - 30 * 86_400_000)).getTime()
  const rows: (typeof comments.$inferInsert)[] = []
  const threads: SeededConversation['threads'] = []
  const at = (i: number) => new Date(start + i * 60_000)
  // Threads first so answers can name their parents; the ids come back in insertion order.
  const answerSlots = Array.from({ length: count }, (_, i) =>
    i % 9 === 8 ? 'official' : i % 14 === 13 ? 'submitter' : null,
  )
  const threadCount = answerSlots.filter((s) => s === null).length
  for (let i = 0; i < threadCount; i++) {
    const [lang, text] = SAYINGS[i % SAYINGS.length]!
    rows.push({
      roundId: input.roundId,
      proposalId: input.proposalId,
      kind: i % 3 === 0 ? 'question' : 'comment',
      author: 'resident',
      displayName: i % 4 === 0 ? '' : `Bewoner ${i + 1}`,
      text: wording(lang, text, i % 20 === 19 ? 2000 : 120 + ((i * 37) % 400), i + 1),
      lang,
      token: randomBytes(24).toString('base64url'),
      status: 'published',
      decidedAt: at(i),
      decidedBy: input.officialId,
      createdAt: at(i),
    })
  }
  const inserted = await db.insert(comments).values(rows).returning({ id: comments.id, kind: comments.kind })
  const questions = inserted.filter((r) => r.kind === 'question')
  const others = inserted.filter((r) => r.kind === 'comment')
  const answers: (typeof comments.$inferInsert)[] = []
  const answeredAt = new Map<number, Date>()
  let official = 0
  let submitter = 0
  for (const [i, slot] of answerSlots.entries()) {
    if (slot === null) continue
    const parent =
      slot === 'official' ? questions[official++ % questions.length]! : others[submitter++ % others.length]!
    const when = at(threadCount + i)
    if (slot === 'official' && !answeredAt.has(parent.id)) answeredAt.set(parent.id, when)
    answers.push({
      roundId: input.roundId,
      proposalId: input.proposalId,
      parentId: parent.id,
      kind: 'comment',
      author: slot,
      officialId: slot === 'official' ? input.officialId : null,
      displayName: '',
      text:
        slot === 'official'
          ? 'Dank voor uw vraag. Huurders kunnen meedoen; de gemeente neemt contact op met de verhuurder en betaalt de aansluiting.'
          : 'Als indiener: we hebben dit met de bewonerscommissie besproken en nemen het mee in de uitvoering.',
      lang: 'nl',
      token: randomBytes(24).toString('base64url'),
      status: 'published',
      decidedAt: when,
      decidedBy: input.officialId,
      createdAt: when,
    })
  }
  if (answers.length > 0) await db.insert(comments).values(answers)
  for (const [id, when] of answeredAt) {
    await db.update(comments).set({ firstOfficialAnswerAt: when }).where(eq(comments.id, id))
  }
  for (const [i, row] of inserted.entries())
    threads.push({
      id: row.id,
      kind: row.kind as 'question' | 'comment',
      text: rows[i]!.text,
      answeredAt: answeredAt.get(row.id) ?? null,
    })
  return { threads, published: inserted.length + answers.length }
}
