import type { Page } from 'playwright-core'

/**
 * What is wrong with a page's tables as rendered: a word or number split over two lines inside a
 * cell ("St/e/m/m/en", "€ 28.00/0"), or a table wider than the page that does not scroll inside a
 * labelled, focusable region. Words are the runs between spaces and hyphens: a break after a
 * hyphen is a break a reader expects. Tables hidden for screen readers only are left out.
 */
export function tableProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = []
    const tables = [...document.querySelectorAll('table')].filter((table) => !table.closest('.visually-hidden'))
    for (const table of tables) {
      for (const cell of table.querySelectorAll('th, td')) {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT)
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (const word of (node.textContent ?? '').matchAll(/[^\s\-‐]+/g)) {
            const range = document.createRange()
            range.setStart(node, word.index)
            range.setEnd(node, word.index + word[0].length)
            const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.bottom)))
            if (lines.size > 1) problems.push(`split: ${word[0]}`)
          }
        }
      }
      if (table.getBoundingClientRect().width > document.documentElement.clientWidth + 0.5) {
        const region = table.closest('[role=region]')
        const labelled = region && (region.hasAttribute('aria-label') || region.hasAttribute('aria-labelledby'))
        const scrolls =
          region && getComputedStyle(region).overflowX === 'auto' && region.getAttribute('tabindex') === '0'
        if (!labelled || !scrolls) problems.push(`a table wider than the page outside a labelled scroll region`)
      }
    }
    return problems
  })
}
