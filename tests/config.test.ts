import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { ConfigError, DEFAULT_MAP, loadConfig } from '../server/config.js'

const dataDir = () => mkdtempSync(join(tmpdir(), 'wb-config-'))
const SECRET = 's'.repeat(40)

t.test('with nothing set it runs embedded with demo data on port 3000 and keeps its session secret', async (t) => {
  const dir = dataDir()
  const config = loadConfig({ DATA_DIR: dir })
  t.equal(config.port, 3000)
  t.equal(config.databaseUrl, undefined)
  t.equal(config.demo, true)
  t.equal(config.publicUrl, 'http://localhost:3000')
  t.equal(config.mailPollMs, 5000)
  t.equal(loadConfig({ DATA_DIR: dir, MAIL_POLL_MS: '1000' }).mailPollMs, 1000)
  t.equal(readFileSync(join(dir, 'session-secret'), 'utf8'), config.sessionSecret)
  t.equal(loadConfig({ DATA_DIR: dir }).sessionSecret, config.sessionSecret, 'a restart keeps sessions valid')
  t.equal(readFileSync(join(dir, 'code-key'), 'utf8'), config.codeKey)
  t.not(config.codeKey, config.sessionSecret)
  t.ok(Object.isFrozen(config))
})

t.test('with a database server it needs a shared session secret and has demo off by default', async (t) => {
  const env = { DATABASE_URL: 'postgres://u@db.example:5432/wb', DATA_DIR: dataDir() }
  t.throws(
    () => loadConfig(env),
    new ConfigError(
      'SESSION_SECRET is required with DATABASE_URL (at least 32 characters, the same on every instance)',
    ),
  )
  t.throws(() => loadConfig({ ...env, SESSION_SECRET: SECRET }), { message: /^CODE_KEY is required with DATABASE_URL/ })
  const config = loadConfig({
    ...env,
    SESSION_SECRET: SECRET,
    CODE_KEY: SECRET,
    PUBLIC_URL: 'https://wijkbudget.example.nl/',
  })
  t.equal(config.codeKey, SECRET)
  t.equal(config.demo, false)
  t.equal(config.publicUrl, 'https://wijkbudget.example.nl')
})

t.test('the map comes from PDOK unless the municipality names its own tiles and address search', async (t) => {
  t.same(loadConfig({ DATA_DIR: dataDir() }).map, DEFAULT_MAP)
  t.same(
    loadConfig({
      DATA_DIR: dataDir(),
      MAP_TILES_URL: ' https://{s}.tiles.example.nl/{z}/{x}/{y}.png ',
      MAP_ATTRIBUTION: '© Gemeente',
      GEOCODER_URL: 'https://geo.example.nl/search',
    }).map,
    {
      tilesUrl: 'https://{s}.tiles.example.nl/{z}/{x}/{y}.png',
      attribution: '© Gemeente',
      geocoderUrl: 'https://geo.example.nl/search',
    },
  )
})

