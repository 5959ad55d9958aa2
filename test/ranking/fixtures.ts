// Tiny datasets for ranking tests, written through the real writers: a synthetic feed world and a ratings log.
import {join} from 'node:path'

import {toDict} from '../../src/lib/dataset/columns.js'
import {leaveLastOut} from '../../src/lib/dataset/split.js'
import {writeDataset} from '../../src/lib/dataset/store.js'
import {generateDataset} from '../../src/lib/dataset/synthetic/generate.js'
import {windowDataset} from '../../src/lib/dataset/window.js'
import {parseTimeBound} from '../../src/lib/dataset/window-bounds.js'
import {Rng} from '../../src/lib/random/rng.js'

/** A gen-data world: impressions with positions, all engagement events, follows, sparse moderation labels. */
export async function writeWorld(dir: string, options: {users?: number; items?: number; interactions?: number; seed?: number} = {}): Promise<string> {
  const out = join(dir, 'world')
  await generateDataset(out, {
    params: {users: options.users ?? 150, items: options.items ?? 600, interactions: options.interactions ?? 15_000, topics: 6, seed: options.seed ?? 5, unsafeFrac: 0.1, labelFrac: 0.6},
  })
  return out
}

/**
 * A MovieLens-like log: only `rating` events, weight = stars. Two user groups each rate their own
 * genre's movies high and the other genre's low, so both the id and the genre carry signal.
 */
export async function writeRatings(dir: string, options: {users?: number; items?: number; perUser?: number; seed?: number} = {}): Promise<string> {
  const nUsers = options.users ?? 60
  const nItems = options.items ?? 40
  const perUser = options.perUser ?? 15
  const rng = new Rng(options.seed ?? 9)
  const userId: bigint[] = []
  const itemId: bigint[] = []
  const stars: number[] = []
  const ts: number[] = []
  for (let u = 0; u < nUsers; u++) {
    for (let k = 0; k < perUser; k++) {
      const item = rng.int(nItems)
      const liked = item % 2 === u % 2
      userId.push(BigInt(100 + u))
      itemId.push(BigInt(7000 + item))
      stars.push(liked ? 4 + rng.int(2) : 1 + rng.int(3))
      ts.push(Date.UTC(2020, 0, 1) + (k * nUsers + u) * 3_600_000)
    }
  }
  const uid = BigInt64Array.from(userId)
  const tsArray = Float64Array.from(ts)
  const split = leaveLastOut({userId: uid, ts: tsArray})
  const out = join(dir, 'ratings')
  await writeDataset(out, {
    name: 'ratings',
    source: {kind: 'movielens', params: {users: nUsers, items: nItems}, seed: options.seed ?? 9},
    split: {method: 'leave-last-out'},
    users: {user_id: {type: 'int64', values: BigInt64Array.from({length: nUsers}, (_, u) => BigInt(100 + u))}, age: {type: 'float32', values: Float32Array.from({length: nUsers}, (_, u) => 20 + (u % 30))}},
    items: {
      item_id: {type: 'int64', values: BigInt64Array.from({length: nItems}, (_, i) => BigInt(7000 + i))},
      genres: {type: 'list_utf8', values: Array.from({length: nItems}, (_, i) => (i % 2 === 0 ? ['drama'] : ['comedy', i % 3 === 0 ? 'drama' : 'action']))},
      year: {type: 'float32', values: Float32Array.from({length: nItems}, (_, i) => 1980 + (i % 20))},
    },
    interactions: {
      user_id: {type: 'int64', values: uid},
      item_id: {type: 'int64', values: BigInt64Array.from(itemId)},
      ts: {type: 'timestamp_ms', values: tsArray},
      event: toDict(Array.from(uid, () => 'rating')),
      weight: {type: 'float32', values: Float32Array.from(stars)},
      split: toDict(Array.from(split, (s) => ['train', 'val', 'test'][s]), ['train', 'val', 'test']),
    },
    positives: {rating: 1},
  })
  return out
}

/**
 * The interactions of `source` between two quantiles of its interaction times, [from, to), through
 * `rec data window`'s library function: every user and item kept, follows up to `to`, and a fresh
 * temporal-global split (15% val, 15% test): an earlier or later snapshot of the same log.
 */
export async function writeTimeWindow(source: string, out: string, from: number, to: number): Promise<string> {
  await windowDataset(source, {
    from: parseTimeBound(`q${from}`, '--from'),
    until: parseTimeBound(`q${to}`, '--until'),
    split: {method: 'temporal-global', valFrac: 0.15, testFrac: 0.15},
    out,
  })
  return out
}
