import t from 'tap'
import { barChart, CHART, shortLabel } from '../../../server/domain/results/chart.js'

t.test(
  'bars are as long as their value relative to the largest, one row each, values just after the bar',
  async (t) => {
    const chart = barChart([
      { label: 'Energiecoaches', value: 40, highlight: true },
      { label: 'Warmtescan', value: 10, highlight: false },
      { label: 'Buurtmoestuin', value: 0, highlight: false },
    ])
    const room = CHART.width - CHART.valueSpace
    t.equal(chart.width, CHART.width)
    t.equal(chart.height, 3 * CHART.rowHeight)
    t.same(
      chart.bars.map((b) => b.barWidth),
      [room, room / 4, 0],
    )
    t.same(
      chart.bars.map((b) => b.barY),
      [CHART.barTop, CHART.rowHeight + CHART.barTop, 2 * CHART.rowHeight + CHART.barTop],
    )
    t.ok(
      chart.bars.every((b) => b.labelY < b.barY),
      'each label sits above its bar',
    )
    t.equal(chart.bars[1]!.valueX, room / 4 + CHART.valueGap)
    t.same(
      chart.bars.map((b) => b.highlight),
      [true, false, false],
    )
    t.ok(
      chart.bars.every((b) => b.valueX + CHART.valueSpace - CHART.valueGap <= CHART.width + 0.01),
      'the value always fits',
    )
  },
)

t.test('a chart without votes draws no bars of any length, and an empty chart still has a size', async (t) => {
  t.same(
    barChart([{ label: 'A', value: 0, highlight: false }]).bars.map((b) => b.barWidth),
    [0],
  )
  const empty = barChart([])
  t.same(empty.bars, [])
  t.ok(empty.height > 0)
})

t.test(
  'long labels are cut with an ellipsis, at a word when one ends near the cut, never inside a character; short ones stay whole',
  async (t) => {
    t.equal(shortLabel('Energiecafé voor ouderen'), 'Energiecafé voor ouderen')
    const long = shortLabel('Isolatiehulp voor huishoudens met een laag inkomen in de hele wijk')
    t.ok([...long].length <= CHART.labelChars, 'fits the line')
    t.equal(long, 'Isolatiehulp voor huishoudens met een…', 'no space before the ellipsis')
    t.ok(long.endsWith('…'))
    t.equal(shortLabel('Zrób to sam – stacja naprawy', 10), 'Zrób to…', 'at the last word when it ends near the cut')
    t.equal(shortLabel('Energiebesparingsadviseurs', 10), 'Energiebe…', 'inside a word when no word ends near the cut')
    t.equal(shortLabel('😀😀😀😀', 3), '😀😀…', 'never splits a character in two')
  },
)

t.test(
  'right to left the drawing is mirrored: names at the right edge, bars growing leftwards, values after them',
  async (t) => {
    const inputs = [
      { label: 'مدربو الطاقة', value: 40, highlight: true },
      { label: 'Warmtescan', value: 10, highlight: false },
      { label: 'Buurtmoestuin', value: 0, highlight: false },
    ]
    const ltr = barChart(inputs)
    const rtl = barChart(inputs, 'rtl')
    t.equal(ltr.dir, 'ltr')
    t.equal(rtl.dir, 'rtl')
    t.same(
      rtl.bars.map((b) => b.labelX),
      [CHART.width, CHART.width, CHART.width],
      'each name starts at the right edge',
    )
    t.same(
      rtl.bars.map((b) => b.barX + b.barWidth),
      [CHART.width, CHART.width, CHART.width],
      'each bar ends at the right edge',
    )
    t.same(
      rtl.bars.map((b) => b.valueX),
      ltr.bars.map((b) => CHART.width - b.valueX),
      'each value starts where the left-to-right one would, seen in a mirror',
    )
    t.ok(
      rtl.bars.every((b) => b.valueX - (CHART.valueSpace - CHART.valueGap) >= -0.01),
      'and has room before the left edge',
    )
    t.same(
      ltr.bars.map((b) => [b.labelX, b.barX]),
      [
        [0, 0],
        [0, 0],
        [0, 0],
      ],
    )
  },
)
