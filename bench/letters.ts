import { randomInt } from 'node:crypto'
import { createTranslator } from '../server/i18n.js'
import type { Round } from '../server/data/rounds.js'
import { generateCode } from '../server/domain/voting/codes.js'
import { votingUrl } from '../server/domain/voting/code-files.js'
import { letterPdfText, letterText } from '../server/routes/official/letter.js'
import { streamCodesDownload } from '../server/routes/official/codes-download.js'

// One batch of printed letters, streamed as the official's download is: how long, how large, and
// how much memory the process needed at its peak (sampled), against a reader that takes every byte.
const count = Number(process.argv[2] ?? 14_000)
const round = {
  slug: 'bospolder-tussendijken',
  title: 'Energie in Bospolder-Tussendijken',
  neighbourhood: 'Bospolder-Tussendijken',
  budgetCents: 100_000_00,
  votingUntil: '2027-01-03',
  helpDesk: {
    phone: '010 498 12 34',
    email: 'wijkbudget@rotterdam.example',
    address: 'Huis van de Wijk, Schiedamseweg 95',
    hours: 'maandag tot en met vrijdag 9:00 tot 17:00',
    languages: ['nl', 'tr', 'ar'],
    otherLanguages: '',
  },
} as unknown as Round
const translate = createTranslator()
const publicUrl = 'https://wijkbudget.example'
const codes = Array.from({ length: count }, () => generateCode(randomInt))
const urlOf = (code: string) => votingUrl(publicUrl, round.slug, code)

global.gc?.()
const before = process.memoryUsage()
let peak = { rss: before.rss, heapUsed: before.heapUsed }
// With --expose-gc, a collection every second tells what the heap really holds, garbage aside.
let live = 0
const sampler = setInterval(() => {
  const now = process.memoryUsage()
  peak = { rss: Math.max(peak.rss, now.rss), heapUsed: Math.max(peak.heapUsed, now.heapUsed) }
}, 20)
const collector = global.gc
  ? setInterval(() => {
      global.gc!()
      live = Math.max(live, process.memoryUsage().heapUsed)
    }, 1000)
  : undefined
const started = performance.now()
const cpuBefore = process.cpuUsage()
let bytes = 0
const stream = streamCodesDownload(
  {
    codes,
    group: null,
    urlOf,
    letter: letterText(translate, round, publicUrl),
    qr: false,
    letters: letterPdfText(translate, round, publicUrl),
  },
  (error) => console.error(error),
)
for await (const chunk of stream) bytes += (chunk as Buffer).length
const seconds = (performance.now() - started) / 1000
const cpu = process.cpuUsage(cpuBefore)
// CPU time says what the work costs even when other processes share the cores.
const cpuSeconds = (cpu.user + cpu.system) / 1e6
clearInterval(sampler)
clearInterval(collector)
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`
console.log(`letters.pdf for ${count.toLocaleString('en')} codes, streamed in a ZIP`)
console.log(`  time        ${seconds.toFixed(1)} s (${((seconds * 1000) / count).toFixed(2)} ms per letter)`)
console.log(`  CPU time    ${cpuSeconds.toFixed(1)} s (${((cpuSeconds * 1000) / count).toFixed(2)} ms per letter)`)
console.log(`  ZIP size    ${mb(bytes)} (${(bytes / count / 1024).toFixed(1)} KB per letter)`)
console.log(`  peak RSS    ${mb(peak.rss)} (${mb(peak.rss - before.rss)} above the start)`)
console.log(`  peak heap   ${mb(peak.heapUsed)} (${mb(peak.heapUsed - before.heapUsed)} above the start)`)
if (live)
  console.log(`  live heap   ${mb(live)} at most after a collection (${mb(live - before.heapUsed)} above the start)`)
