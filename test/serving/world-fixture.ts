// A small social world for serving tests: authors, topics, follows, safety labels, two taste groups.
import {cpSync} from 'node:fs'
import {join} from 'node:path'

import {toDict} from '../../src/lib/dataset/columns.js'
import {leaveLastOut} from '../../src/lib/dataset/split.js'
import {writeDataset} from '../../src/lib/dataset/store.js'
import {buildIndex} from '../../src/lib/index/build-index.js'
import {saveIndex} from '../../src/lib/index/save-index.js'
import {RetrievalConfigSchema} from '../../src/lib/models/two-tower/config.js'
import {embedItems} from '../../src/lib/models/two-tower/embed.js'
import {loadTwoTower} from '../../src/lib/models/two-tower/load.js'
import {readDataset} from '../../src/lib/dataset/store.js'
import {Rng} from '../../src/lib/random/rng.js'
import {registerCheckpoint, setAlias} from '../../src/lib/registry/index.js'
import {trainRetrieval} from '../../src/lib/training/train-retrieval.js'

export const N_USERS = 40
export const N_ITEMS = 60
export const userId = (u: number) => BigInt(1000 + u)
/** Item ids above 2^53 so that precision loss in JSON would show. */
export const itemId = (i: number) => 9007199254740993n + BigInt(i)
export const NSFW_ITEM = 7 // flagged nsfw: never served

/** Group g (u % 2) engages 90% with items of its half: [0, 30) for group 0, [30, 60) for group 1. */
export async function writeWorld(dir: string): Promise<string> {
  const rng = new Rng(5)
  const uid: bigint[] = []
  const iid: bigint[] = []
  const ts: number[] = []
  const t0 = Date.UTC(2024, 0, 10)
  for (let u = 0; u < N_USERS; u++) {
    for (let k = 0; k < 12; k++) {
      const own = rng.next() < 0.9
      const half = N_ITEMS / 2
      const item = (own === (u % 2 === 0) ? 0 : half) + rng.int(half)
      uid.push(userId(u))
      iid.push(itemId(item))
      ts.push(t0 + (u * 12 + k) * 60_000)
    }
  }
  const split = leaveLastOut({userId: BigInt64Array.from(uid), ts: Float64Array.from(ts)})
  const nsfw = new Uint8Array(N_ITEMS)
  nsfw[NSFW_ITEM] = 1
  const out = join(dir, 'world')
  await writeDataset(out, {
    name: 'world',
    source: {kind: 'generator', params: {}, seed: 5},
    split: {method: 'leave-last-out'},
    users: {user_id: {type: 'int64', values: BigInt64Array.from({length: N_USERS}, (_, u) => userId(u))}},
    items: {
      item_id: {type: 'int64', values: BigInt64Array.from({length: N_ITEMS}, (_, i) => itemId(i))},
      // authors: users 0..9, six items each; author a writes items a, a + 10, ...
      author_id: {type: 'int64', values: BigInt64Array.from({length: N_ITEMS}, (_, i) => userId(i % 10))},
      topic: toDict(Array.from({length: N_ITEMS}, (_, i) => (i < 30 ? `a${i % 3}` : `b${i % 3}`))),
      created_at: {type: 'timestamp_ms', values: Float64Array.from({length: N_ITEMS}, (_, i) => t0 - (N_ITEMS - i) * 3_600_000)},
      nsfw: {type: 'bool', values: nsfw},
    },
    interactions: {
      user_id: {type: 'int64', values: BigInt64Array.from(uid)},
      item_id: {type: 'int64', values: BigInt64Array.from(iid)},
      ts: {type: 'timestamp_ms', values: Float64Array.from(ts)},
      event: toDict(uid.map(() => 'like')),
      weight: {type: 'float32', values: new Float32Array(uid.length).fill(1)},
      split: toDict(Array.from(split, (s) => ['train', 'val', 'test'][s]), ['train', 'val', 'test']),
    },
    // every user follows authors 0 and 1 (users 1000, 1001)
    follows: {
      src_user_id: {type: 'int64', values: BigInt64Array.from({length: 2 * N_USERS}, (_, i) => userId(i >> 1))},
      dst_user_id: {type: 'int64', values: BigInt64Array.from({length: 2 * N_USERS}, (_, i) => userId(i & 1))},
      ts: {type: 'timestamp_ms', values: new Float64Array(2 * N_USERS).fill(t0)},
      weight: {type: 'float32', values: new Float32Array(2 * N_USERS).fill(1)},
    },
    featureOverrides: {items: {author_id: {kind: 'id'}, nsfw: {kind: 'label'}}},
    positives: {like: 1},
  })
  return out
}

export interface Trained {
  dataset: string
  ckpt: string
  index: string
}

/** World + a tiny two-tower (8-d, a few epochs) + an exact index of its item embeddings. */
export async function trainWorld(dir: string): Promise<Trained> {
  const dataset = await writeWorld(dir)
  const ckpt = join(dir, 'ckpt')
  const config = RetrievalConfigSchema.parse({dim: 8, epochs: 4, 'batch-size': 16, lr: 0.05, temperature: 0.1, ks: [5], backend: 'wasm', 'history-length': 10})
  await trainRetrieval({dataset, out: ckpt, config})
  const loaded = await loadTwoTower(ckpt, await readDataset(dataset))
  const dim = loaded.model.dim
  const vectors = embedItems(loaded.model).slice(dim) // drop the OOV row 0
  const built = await buildIndex(vectors, loaded.inputs.items.ids, {exact: true})
  const index = join(dir, 'index')
  await saveIndex(index, built, {checkpoint: {path: ckpt, fingerprint: 'test'}})
  return {dataset, ckpt, index}
}

/**
 * A registry over the trained world: version 1 is its checkpoint, version 2 one trained with another seed;
 * `aliases` maps an alias to the versions it moves through, in order (its last one is where it points).
 */
export async function twoVersionRegistry(dir: string, trained: Trained, aliases: Record<string, number[]>): Promise<string> {
  const second = join(dir, 'ckpt-2')
  await trainRetrieval({dataset: trained.dataset, out: second, config: RetrievalConfigSchema.parse({dim: 8, epochs: 1, 'batch-size': 16, ks: [5], backend: 'wasm', seed: 9, 'history-length': 10})})
  const registry = join(dir, 'registry')
  const first = join(dir, 'ckpt-1')
  cpSync(trained.ckpt, first, {recursive: true})
  await registerCheckpoint(registry, first)
  await registerCheckpoint(registry, second)
  for (const [alias, versions] of Object.entries(aliases)) for (const version of versions) await setAlias(registry, alias, version)
  return registry
}
