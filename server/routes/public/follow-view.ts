import { LANGUAGE_LIST, type Lang } from '../../languages.js'
import type { FollowField } from '../../domain/conversation/follows.js'
import type { Phase } from '../../domain/rounds/phases.js'

export interface FollowForm {
  email: string
  lang: string
}

interface Named {
  slug: string
  phase: Phase
}

/** The partial's headings and intro for a round or a proposal; after the results, what is left to hear is the money's story. */
const texts = (round: Named, proposal: unknown) => {
  const after = round.phase === 'published'
  if (proposal)
    return after
      ? { titleKey: 'follows.title.project', introKey: 'follows.intro.project' }
      : { titleKey: 'follows.title.proposal', introKey: 'follows.intro.proposal' }
  return { titleKey: 'follows.title.round', introKey: after ? 'follows.intro.roundAfter' : 'follows.intro.round' }
}

/**
 * The follow partial on a page kept for every visitor (the round's, a proposal's): a link to the
 * form, which htmx loads in place. A kept page cannot carry one visitor's form token.
 */
export function followLink(round: Named, proposal: { reference: string } | null) {
  const href = proposal ? `/proposals/${proposal.reference}/follow` : `/rounds/${round.slug}/follow`
  return { ...texts(round, proposal), href, form: null }
}

/** The follow partial with its form: the address typed, the language (the page's until chosen), each wrong field's message. */
export function followView(input: {
  round: Named
  proposal: { reference: string } | null
  action: string
  values: FollowForm
  errors: Partial<Record<FollowField, string>>
  status: number
  lang: Lang
}) {
  const { values, errors } = input
  const chosen = values.lang || input.lang
  return {
    ...texts(input.round, input.proposal),
    href: input.action,
    form: {
      action: input.action,
      email: values.email,
      errors,
      tooMany: input.status === 429,
      languages: LANGUAGE_LIST.map(({ code, name }) => ({ code, name, selected: code === chosen })),
      errorList: (['email', 'lang'] as const)
        .filter((field) => errors[field])
        .map((field) => ({ href: `follow-${field}`, label: `follows.field.${field}`, message: errors[field]! })),
    },
  }
}