t.test('wrong settings are refused with a message naming the setting', async (t) => {
  const table: [Record<string, string>, RegExp][] = [
    [{ PORT: 'eighty' }, /^PORT must be a number/],
    [{ PORT: '70000' }, /^PORT must be a number/],
    [{ DATABASE_URL: 'not a url', SESSION_SECRET: SECRET }, /^DATABASE_URL is not a valid URL/],
    [{ DATABASE_URL: 'mysql://x@y/z', SESSION_SECRET: SECRET }, /^DATABASE_URL must start with postgres:\/\//],
    [{ SESSION_SECRET: 'short' }, /^SESSION_SECRET must be at least 32/],
    [{ CODE_KEY: 'short' }, /^CODE_KEY must be at least 32/],
    [{ SMTP_HOST: 'mail.example' }, /^SMTP_FROM must be the sender address/],
    [{ SMTP_HOST: 'mail.example', SMTP_FROM: 'x@y.example', SMTP_PORT: 'abc' }, /^SMTP_PORT must be a number/],
    [{ DEMO: 'maybe' }, /^DEMO must be on or off/],
    [{ PUBLIC_URL: 'no url' }, /^PUBLIC_URL is not a valid URL/],
    [{ OFFICIAL_MFA: 'sometimes' }, /^OFFICIAL_MFA must be required or optional/],
    [{ CONTACT_RETENTION_DAYS: '-1' }, /^CONTACT_RETENTION_DAYS must be a whole number/],
    [{ CONTACT_RETENTION_DAYS: '90 days' }, /^CONTACT_RETENTION_DAYS must be a whole number/],
    [{ OFFICIAL_IDLE_MINUTES: '0' }, /^OFFICIAL_IDLE_MINUTES must be a whole number/],
    [{ METRICS_TOKEN: 'guessable' }, /^METRICS_TOKEN must be at least 32/],
    [{ MAIL_POLL_MS: '10' }, /^MAIL_POLL_MS must be a whole number from 100/],
    [{ MAP_TILES_URL: 'tiles' }, /^MAP_TILES_URL is not a valid URL/],
    [{ MAP_TILES_URL: 'ftp://tiles.example/{z}/{x}/{y}.png' }, /^MAP_TILES_URL must start with https:\/\//],
    [{ MAP_TILES_URL: 'https://tiles.example/{z}/map.png' }, /^MAP_TILES_URL must hold \{z\}, \{x\} and \{y\}/],
    [{ GEOCODER_URL: 'geocoder' }, /^GEOCODER_URL is not a valid URL/],
  ]
  for (const [env, message] of table) {
    t.throws(() => loadConfig({ DATA_DIR: dataDir(), ...env }), { message }, JSON.stringify(env))
  }
})

t.test(
  'a second factor is required with a database server and optional on the embedded demo, unless set',
  async (t) => {
    const server = {
      DATABASE_URL: 'postgres://u@db.example:5432/wb',
      DATA_DIR: dataDir(),
      SESSION_SECRET: SECRET,
      CODE_KEY: SECRET,
    }
    t.equal(loadConfig(server).officialMfa, 'required')
    t.equal(loadConfig({ DATA_DIR: dataDir() }).officialMfa, 'optional')
    t.equal(loadConfig({ ...server, OFFICIAL_MFA: 'optional' }).officialMfa, 'optional')
    t.equal(loadConfig({ DATA_DIR: dataDir(), OFFICIAL_MFA: 'Required' }).officialMfa, 'required')
  },
)

t.test(
  'contact details are kept 90 days after publication unless set, and the privacy statement has demo names',
  async (t) => {
    const config = loadConfig({ DATA_DIR: dataDir() })
    t.equal(config.contactRetentionDays, 90)
    t.equal(config.idleMinutes, 30)
    t.equal(loadConfig({ DATA_DIR: dataDir(), CONTACT_RETENTION_DAYS: '30' }).contactRetentionDays, 30)
    t.match(config.privacy, { controller: /\S/, contactEmail: /@/, officerEmail: /@/ })
    t.equal(
      loadConfig({ DATA_DIR: dataDir(), PRIVACY_CONTROLLER: 'Gemeente Rotterdam' }).privacy.controller,
      'Gemeente Rotterdam',
    )
  },
)

t.test('TRUST_PROXY names the proxies; "on" (trust anyone) and hop counts are refused', async (t) => {
  const env = { DATA_DIR: dataDir() }
  t.equal(loadConfig(env).trustProxy, false)
  t.equal(loadConfig({ ...env, TRUST_PROXY: 'off' }).trustProxy, false)
  t.same(loadConfig({ ...env, TRUST_PROXY: '10.0.0.5, 10.1.0.0/16,::1,fd00::/8,loopback' }).trustProxy, [
    '10.0.0.5',
    '10.1.0.0/16',
    '::1',
    'fd00::/8',
    'loopback',
  ])
  for (const wrong of ['on', 'true', '1', '10.0.0.0/33', 'proxy.example']) {
    t.throws(() => loadConfig({ ...env, TRUST_PROXY: wrong }), { message: /^TRUST_PROXY must name the proxies/ }, wrong)
  }
})
