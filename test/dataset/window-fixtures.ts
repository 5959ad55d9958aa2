// A tiny log for window tests: 4 users taking turns, one interaction per second, follows around the window.
import {join} from 'node:path'

import type {SplitSpec} from '../../src/lib/dataset/manifest.js'
import {writeDataset} from '../../src/lib/dataset/store.js'

/** Interaction i (0..23) is user 1 + i % 4 on item 10 + i % 6 at ts = 1000 * i; all in train. */
export const LOG_SIZE = 24
export const FOLLOW_TS = [-5000, 0, 5000, 17_999, 18_000, 30_000]

export async function writeLog(dir: string, split: SplitSpec = {method: 'leave-last-out'}, name = 'log'): Promise<string> {
  const out = join(dir, name)
  const n = LOG_SIZE
  await writeDataset(out, {
    name,
    source: {kind: 'generator', params: {}, seed: 1},
    split,
    users: {user_id: {type: 'int64', values: BigInt64Array.from([1n, 2n, 3n, 4n])}},
    items: {
      item_id: {type: 'int64', values: BigInt64Array.from({length: 6}, (_, i) => BigInt(10 + i))},
      created_at: {type: 'timestamp_ms', values: Float64Array.from({length: 6}, (_, i) => i * 5000)},
    },
    interactions: {
      user_id: {type: 'int64', values: BigInt64Array.from({length: n}, (_, i) => BigInt(1 + (i % 4)))},
      item_id: {type: 'int64', values: BigInt64Array.from({length: n}, (_, i) => BigInt(10 + (i % 6)))},
      ts: {type: 'timestamp_ms', values: Float64Array.from({length: n}, (_, i) => 1000 * i)},
      event: {type: 'dict', codes: new Int32Array(n), dictionary: ['click']},
      weight: {type: 'float32', values: new Float32Array(n).fill(1)},
      split: {type: 'dict', codes: new Int32Array(n), dictionary: ['train', 'val', 'test']},
    },
    follows: {
      src_user_id: {type: 'int64', values: BigInt64Array.from(FOLLOW_TS, (_, k) => BigInt(1 + (k % 4)))},
      dst_user_id: {type: 'int64', values: BigInt64Array.from(FOLLOW_TS, (_, k) => BigInt(1 + ((k + 1) % 4)))},
      ts: {type: 'timestamp_ms', values: Float64Array.from(FOLLOW_TS)},
      weight: {type: 'float32', values: new Float32Array(FOLLOW_TS.length).fill(1)},
    },
    positives: {click: 1},
  })
  return out
}
