// The generator's splits: leave-last-out over engaged impressions keeps test targets out of training.
import {describe, expect, it} from 'vitest'

import {getColumn} from '../../../src/lib/dataset/columns.js'
import {TEST, TRAIN, VAL} from '../../../src/lib/dataset/schema.js'
import {generateWorld} from '../../../src/lib/dataset/synthetic/generate.js'
import {EV, IS_POSITIVE, USER_ID_BASE} from '../../../src/lib/dataset/synthetic/vocab.js'

const SMALL = {users: 200, items: 2000, interactions: 20_000, topics: 8, seed: 5}

function columns(world: ReturnType<typeof generateWorld>) {
  const t = world.draft.interactions
  return {
    user: Int32Array.from(getColumn(t, 'user_id', 'int64').values, (id) => Number(id) - USER_ID_BASE),
    item: getColumn(t, 'item_id', 'int64').values,
    ts: getColumn(t, 'ts', 'timestamp_ms').values,
    event: getColumn(t, 'event', 'dict').codes,
    split: getColumn(t, 'split', 'dict').codes,
  }
}

describe('leave-last-out over engaged impressions', () => {
  const world = generateWorld(SMALL)
  const c = columns(world)
  const n = c.ts.length

  it('orders each user train < val < test in time, and test starts at the target impression', () => {
    const last = new Int32Array(SMALL.users).fill(TRAIN)
    const firstTest = new Int32Array(SMALL.users).fill(-1)
    let backwards = 0
    for (let r = 0; r < n; r++) {
      const u = c.user[r]
      if (c.split[r] < last[u]) backwards++
      last[u] = c.split[r]
      if (c.split[r] === TEST && firstTest[u] < 0) firstTest[u] = r
    }
    expect(backwards).toBe(0)
    let checked = 0
    for (let u = 0; u < SMALL.users; u++) {
      const r0 = firstTest[u]
      if (r0 < 0) continue
      checked++
      expect(c.event[r0]).toBe(EV.impression)
      // A positive on that very item follows in test: the target, its impression and its events held out together.
      let r = r0 + 1
      while (r < n && !(c.user[r] === u && IS_POSITIVE[c.event[r]] && c.item[r] === c.item[r0])) r++
      expect(r < n && c.split[r] === TEST).toBe(true)
    }
    expect(checked).toBeGreaterThan(SMALL.users / 3)
  })

  it('holds out exactly the users with at least 3 engaged impressions', () => {
    const engaged = new Int32Array(SMALL.users)
    const counted = new Uint8Array(n)
    const hasTest = new Uint8Array(SMALL.users)
    const hasVal = new Uint8Array(SMALL.users)
    const impressionRow = new Int32Array(SMALL.users).fill(-1)
    for (let r = 0; r < n; r++) {
      const u = c.user[r]
      if (c.event[r] === EV.impression) impressionRow[u] = r
      else if (IS_POSITIVE[c.event[r]] && !counted[impressionRow[u]]) {
        counted[impressionRow[u]] = 1
        engaged[u]++
      }
      if (c.split[r] === TEST) hasTest[u] = 1
      if (c.split[r] === VAL) hasVal[u] = 1
    }
    for (let u = 0; u < SMALL.users; u++) {
      expect(hasTest[u]).toBe(engaged[u] >= 3 ? 1 : 0)
      expect(hasVal[u]).toBe(engaged[u] >= 3 ? 1 : 0)
    }
  })
})

describe('temporal-global', () => {
  it('cuts every row at global time quantiles', () => {
    const world = generateWorld(SMALL, {method: 'temporal-global', valFrac: 0.1, testFrac: 0.2})
    const {split} = world.draft
    const c = columns(world)
    expect(split.method).toBe('temporal-global')
    let wrong = 0
    const counts = [0, 0, 0]
    for (let r = 0; r < c.ts.length; r++) {
      const expected = c.ts[r] >= split.testStartMs! ? TEST : c.ts[r] >= split.valStartMs! ? VAL : TRAIN
      if (c.split[r] !== expected) wrong++
      counts[c.split[r]]++
    }
    expect(wrong).toBe(0)
    expect(counts[TEST] / c.ts.length).toBeCloseTo(0.2, 2)
    expect(counts[VAL] / c.ts.length).toBeCloseTo(0.1, 2)
  })
})
