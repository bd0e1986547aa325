/**
 * The rehearsal's children and what it must undo: everything started is stopped at the end, after a
 * failure, or on Ctrl-C, so an interrupted rehearsal leaves nothing running.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const cleanups: (() => unknown)[] = []
let finished = false

export const onCleanUp = (step: () => unknown) => void cleanups.push(step)

/** Whether the rehearsal is over: an instance that exits then was stopped, not crashed. */
export const isFinished = () => finished

/** Undoes every step, the last first; a step that fails does not stop the others. */
export async function cleanUp(): Promise<void> {
  finished = true
  for (const step of cleanups.splice(0).reverse()) {
    try {
      await step()
    } catch (error) {
      console.log(`  cleaning up: ${(error as Error).message}`)
    }
  }
}

// Ctrl-C reaches this process more than once (from the terminal and relayed by npm and tsx): every
// signal is taken, so a second one cannot end the process halfway through cleaning up.
let interrupted = false
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    if (interrupted) return
    interrupted = true
    console.log(`\n${signal}: stopping everything the rehearsal started`)
    void cleanUp().then(() => process.exit(130))
  })

export function log(line: string): void {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`)
}

/** A child whose output is shown, prefixed, and which is killed at clean-up. */
export function child(
  name: string,
  command: string,
  args: string[],
  env: Record<string, string>,
  onLine: (line: string) => void = () => {},
): ChildProcess {
  const proc = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  for (const stream of [proc.stdout, proc.stderr])
    createInterface({ input: stream }).on('line', (line) => {
      if (!line.trim()) return
      console.log(`    [${name}] ${line}`)
      onLine(line)
    })
  onCleanUp(() => proc.exitCode === null && proc.signalCode === null && proc.kill('SIGKILL'))
  return proc
}

/** The error an instance gave as it shut itself down: its message and where it was thrown. */
export function crashCause(line: string): string {
  try {
    const { err } = JSON.parse(line) as { err?: { message?: string; stack?: string } }
    const where = err?.stack?.split('\n').find((l) => l.trim().startsWith('at '))
    return `${err?.message ?? '?'} ${where?.trim() ?? ''}`
  } catch {
    return line
  }
}
