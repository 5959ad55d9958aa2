// Tiny datasets for eval tests: a hand-made one with known answers and a seeded random one to train on.
import {type ColumnTable} from '../../src/lib/dataset/columns.js'
import {writeDataset} from '../../src/lib/dataset/store.js'
import {RetrievalConfigSchema} from '../../src/lib/models/two-tower/config.js'
import {Rng} from '../../src/lib/random/rng.js'
import {trainRetrieval} from '../../src/lib/training/train-retrieval.js'

export type Split = 'train' | 'val' | 'test'

export interface Interaction {
  user: number
  item: number
  ts: number
  split: Split
}

export interface World {
  users: number[]
  items: number[]
  interactions: Interaction[]
}

/** Writes `world` as a dataset (event "click", items with a categorical `topic` = t{id % 3}). */
export async function writeWorld(dir: string, world: World): Promise<string> {
  const {interactions} = world
  const items: ColumnTable = {
    item_id: {type: 'int64', values: BigInt64Array.from(world.items, BigInt)},
    topic: {type: 'dict', codes: Int32Array.from(world.items, (id) => id % 3), dictionary: ['t0', 't1', 't2']},
  }
  await writeDataset(dir, {
    name: 'eval-fixture',
    source: {kind: 'generator', params: {}},
    split: {method: 'leave-last-out'},
    users: {user_id: {type: 'int64', values: BigInt64Array.from(world.users, BigInt)}},
    items,
    interactions: {
      user_id: {type: 'int64', values: BigInt64Array.from(interactions, (x) => BigInt(x.user))},
      item_id: {type: 'int64', values: BigInt64Array.from(interactions, (x) => BigInt(x.item))},
      ts: {type: 'timestamp_ms', values: Float64Array.from(interactions, (x) => x.ts)},
      event: {type: 'dict', codes: new Int32Array(interactions.length), dictionary: ['click']},
      weight: {type: 'float32', values: new Float32Array(interactions.length).fill(1)},
      split: {type: 'dict', codes: Int32Array.from(interactions, (x) => ['train', 'val', 'test'].indexOf(x.split)), dictionary: ['train', 'val', 'test']},
    },
    positives: {click: 1},
  })
  return dir
}

/**
 * Items 101..108, users 1..10. Train: users 1-6 click 101, 102, 105; users 7-9 click 103, 104, 105;
 * user 10 clicks 101. Val: user 10 clicks 107. Test: user 10 clicks 102 (co-occurs with 101), users
 * 7-9 click 106. So on test, most-popular gives 105 first; ItemKNN gives user 10 item 102 first.
 */
export function knownWorld(): World {
  const interactions: Interaction[] = []
  let ts = 1000
  const add = (user: number, item: number, split: Split) => interactions.push({user, item, ts: ts++, split})
  for (let u = 1; u <= 6; u++) for (const item of [101, 102, 105]) add(u, item, 'train')
  for (let u = 7; u <= 9; u++) for (const item of [103, 104, 105]) add(u, item, 'train')
  add(10, 101, 'train')
  add(10, 107, 'val')
  for (let u = 7; u <= 9; u++) add(u, 108, 'val')
  add(10, 102, 'test')
  for (let u = 7; u <= 9; u++) add(u, 106, 'test')
  return {users: range(1, 10), items: range(101, 108), interactions}
}

/**
 * nUsers users, nItems items with Zipf-like popularity; each user clicks perUser distinct items in
 * time order, the last -> test, the second-last -> val (leave-last-out).
 */
export function randomWorld(seed: number, nUsers = 40, nItems = 30, perUser = 8): World {
  const rng = new Rng(seed)
  const weights = Array.from({length: nItems}, (_, i) => 1 / (i + 1))
  const interactions: Interaction[] = []
  for (let u = 0; u < nUsers; u++) {
    const chosen = new Set<number>()
    while (chosen.size < perUser) chosen.add(rng.categorical(weights))
    const list = [...chosen]
    list.forEach((item, j) => {
      const split: Split = j === list.length - 1 ? 'test' : j === list.length - 2 ? 'val' : 'train'
      interactions.push({user: 1 + u, item: 500 + item, ts: 10_000 + u * 100 + j, split})
    })
  }
  return {users: range(1, nUsers), items: range(500, 500 + nItems - 1), interactions}
}

/** A 2-epoch, 8-d two-tower checkpoint of `datasetDir` (a few seconds on the cpu backend). */
export async function trainTiny(datasetDir: string, out: string): Promise<string> {
  const config = RetrievalConfigSchema.parse({epochs: 2, 'batch-size': 16, dim: 8, ks: [5, 10], backend: 'cpu', 'history-length': 10})
  await trainRetrieval({dataset: datasetDir, out, config})
  return out
}

/** from, from + 1, ..., to */
export function range(from: number, to: number): number[] {
  return Array.from({length: to - from + 1}, (_, i) => from + i)
}
