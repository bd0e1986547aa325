import t from 'tap'
import { loadLanguage } from '../server/i18n.js'
import { confirm, readRecorded, sourceHashes, staleKeys } from '../server/i18n-sources.js'
import { DEFAULT_LANG, LANGUAGES } from '../server/languages.js'

const dutch = loadLanguage(DEFAULT_LANG)
const sources = sourceHashes(dutch)

for (const lang of LANGUAGES.filter((l) => l !== DEFAULT_LANG)) {
  t.test(`${lang} translates today's Dutch: no text is older than its source`, async (t) => {
    const stale = staleKeys(loadLanguage(lang), readRecorded(lang), sources)
    t.same(stale, [], `retranslate these from the Dutch, then run npm run i18n:confirm -- ${lang} <key>…`)
  })
}

t.test('a changed Dutch text makes its translation stale until a translator confirms it', async (t) => {
  const english = { 'vote.codeIntro': 'One code is one vote.', 'layout.skip': 'Skip to content' }
  const recorded = confirm(english, {}, sources, [])
  t.same(staleKeys(english, recorded, sources), [])

  const changed = sourceHashes({ ...dutch, 'vote.codeIntro': 'Met die code stemt u één keer.' })
  t.same(staleKeys(english, recorded, changed), ['vote.codeIntro'])
  t.same(staleKeys(english, confirm(english, recorded, changed, ['vote.codeIntro']), changed), [])
  t.throws(() => confirm(english, recorded, changed, ['no.such.text']), /no Dutch text no.such.text/)
})

t.test('a plural text is one text: a change in any of its Dutch forms makes every form stale', async (t) => {
  const polish = {
    'moderation.days_one': '{count} dzień roboczy',
    'moderation.days_few': '{count} dni robocze',
    'moderation.days_many': '{count} dni roboczych',
    'moderation.days_other': '{count} dnia roboczego',
  }
  const recorded = confirm(polish, {}, sources, [])
  t.same(Object.keys(recorded), ['moderation.days'])
  const changed = sourceHashes({ ...dutch, 'moderation.days_other': '{count} werkdagen (ma–vr)' })
  t.same(staleKeys(polish, recorded, changed), ['moderation.days'])
})

t.test('a translated text never recorded is stale; a record of a text Dutch dropped is forgotten', async (t) => {
  const english = { 'layout.skip': 'Skip to content' }
  t.same(staleKeys(english, {}, sources), ['layout.skip'])
  const recorded = confirm(english, { 'gone.text': 'abc' }, sources, ['layout.skip'])
  t.same(Object.keys(recorded), ['layout.skip'])
})
