// A small dataset with planted structure, written through the real dataset writer: two user groups,
// each engaging mostly with its own half of the catalogue, in time order with leave-last-out splits.
import {join} from 'node:path'

import {toDict} from '../../src/lib/dataset/columns.js'
import {leaveLastOut} from '../../src/lib/dataset/split.js'
import {writeDataset} from '../../src/lib/dataset/store.js'
import {Rng} from '../../src/lib/random/rng.js'

export interface TinyOptions {
  users?: number
  items?: number
  perUser?: number
  seed?: number
  /** Omit the val/test split (every interaction in train). */
  trainOnly?: boolean
}

export async function writeTinyDataset(dir: string, options: TinyOptions = {}): Promise<string> {
  const nUsers = options.users ?? 40
  const nItems = options.items ?? 30
  const perUser = options.perUser ?? 12
  const rng = new Rng(options.seed ?? 3)
  const userId: bigint[] = []
  const itemId: bigint[] = []
  const ts: number[] = []
  for (let u = 0; u < nUsers; u++) {
    const group = u % 2
    for (let k = 0; k < perUser; k++) {
      // 90% of a user's items come from the group's half; ids start high to exercise int64.
      const own = rng.next() < 0.9
      const half = Math.floor(nItems / 2)
      const item = (own === (group === 0) ? 0 : half) + rng.int(half)
      userId.push(BigInt(1000 + u))
      itemId.push(BigInt(5000 + item))
      ts.push(Date.UTC(2024, 0, 1) + (u * perUser + k) * 60_000)
    }
  }
  const users = BigInt64Array.from({length: nUsers}, (_, u) => BigInt(1000 + u))
  const items = BigInt64Array.from({length: nItems}, (_, i) => BigInt(5000 + i))
  const tsArray = Float64Array.from(ts)
  const uid = BigInt64Array.from(userId)
  const split = options.trainOnly ? new Uint8Array(uid.length) : leaveLastOut({userId: uid, ts: tsArray})
  const out = join(dir, 'tiny')
  await writeDataset(out, {
    name: 'tiny',
    source: {kind: 'generator', params: {users: nUsers, items: nItems}, seed: options.seed ?? 3},
    split: {method: 'leave-last-out'},
    users: {user_id: {type: 'int64', values: users}, group: toDict(Array.from({length: nUsers}, (_, u) => `g${u % 2}`))},
    items: {item_id: {type: 'int64', values: items}, topic: toDict(Array.from({length: nItems}, (_, i) => `t${i % 3}`)), length: {type: 'float32', values: Float32Array.from({length: nItems}, (_, i) => i % 7)}},
    interactions: {
      user_id: {type: 'int64', values: uid},
      item_id: {type: 'int64', values: BigInt64Array.from(itemId)},
      ts: {type: 'timestamp_ms', values: tsArray},
      event: toDict(uid.length ? Array.from(uid, () => 'click') : []),
      weight: {type: 'float32', values: new Float32Array(uid.length).fill(1)},
      split: toDict(Array.from(split, (s) => ['train', 'val', 'test'][s]), ['train', 'val', 'test']),
    },
    positives: {click: 1},
  })
  return out
}
