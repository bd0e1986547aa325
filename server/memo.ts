/**
 * Keeps what a published round's pages compute, which can no longer change,
 * so a result announced to thousands is computed once rather than per visit.
 * After `freshMs` a value is still served while one fresh computation runs
 * in the background, so no visitor waits for it; concurrent first visitors
 * share one computation. Values live in this process only, which is safe for
 * several instances because what is kept is frozen in the database, and the
 * checks that must stay current (the audit chain, the ballots) are renewed
 * every `freshMs`.
 */
export interface Memo {
  get<T>(key: string, compute: () => Promise<T>): Promise<T>
}

interface Entry {
  value: Promise<unknown>
  at: number
  refreshing: boolean
}

export function createMemo(freshMs: number, now: () => number = Date.now): Memo {
  const entries = new Map<string, Entry>()
  return {
    get<T>(key: string, compute: () => Promise<T>): Promise<T> {
      const entry = entries.get(key)
      if (!entry) {
        const value = compute()
        entries.set(key, { value, at: now(), refreshing: false })
        // A failure is not kept: the next visitor tries again.
        value.catch(() => entries.delete(key))
        return value
      }
      if (now() - entry.at > freshMs && !entry.refreshing) {
        entry.refreshing = true
        compute().then(
          (fresh) => entries.set(key, { value: Promise.resolve(fresh), at: now(), refreshing: false }),
          () => {
            entry.refreshing = false
          },
        )
      }
      return entry.value as Promise<T>
    },
  }
}
