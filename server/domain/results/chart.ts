/** One bar of a horizontal bar chart, before layout. */
export interface BarInput {
  label: string
  value: number
  /** Drawn in the strong colour (a funded project). */
  highlight: boolean
}

export type Direction = 'ltr' | 'rtl'

export interface BarLayout {
  label: string
  value: number
  highlight: boolean
  /** Where the label starts: the drawing's start edge (its right edge in a right-to-left page). */
  labelX: number
  /** Baseline of the label above the bar. */
  labelY: number
  /** The bar's left edge: bars grow from the start edge. */
  barX: number
  barY: number
  barWidth: number
  /** Where the value starts: just after the bar's end, in the reading direction. */
  valueX: number
  valueY: number
}

export interface BarChart {
  /** Texts are anchored at their start, so the drawing's direction says which way they run from x. */
  dir: Direction
  width: number
  height: number
  barHeight: number
  bars: BarLayout[]
}

/**
 * User units are chosen so that on a 360 px phone one unit is about one pixel: the text
 * stays readable there, and grows with the chart on a wider screen.
 */
export const CHART = {
  width: 320,
  rowHeight: 42,
  labelBaseline: 15,
  barTop: 21,
  barHeight: 14,
  /** Room after the longest bar for its value. */
  valueSpace: 56,
  valueGap: 5,
  /** Characters of a label that fit on one line at the chart's font size. */
  labelChars: 40,
} as const

/** Long titles are cut on the chart, at a word if one ends near the cut; the table carries them in full. */
export function shortLabel(label: string, max: number = CHART.labelChars): string {
  const chars = [...label.trim()]
  if (chars.length <= max) return chars.join('')
  const head = chars.slice(0, max - 1).join('')
  const space = head.lastIndexOf(' ')
  return `${(space >= head.length * 0.7 ? head.slice(0, space) : head).trimEnd()}…`
}

/**
 * Lays out one bar per input, top to bottom in the given order, lengths relative to the largest
 * value. Right to left, the drawing is mirrored: names start at the right edge, bars grow leftwards
 * and each value follows its bar to the left, so nothing runs out of the drawing or over a bar.
 */
export function barChart(inputs: readonly BarInput[], dir: Direction = 'ltr'): BarChart {
  const max = Math.max(0, ...inputs.map((b) => b.value))
  const room = CHART.width - CHART.valueSpace
  const round = (n: number) => Math.round(n * 10) / 10
  const bars = inputs.map((input, i): BarLayout => {
    const top = i * CHART.rowHeight
    const barWidth = max > 0 ? round((Math.max(0, input.value) / max) * room) : 0
    const fromStart = (x: number) => (dir === 'ltr' ? x : round(CHART.width - x))
    return {
      label: shortLabel(input.label),
      value: input.value,
      highlight: input.highlight,
      labelX: fromStart(0),
      labelY: top + CHART.labelBaseline,
      barX: dir === 'ltr' ? 0 : fromStart(barWidth),
      barY: top + CHART.barTop,
      barWidth,
      valueX: fromStart(round(barWidth + CHART.valueGap)),
      valueY: top + CHART.barTop + CHART.barHeight - 2,
    }
  })
  return {
    dir,
    width: CHART.width,
    height: Math.max(1, inputs.length * CHART.rowHeight),
    barHeight: CHART.barHeight,
    bars,
  }
}
