import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The Pabulib elections kept in the repository (see tests/fixtures/pabulib/README.md). */
export const PABULIB_DIR = fileURLToPath(new URL('../fixtures/pabulib/', import.meta.url))

export type PabulibFile =
  | 'poland_warszawa_2022_rembertow.pb'
  | 'poland_wieliczka_2023_green-budget.pb'
  | 'france_toulouse_2019_.pb'
  | 'poland_czestochowa_2020_.pb'

export const readPabulib = (file: PabulibFile): string => readFileSync(`${PABULIB_DIR}${file}`, 'utf8')

export interface ReferenceOutcome {
  selected: string[]
  total_cost: number
}

export interface Reference {
  instances: Record<
    string,
    { budget: number; num_voters: number; num_projects: number; outcomes: Record<string, ReferenceOutcome> }
  >
}

export const reference = JSON.parse(readFileSync(`${PABULIB_DIR}expected.json`, 'utf8')) as Reference

/** Project ids in the order expected.json lists them: numeric parts compared as numbers. */
export const natural = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true })
