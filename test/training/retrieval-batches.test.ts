// makeBatch: each drawn item once as a column with its draw count; rows point at their positive's column.
import {describe, expect, it} from 'vitest'

import {Rng} from '../../src/lib/random/rng.js'
import {epochOrder, makeBatch} from '../../src/lib/training/retrieval-batches.js'
import type {RetrievalExamples} from '../../src/lib/training/retrieval-examples.js'

// 12 examples over 3 users whose positives repeat (items 1..4), each user with a 2-item history.
const examples: RetrievalExamples = {
  user: Int32Array.from({length: 12}, (_, e) => e % 3),
  item: Int32Array.from({length: 12}, (_, e) => 1 + (e % 4)),
  histEnd: Int32Array.from({length: 12}, (_, e) => 2 * (e % 3) + 2),
  weight: new Float32Array(12).fill(1),
  history: {offsets: Int32Array.from([0, 2, 4, 6]), items: Int32Array.from([5, 6, 7, 8, 9, 10]), ts: Float64Array.from([1, 2, 3, 4, 5, 6])},
}

describe('makeBatch', () => {
  it('draws positives, random and hard negatives, then keeps each item once with its count', () => {
    const rng = new Rng(4)
    const order = epochOrder(12, rng)
    const hard = {offsets: Int32Array.from([0, 1, 2, 3]), rows: Int32Array.from([7, 1, 9]), perExample: 2}
    const plan = {batchSize: 8, historyLength: 2, nItems: 11, randomNegatives: 5, hard, logFrequency: new Float32Array(11).fill(Math.log(1 / 11))}
    const batch = makeBatch(examples, order, 0, plan, rng)
    expect(new Set(batch.columns).size).toBe(batch.columns.length)
    expect(batch.counts.reduce((a, b) => a + b, 0)).toBe(8 + 5 + 8 * 2)
    for (let b = 0; b < 8; b++) expect(batch.columns[batch.positives[b]]).toBe(examples.item[order[b]])
    // Hard negatives are each user's mined rows: user 0 -> 7, user 1 -> 1, user 2 -> 9, drawn twice per example.
    const rowsOf = (user: number) => Array.from(order.subarray(0, 8)).filter((e) => examples.user[e] === user).length
    const countOf = (item: number) => batch.counts[batch.columns.indexOf(item)]
    expect(countOf(7)).toBeGreaterThanOrEqual(2 * rowsOf(0))
    expect(countOf(1)).toBeGreaterThanOrEqual(2 * rowsOf(1))
    expect(countOf(9)).toBeGreaterThanOrEqual(2 * rowsOf(2))
    for (const column of batch.columns) expect(column).toBeGreaterThan(0)
    // logQ of a column: log(B p + R / (nItems - 1)), the same for every column here.
    for (const q of batch.logQ!) expect(q).toBeCloseTo(Math.log(8 / 11 + 5 / 10), 5)
    expect(batch.windows.length).toBe(8 * 2)
  })
})
