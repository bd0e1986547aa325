/**
 * Ballots a round's language counts wait for before they are written. A count written at the
 * moment of one ballot would carry, in its transaction id and time, that ballot's language (the
 * only Arabic voter's, say); written once per LANGUAGE_STEP ballots it says only that one of those
 * ballots was Arabic. What waits is lost if the process dies: at most LANGUAGE_STEP - 1 per round.
 */
export const LANGUAGE_STEP = 10

export type LanguageCounts = ReadonlyMap<string, number>

/** The language counts one process holds until a round has enough of them to write in one step. */
export class LanguageSteps {
  readonly #waiting = new Map<number, Map<string, number>>()

  /** Counts one first ballot; true once the round's waiting counts make a step to write. */
  add(roundId: number, lang: string): boolean {
    this.putBack(roundId, new Map([[lang, 1]]))
    return total(this.#waiting.get(roundId)!) >= LANGUAGE_STEP
  }

  /** The round's waiting counts, handed over and forgotten here (putBack returns them if writing failed). */
  take(roundId: number): LanguageCounts | null {
    const counts = this.#waiting.get(roundId)
    this.#waiting.delete(roundId)
    return counts ?? null
  }

  putBack(roundId: number, counts: LanguageCounts): void {
    for (const [lang, n] of counts) {
      const waiting = this.#waiting.get(roundId) ?? new Map<string, number>()
      waiting.set(lang, (waiting.get(lang) ?? 0) + n)
      this.#waiting.set(roundId, waiting)
    }
  }

  /** Rounds with counts waiting. */
  rounds(): number[] {
    return [...this.#waiting.keys()]
  }

  /** Ballots waiting, over all rounds. */
  size(): number {
    return [...this.#waiting.values()].reduce((sum, counts) => sum + total(counts), 0)
  }
}

function total(counts: LanguageCounts): number {
  return [...counts.values()].reduce((sum, n) => sum + n, 0)
}
