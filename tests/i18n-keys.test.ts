import { readdirSync, readFileSync } from 'node:fs'
import t from 'tap'
import { loadLanguage } from '../server/i18n.js'
import { LANGUAGES } from '../server/languages.js'
import { MODERATION_ACTIONS } from '../server/domain/proposals/moderation.js'
import { SECURITY_ACTIONS } from '../server/domain/security/events.js'
import { SEAL_ACTION } from '../server/domain/voting/seal.js'
import { ACCOUNT_CHANGES } from '../server/routes/official/schemas.js'

const root = new URL('../', import.meta.url)
const filesUnder = (dir: string, ending: string): string[] =>
  readdirSync(new URL(dir, root), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(ending))
    .map((file) => readFileSync(new URL(`${dir}/${file}`, root), 'utf8'))

/** The words each computed action stands for: `official.${change.kind}`, `proposal.${action}`, `event.action`, the seal's. */
const COMPUTED: Record<string, readonly string[]> = {
  '`official.${change.kind}`': ['role', ...ACCOUNT_CHANGES.filter((c) => c !== 'reset-second-factor')].map(
    (kind) => `official.${kind}`,
  ),
  '`proposal.${action}`': MODERATION_ACTIONS.map((action) => `proposal.${action}`),
  'event.action': SECURITY_ACTIONS,
  SEAL_ACTION: [SEAL_ACTION],
}

/** Every audit action the code can write: what the calls that append to the audit log name as `action`. */
function auditActions(): Set<string> {
  const actions = new Set<string>()
  const call = /(?<!function )\b(?:appendAudit|recordAudit|securityEvent|recordSecurityEvent)\((?!\w+: [A-Z])/g
  for (const source of filesUnder('server', '.ts')) {
    for (const found of source.matchAll(call)) {
      const action = /\baction: ([^\n]*?),?\n/.exec(source.slice(found.index, found.index + 600))?.[1]
      if (action === undefined) continue
      // Of `a === 'x' ? 'one' : 'other'`, the two outcomes.
      const outcomes = action.includes(' ? ') ? action.slice(action.indexOf(' ? ')) : action
      const words = COMPUTED[action] ?? [...outcomes.matchAll(/'([a-z.-]+)'/g)].map((m) => m[1]!)
      if (words.length === 0) throw new Error(`an audit action the test cannot read: ${action}`)
      for (const word of words) actions.add(word)
    }
  }
  return actions
}

const exists = (messages: Record<string, string>, key: string) =>
  key in messages || `${key}_one` in messages || `${key}_other` in messages

t.test('every audit action the code can write has its sentence in every language', async (t) => {
  const actions = [...auditActions()].sort()
  t.ok(actions.includes('login') && actions.includes('proposal.approve') && actions.includes('official.unlock'))
  for (const lang of LANGUAGES) {
    const messages = loadLanguage(lang)
    const missing = actions.filter((action) => !exists(messages, `transparency.audit.action.${action}`))
    t.same(missing, [], lang)
  }
})

t.test('every text key a template or a route names exists in Dutch', async (t) => {
  const dutch = loadLanguage('nl')
  const used = new Set<string>()
  for (const template of filesUnder('views', '.hbs'))
    for (const m of template.matchAll(/[{(]t "([^"]+)"/g)) used.add(m[1]!)
  // What routes hand a template to translate (errorKey, messageKey, …) and what they translate themselves.
  for (const source of filesUnder('server', '.ts'))
    for (const m of source.matchAll(/(?:[a-z]Key: |translate\([^,()]+, )'([a-zA-Z][\w-]*(?:\.[\w-]+)+)'/g))
      used.add(m[1]!)
  t.ok(used.size > 500, `${used.size} keys found`)
  t.same(
    [...used].filter((key) => !exists(dutch, key)),
    [],
  )
})
