import { DEFAULT_LANG, LANGUAGES, type Lang } from '../../languages.js'
import { messageIsPublic } from '../proposals/rules.js'
import { isCurrent, OFFICIAL_LANG, proposalIsTranslated, type TextKind } from './texts.js'

/**
 * The languages a round declares: Dutch and the languages its help desk speaks, the neighbourhood's
 * own. A round whose desk names none declares every language the platform offers.
 */
export function declaredLanguages(deskLanguages: readonly Lang[] | undefined): Lang[] {
  const declared = new Set<Lang>([DEFAULT_LANG, ...(deskLanguages ?? [])])
  return deskLanguages && deskLanguages.length > 0 ? LANGUAGES.filter((l) => declared.has(l)) : [...LANGUAGES]
}

/** What a translation row says about its original: which language, and the original's fingerprint then. */
export interface MadeTranslation {
  lang: string
  sourceHash: string | null
  /** False when part of the original is still untranslated (a proposal's description in older rows). */
  complete: boolean
}

/** One public text of a round, with its original words (what a translation's fingerprint is taken over). */
export interface TranslatableText {
  what: 'proposal' | TextKind
  subjectId: number
  /** The proposal it belongs to, if any: the list groups and links by it. */
  proposalId: number | null
  originalLang: Lang
  original: readonly string[]
  /** The languages it must reach; a change request reaches only its submitter. */
  targets: readonly Lang[]
  made: readonly MadeTranslation[]
}

export interface Need {
  text: TranslatableText
  missing: Lang[]
  outdated: Lang[]
}

/** The texts without a current translation into a language they must reach, in the order given. */
export function needsTranslation(texts: readonly TranslatableText[]): Need[] {
  const needs: Need[] = []
  for (const text of texts) {
    const missing: Lang[] = []
    const outdated: Lang[] = []
    for (const lang of text.targets) {
      if (lang === text.originalLang) continue
      const made = text.made.find((m) => m.lang === lang)
      if (!made) missing.push(lang)
      else if (!made.complete || !isCurrent(made.sourceHash, text.original)) outdated.push(lang)
    }
    if (missing.length + outdated.length > 0) needs.push({ text, missing, outdated })
  }
  return needs
}

interface RoundTexts {
  round: { id: number; description: string; hours: string; declared: readonly Lang[] }
  proposals: readonly { id: number; lang: Lang; status: string; title: string; summary: string; description: string }[]
  proposalTranslations: readonly {
    proposalId: number
    lang: string
    sourceHash: string | null
    description: string | null
  }[]
  decisions: readonly { id: number; proposalId: number; kind: string; message: string }[]
  progress: readonly { id: number; proposalId: number; text: string }[]
  /** Funded projects' milestones: their titles are officials' words too. */
  milestones?: readonly { id: number; proposalId: number; title: string }[]
  /** Published and waiting comments and answers, in the language their writer chose. */
  comments?: readonly { id: number; proposalId: number; lang: Lang; text: string }[]
  textTranslations: readonly { kind: string; subjectId: number; lang: string; sourceHash: string }[]
}

/**
 * Everything a round shows the public that a coach can translate, with the languages each must
 * reach: proposals into every declared language but their own; officials' words from Dutch into
 * every declared language, except a change request, which only its submitter reads; a comment
 * not written in Dutch into Dutch, the language of the municipality and its moderators (into
 * other languages on request, from the comment's page).
 */
export function roundTexts(input: RoundTexts): TranslatableText[] {
  const declared = input.round.declared
  const official = declared.filter((l) => l !== OFFICIAL_LANG)
  const madeFor = (kind: TextKind, subjectId: number) =>
    input.textTranslations
      .filter((t) => t.kind === kind && t.subjectId === subjectId)
      .map((t) => ({ lang: t.lang, sourceHash: t.sourceHash, complete: true }))
  const officialText = (
    kind: TextKind,
    subjectId: number,
    proposalId: number | null,
    text: string,
    targets: Lang[],
  ) => ({
    what: kind,
    subjectId,
    proposalId,
    originalLang: OFFICIAL_LANG,
    original: [text],
    targets,
    made: madeFor(kind, subjectId),
  })
  const texts: TranslatableText[] = []
  if (input.round.description)
    texts.push(officialText('description', input.round.id, null, input.round.description, official))
  if (input.round.hours) texts.push(officialText('hours', input.round.id, null, input.round.hours, official))
  const submitterOf = new Map(input.proposals.map((p) => [p.id, p.lang]))
  for (const p of input.proposals) {
    // A rejected or merged proposal's own words are not translated; the reason for the decision is.
    if (proposalIsTranslated(p.status))
      texts.push({
        what: 'proposal',
        subjectId: p.id,
        proposalId: p.id,
        originalLang: p.lang,
        original: [p.title, p.summary, p.description],
        targets: declared,
        made: input.proposalTranslations
          .filter((t) => t.proposalId === p.id)
          .map((t) => ({ lang: t.lang, sourceHash: t.sourceHash, complete: t.description !== null })),
      })
    for (const d of input.decisions.filter((d) => d.proposalId === p.id)) {
      const targets = messageIsPublic(d.kind) ? official : [submitterOf.get(p.id)!].filter((l) => l !== OFFICIAL_LANG)
      texts.push(officialText('decision', d.id, p.id, d.message, targets))
    }
    for (const u of input.progress.filter((u) => u.proposalId === p.id))
      texts.push(officialText('progress', u.id, p.id, u.text, official))
    for (const m of (input.milestones ?? []).filter((m) => m.proposalId === p.id))
      texts.push(officialText('milestone', m.id, p.id, m.title, official))
    for (const c of (input.comments ?? []).filter((c) => c.proposalId === p.id && c.lang !== OFFICIAL_LANG))
      texts.push({
        what: 'comment',
        subjectId: c.id,
        proposalId: p.id,
        originalLang: c.lang,
        original: [c.text],
        targets: [OFFICIAL_LANG],
        made: madeFor('comment', c.id),
      })
  }
  return texts
}
