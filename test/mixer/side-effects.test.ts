import {describe, expect, it} from 'vitest'

import {fireSideEffects} from '../../src/lib/mixer/run-pipeline.js'
import type {ServedFeed, SideEffect, StageRecord} from '../../src/lib/mixer/types.js'

const feed: ServedFeed = {userId: 7n, requestId: '00000000-0000-4000-8000-000000000000', versions: {retrieval: 'ckpt@t'}, ts: 1, rows: Int32Array.of(4, 2), sources: ['Graph', 'Popular+Explore']}
const settle = () => new Promise((resolve) => setTimeout(resolve, 20))

describe('fireSideEffects', () => {
  it('starts every effect after the caller is done, and reports each outcome without throwing', async () => {
    const seen: ServedFeed[] = []
    const records: StageRecord[] = []
    const effects: SideEffect[] = [
      {id: 'Records', apply: async (f) => void seen.push(f)},
      {id: 'Rejects', apply: async () => Promise.reject(new Error('store down'))},
      {
        id: 'Throws',
        apply: () => {
          throw new Error('bug')
        },
      },
      {id: 'Slow', apply: () => new Promise((resolve) => setTimeout(resolve, 5))},
    ]
    fireSideEffects(effects, feed, (record) => records.push(record))
    // nothing has run yet: the response goes out first
    expect(seen).toEqual([])
    await settle()
    expect(seen).toEqual([feed])
    const outcome = Object.fromEntries(records.map((r) => [r.id, r.error ?? 'ok']))
    expect(outcome).toEqual({Records: 'ok', Rejects: 'store down', Throws: 'bug', Slow: 'ok'})
    for (const r of records) expect(r).toMatchObject({stage: 'side-effect', in: 2, out: 2})
    expect(records.find((r) => r.id === 'Slow')!.ms).toBeGreaterThanOrEqual(4)
  })
})
