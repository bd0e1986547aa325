import type { Round } from '../../data/rounds.js'
import { isolate, isolateLtr } from '../../domain/common/bidi.js'
import { storedHelpDesk } from '../../domain/rounds/help-desk.js'
import { formatDate, formatEuro } from '../../formatters.js'
import type { Translate } from '../../i18n.js'
import { DEFAULT_LANG, LANGUAGES } from '../../languages.js'

/**
 * The letter's text for the mail-merge (letter.txt in the codes ZIP): in Dutch, with one line in
 * each supported language saying where to vote in it. «code» and «voting_url» are the CSV's
 * columns; the QR code carries no language, so the resident picks one on the page.
 */
export function letterText(translate: Translate, round: Round, publicUrl: string): string {
  const nl = (key: string, vars?: Record<string, unknown>) => translate(DEFAULT_LANG, key, vars)
  const voteUrl = `${publicUrl}/rounds/${encodeURIComponent(round.slug)}/vote`
  const desk = storedHelpDesk(round.helpDesk)
  const lines = [
    nl('letter.heading', { title: isolate(round.title) }),
    '',
    nl('letter.intro', {
      budget: formatEuro(round.budgetCents, DEFAULT_LANG),
      neighbourhood: isolate(round.neighbourhood),
    }),
    ...(round.votingUntil ? [nl('letter.until', { date: formatDate(round.votingUntil, DEFAULT_LANG) })] : []),
    '',
    nl('letter.how', { url: isolateLtr(voteUrl) }),
    nl('letter.code', { code: isolateLtr('«code»') }),
    '',
    nl('letter.paper'),
    ...(desk ? [nl('letter.help', { phone: isolateLtr(desk.phone) })] : []),
    '',
    nl('letter.languages'),
    ...LANGUAGES.filter((lang) => lang !== DEFAULT_LANG).map((lang) =>
      translate(lang, 'letter.inLanguage', { url: isolateLtr(`${voteUrl}?lang=${lang}`) }),
    ),
  ]
  return `${lines.join('\r\n')}\r\n`
}
