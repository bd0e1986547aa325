import type { Round } from '../../data/rounds.js'
import { isolate, isolateLtr } from '../../domain/common/bidi.js'
import { storedHelpDesk } from '../../domain/rounds/help-desk.js'
import { formatDate, formatEuro } from '../../formatters.js'
import type { Translate } from '../../i18n.js'
import { DEFAULT_LANG, language, LANGUAGES, type Lang } from '../../languages.js'
import type { LetterText } from '../../letters-pdf.js'

/**
 * The letter's text for the mail-merge (letter.txt in the codes ZIP): in Dutch, with one line in
 * each language the round declares saying where to vote in it. «code» and «voting_url» are the CSV's
 * columns; the QR code carries no language, so the resident picks one on the page.
 */
export function letterText(
  translate: Translate,
  round: Round,
  publicUrl: string,
  languages: readonly Lang[] = LANGUAGES,
): string {
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
    ...languages
      .filter((lang) => lang !== DEFAULT_LANG)
      .map((lang) => translate(lang, 'letter.inLanguage', { url: isolateLtr(`${voteUrl}?lang=${lang}`) })),
  ]
  return `${lines.join('\r\n')}\r\n`
}

/** A calendar day in figures (3-1-2027 as 03-01-2027): read alike in every language of the letter. */
function dayInFigures(day: string): string {
  const [year, month, date] = day.split('-')
  return `${date}-${month}-${year}`
}

/**
 * The printed letter's words: Dutch, as letter.txt, with the figures a reader of any language needs
 * in the box (code, address, last day, help desk), then a paragraph in each other language.
 */
export function letterPdfText(
  translate: Translate,
  round: Round,
  publicUrl: string,
  languages: readonly Lang[] = LANGUAGES,
): LetterText {
  const nl = (key: string, vars?: Record<string, unknown>) => translate(DEFAULT_LANG, key, vars)
  const voteUrl = `${publicUrl}/rounds/${encodeURIComponent(round.slug)}/vote`
  const desk = storedHelpDesk(round.helpDesk)
  return {
    title: nl('letters.title', { title: round.title }),
    heading: nl('letter.heading', { title: round.title }),
    intro: nl('letter.intro', {
      budget: formatEuro(round.budgetCents, DEFAULT_LANG),
      neighbourhood: round.neighbourhood,
    }),
    codeLabel: nl('letters.codeLabel'),
    urlLabel: nl('letters.urlLabel'),
    voteUrl,
    until: round.votingUntil
      ? {
          label: nl('letters.untilLabel'),
          figures: dayInFigures(round.votingUntil),
          words: nl('letter.until', { date: formatDate(round.votingUntil, DEFAULT_LANG) }),
        }
      : null,
    help: desk ? { label: nl('letters.helpLabel'), phone: desk.phone } : null,
    body: [
      nl('letter.how', { url: voteUrl }),
      nl('letter.paper'),
      ...(desk?.address ? [nl('letters.visit', { address: desk.address })] : []),
      ...(desk?.hours ? [nl('letters.hours', { hours: desk.hours })] : []),
      ...(desk?.email ? [nl('letters.email', { email: desk.email })] : []),
    ],
    languagesHeading: nl('letter.languages'),
    languages: languages
      .filter((lang) => lang !== DEFAULT_LANG)
      .map((lang) => ({
        name: language(lang).name,
        rtl: language(lang).dir === 'rtl',
        paragraph: translate(lang, 'letters.paragraph'),
      })),
  }
}
