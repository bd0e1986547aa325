import { Type, type TOptional, type TString } from '@sinclair/typebox'
import { THEMES, type ProposalField } from '../../domain/proposals/rules.js'
import { LANGUAGES } from '../../i18n.js'
import { form, oneOf, SlugPath, textField } from '../schemas.js'

/** Fields in the order the form shows them: the error summary follows the same order. */
export const FIELDS = [
  'title',
  'summary',
  'description',
  'cost',
  'track',
  'themes',
  'location',
  'lat',
  'lng',
  'kwhPerYear',
  'co2KgPerYear',
  'households',
  'organisation',
  'contactName',
  'contactEmail',
  'contactPhone',
  'consent',
  'writtenIn',
] as const satisfies readonly ProposalField[]

/** The fields typed as text; themes are a list and consent a tick. */
export const PROPOSAL_TEXT_FIELDS = FIELDS.filter(
  (f): f is Exclude<ProposalField, 'themes' | 'consent'> => f !== 'themes' && f !== 'consent',
)

export { SlugPath }

export const ReferencePath = Type.Object({ reference: Type.String() })
export const TokenPath = Type.Object({ token: Type.String() })
/** After "mail me the link": how it went. */
export const StatusQuery = Type.Object({ mailed: textField(10), order: textField(10), page: textField(6) })
/** The notices after "mail me the link"; anything else (an old bookmark's `sent`) shows none. */
export const MAILED_NOTICES = ['queued', 'wait'] as const

/** Filters come from a select in the page; a value it does not offer (an old or edited link) means "all". */
export const FilterQuery = Type.Object({ theme: textField(40), track: textField(40), view: textField(10) })

/** A conversation's order and page; anything else (an old or edited link) reads as the first page, newest first. */
export const ConversationQuery = Type.Object({ order: textField(10), page: textField(6) })
/** The proposal's page; `from=ballot` when "view project" on the ballot opened it (it carries no choice). */
export const ProposalQuery = Type.Object({ ...ConversationQuery.properties, from: textField(10) })

export const LanguagePath = Type.Object({ lang: oneOf(LANGUAGES) })
/** An official prints a stack per language without changing their own: the path may name the ballot's language. */
export const PaperBallotPath = Type.Object({ slug: Type.String(), lang: Type.Optional(oneOf(LANGUAGES)) })
export const NextQuery = Type.Object({ next: textField(2000) })

// Open data is read by programs too: they choose the language of the reasons without a cookie.
export const LangQuery = Type.Object({ lang: Type.Optional(oneOf(LANGUAGES)) })

/**
 * Types only: what is wrong with a value is for validateProposal to say, for every field at once.
 * A single ticked theme arrives as a string; readForm turns it into a list.
 */
export const ProposalBody = form({
  ...(Object.fromEntries(PROPOSAL_TEXT_FIELDS.map((field) => [field, Type.Optional(Type.String())])) as Record<
    (typeof PROPOSAL_TEXT_FIELDS)[number],
    TOptional<TString>
  >),
  themes: Type.Optional(Type.Array(Type.String(), { maxItems: THEMES.length })),
  consent: Type.Optional(Type.String()),
})

/** One budget's ballots file of a round of several budgets. */
export const BudgetFilePath = Type.Object({ slug: Type.String(), budget: Type.String({ maxLength: 12 }) })

/** A photo's address: `/photos/12/<hash>/960.webp`; checked in the route, a wrong one names nothing. */
export const PhotoPath = Type.Object({
  photo: Type.String({ maxLength: 12 }),
  hash: Type.String({ maxLength: 64 }),
  variant: Type.String({ maxLength: 16 }),
})
