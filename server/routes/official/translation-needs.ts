import type { Db } from '../../../db/client.js'
import { roundProposalTranslations } from '../../data/proposal-translations.js'
import type { Round } from '../../data/rounds.js'
import {
  roundComments,
  roundDecisions,
  roundMilestones,
  roundProgress,
  roundProposalTexts,
  roundTextTranslations,
} from '../../data/text-translations.js'
import { writtenIn } from '../../domain/proposals/translation.js'
import { storedHelpDesk } from '../../domain/rounds/help-desk.js'
import { declaredLanguages, needsTranslation, roundTexts, type Need } from '../../domain/translations/needs.js'
import { textSlug } from '../../domain/translations/texts.js'
import { language } from '../../languages.js'

/** What the needs-translation list shows of a text besides its languages. */
interface Shown {
  reference: string | null
  title: string | null
  titleLang: string | null
  kind: string
}

/** A round's public texts without a current translation into a language the round declares, with what to show of each. */
export async function roundNeeds(db: Db, round: Round) {
  const desk = storedHelpDesk(round.helpDesk)
  const [proposals, proposalTranslations, decisions, progress, milestones, comments, textTranslations] =
    await Promise.all([
      roundProposalTexts(db, round.id),
      roundProposalTranslations(db, round.id),
      roundDecisions(db, round.id),
      roundProgress(db, round.id),
      roundMilestones(db, round.id),
      roundComments(db, round.id),
      roundTextTranslations(db, round.id),
    ])
  const needs = needsTranslation(
    roundTexts({
      round: {
        id: round.id,
        description: round.description,
        hours: desk?.hours ?? '',
        declared: declaredLanguages(desk?.languages),
      },
      proposals: proposals.map((p) => ({ ...p, lang: writtenIn(p.lang) })),
      proposalTranslations,
      decisions,
      progress,
      milestones,
      comments: comments.map((c) => ({ ...c, lang: writtenIn(c.lang) })),
      textTranslations,
    }),
  )
  const byId = new Map(proposals.map((p) => [p.id, p]))
  const kindOf = new Map(decisions.map((d) => [d.id, d.kind]))
  const shown = (need: Need): Shown => {
    const { what, subjectId, proposalId } = need.text
    const proposal = proposalId === null ? undefined : byId.get(proposalId)
    const kind = what === 'decision' ? `moderation.event.${kindOf.get(subjectId)}` : `translation.what.${what}`
    if (!proposal) return { reference: null, title: null, titleLang: null, kind }
    return { reference: proposal.reference, title: proposal.title, titleLang: writtenIn(proposal.lang), kind }
  }
  return needs.map((need) => ({ need, shown: shown(need) }))
}

/** Where a coach translates a text; the page adds `?into=` with the language, so the coach's own interface stays as it is. */
function translatePath(round: Round, need: Need): string {
  const { what, subjectId } = need.text
  if (what === 'proposal') return `/official/proposals/${subjectId}/translate`
  return `/official/rounds/${round.id}/texts/${textSlug({ kind: what, subjectId })}/translate`
}

const EXCERPT = 160

/** The start of an official's text, enough to recognise it in the list. */
function excerpt(text: string): string {
  const chars = [...text]
  return chars.length > EXCERPT ? `${chars.slice(0, EXCERPT).join('').trimEnd()}…` : text
}

/** One round's section of the list: each text with the languages it still needs, new or to update. */
export function needsView(round: Round, needs: Awaited<ReturnType<typeof roundNeeds>>) {
  return {
    id: round.id,
    title: round.title,
    count: needs.length,
    items: needs.map(({ need, shown }) => ({
      ...shown,
      path: translatePath(round, need),
      excerpt: need.text.what === 'proposal' ? null : excerpt(need.text.original[0] ?? ''),
      excerptLang: need.text.originalLang,
      languages: [
        ...need.missing.map((code) => ({ code, outdated: false })),
        ...need.outdated.map((code) => ({ code, outdated: true })),
      ].map((l) => ({ ...l, name: language(l.code).name })),
    })),
  }
}
