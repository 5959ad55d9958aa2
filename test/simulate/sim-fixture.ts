// A tiny generated world (with truth/) and a two-tower trained on it for 2 epochs: what the simulate tests serve.
import {writeFileSync} from 'node:fs'
import {join, resolve} from 'node:path'

import {loadConfig} from '../../src/lib/config/load-config.js'
import {generateDataset} from '../../src/lib/dataset/synthetic/generate.js'
import {RetrievalConfigSchema} from '../../src/lib/models/two-tower/config.js'
import {trainRetrieval} from '../../src/lib/training/train-retrieval.js'

export interface SimFixture {
  dir: string
  world: string
  ckpt: string
  /** A mixer config whose feed is random: uniform items (Random source) in random order (Random scorer). */
  randomConfig: string
}

/** 200 users, 1,000 items, 10,000 rows, 8 topics (the quickstart's tiny world, about 1 s), then 2 epochs of the small retrieval config (about 2 s). */
export async function buildSimFixture(dir: string): Promise<SimFixture> {
  const world = join(dir, 'world')
  await generateDataset(world, {params: {users: 200, items: 1000, interactions: 10_000, topics: 8, seed: 7}})
  const ckpt = join(dir, 'ckpt')
  const config = await loadConfig(RetrievalConfigSchema, resolve(import.meta.dirname, '../../config/synthetic-small.yaml'), {epochs: 2, 'batch-size': 128, backend: 'wasm'})
  await trainRetrieval({dataset: world, out: ckpt, config})
  const randomConfig = join(dir, 'random.yaml')
  writeFileSync(randomConfig, 'sources: [{id: Random, quota: 50}]\nfail-open: []\nfilters: [PreviouslySeen, Duplicates]\nscorer: [Random]\nselectors: [Take]\nside-effects: []\n')
  return {dir, world, ckpt, randomConfig}
}

/** `rec serve` flags of a server on the fixture: one thread (two servers share the machine's 2 cores). */
export function serveSpec(f: SimFixture, extra: string): string {
  return `--retrieval ${f.ckpt} --dataset ${f.world} --workers 0 ${extra}`
}
