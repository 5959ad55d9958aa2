// One contract suite for every registered source, filter and selector: the invariants the pipeline relies on.
import {beforeAll, describe, expect, it} from 'vitest'

import {getColumn} from '../../src/lib/dataset/columns.js'
import {readDataset} from '../../src/lib/dataset/store.js'
import {IdVocab} from '../../src/lib/features/vocab.js'
import {buildIndex} from '../../src/lib/index/build-index.js'
import {type BuildContext, type ComponentKind, REGISTRY} from '../../src/lib/mixer/registry.js'
import {runPipeline} from '../../src/lib/mixer/run-pipeline.js'
import type {Candidate, CandidateSource, Filter, HomeQuery, Selector} from '../../src/lib/mixer/types.js'
import {buildWorld, type ServingWorld} from '../../src/lib/mixer/world.js'
import {buildHomePipeline} from '../../src/lib/mixer/build-pipeline.js'
import {MixerConfigSchema} from '../../src/lib/mixer/config.js'
import {ContentProfiles, attachContent} from '../../src/lib/mixer/world-content.js'
import {ContentConfigSchema} from '../../src/lib/models/content/config.js'
import {fitContent} from '../../src/lib/models/content/fit.js'
import {Rng} from '../../src/lib/random/rng.js'
import {tempDir} from '../helpers/cli.js'
import {N_USERS, NSFW_ITEM, userId, writeWorld} from '../serving/world-fixture.js'

const DIM = 8

/** Params each component runs with besides its defaults: every mode and a value that makes it act on most candidates. */
const VARIANTS: Record<string, Record<string, unknown>[]> = {
  Safety: [{mode: 'penalty'}, {thresholds: {nsfw: 0.5}}],
  AuthorCap: [{max: 1}],
  TopicCap: [{max: 1}],
  Mmr: [{lambda: 0}, {lambda: 0.3}],
  NetworkBalance: [{'max-in-network': 0, 'min-in-network': 0}, {'max-in-network': 1}, {'max-in-network': 1, 'min-in-network': 1}],
  Exploration: [{rate: 1}],
}

/** What each selector may do to the order: a subsequence keeps the relative order of what it keeps; a permutation drops nothing. */
const SELECTOR_CLAIMS: Record<string, 'subsequence' | 'permutation'> = {
  AuthorCap: 'subsequence',
  TopicCap: 'subsequence',
  Take: 'subsequence',
  Mmr: 'permutation',
  NetworkBalance: 'permutation',
  Exploration: 'permutation',
}

/** Random unit vectors, row 0 (OOV) zero: scores and similarities without the ties of axis vectors. */
function unitVectors(size: number, rng: Rng): Float32Array {
  const v = new Float32Array(size * DIM)
  for (let row = 1; row < size; row++) {
    let norm = 0
    for (let j = 0; j < DIM; j++) norm += (v[row * DIM + j] = rng.normal()) ** 2
    for (let j = 0; j < DIM; j++) v[row * DIM + j] /= Math.sqrt(norm)
  }
  return v
}

function isSubsequence(sub: readonly Candidate[], of: readonly Candidate[]): boolean {
  let at = 0
  for (const c of sub) {
    while (at < of.length && of[at] !== c) at++
    if (at++ >= of.length) return false
  }
  return true
}

const rowsOf = (cs: readonly Candidate[]) => cs.map((c) => c.row)
const hasDuplicates = (xs: readonly unknown[]) => new Set(xs).size !== xs.length

describe('mixer component contract', () => {
  let world: ServingWorld
  let context: BuildContext
  const query = (user: number, k: number, seen: number[] = []): HomeQuery => {
    const row = world.users.row(userId(user))
    const {offsets, items} = world.history
    const history = items.slice(offsets[row], offsets[row + 1])
    const userVector = world.itemVectors.slice(history[history.length - 1] * DIM, (history[history.length - 1] + 1) * DIM)
    return {userId: userId(user), userRow: row, k, now: world.clock, seen: new Set([...history, ...seen]), history, userVector, rng: new Rng(user)}
  }
  /** Every declared variant of every registered component of `kind`, built in this world (none may be absent here). */
  function built<T>(kind: ComponentKind): {name: string; component: T}[] {
    const out: {name: string; component: T}[] = []
    for (const [id, spec] of Object.entries(REGISTRY[kind])) {
      for (const params of [{}, ...(VARIANTS[id] ?? [])]) {
        const component = spec.build(spec.params.parse(params), context as never) as T | {absent: string}
        expect(component, `${kind} ${id} is absent in the fixture world`).not.toHaveProperty('absent')
        out.push({name: `${id} ${JSON.stringify(params)}`, component: component as T})
      }
    }
    return out
  }
  /** What the sources offer user `user` together, in source order (so with duplicates across sources). */
  async function offered(user: number, k: number): Promise<Candidate[]> {
    const all: Candidate[] = []
    for (const {component} of built<CandidateSource>('source')) all.push(...(await component.apply(query(user, k), 50)))
    return all
  }

  beforeAll(async () => {
    const dir = await writeWorld(tempDir())
    const dataset = await readDataset(dir)
    const users = IdVocab.fromValues(getColumn(dataset.users, 'user_id', 'int64').values)
    const items = IdVocab.fromValues(getColumn(dataset.items, 'item_id', 'int64').values)
    const vectors = unitVectors(items.size, new Rng(11))
    world = buildWorld(dataset, users, items, vectors)
    const index = (await buildIndex(vectors.slice(DIM), items.ids, {exact: true})).index
    // topics and authors as the content model's terms: every item has two, shared with its topic's and author's items
    const fitted = fitContent(dataset, dir, ContentConfigSchema.parse({'text-columns': ['topic'], 'token-columns': ['topic', 'author_id'], 'min-df': 1, 'max-df': 1}))
    context = {world, index, indexToRow: items.rows(index.ids), content: new ContentProfiles(world, attachContent(world, fitted.model))}
  })

  it('every selector states what it may do to the order', () => {
    expect(Object.keys(SELECTOR_CLAIMS).sort()).toEqual(Object.keys(REGISTRY.selector).sort())
  })

  it('sources respect the quota, return distinct rows of the world tagged with their id, and reason about each', async () => {
    for (const {name, component} of built<CandidateSource>('source')) {
      for (const user of [0, 1, 7, N_USERS - 1]) {
        for (const quota of [1, 3, 20, 500]) {
          const q = query(user, 10)
          const found = await component.apply(q, quota)
          expect(found.length, name).toBeLessThanOrEqual(quota)
          expect(hasDuplicates(rowsOf(found)), name).toBe(false)
          for (const c of found) {
            expect(c.row, name).toBeGreaterThan(0)
            expect(world.items.id(c.row), name).toBeDefined()
            expect(c.source, name).toBe(component.id)
            expect(component.reason(q, c), name).not.toBe('')
          }
        }
      }
      // scratch state kept between requests never leaks into the next one
      const first = rowsOf(await component.apply(query(0, 10), 20))
      await component.apply(query(1, 10), 20)
      expect(rowsOf(await component.apply(query(0, 10), 20)), name).toEqual(first)
    }
  })

  it('filters split their input in two: kept + removed = input, the kept ones in input order', async () => {
    for (const {name, component} of built<Filter>('filter')) {
      for (const user of [0, 1, 7]) {
        const input = await offered(user, 10)
        // already-seen and unsafe candidates for the filters to find
        const seen = input.filter((_, i) => i % 7 === 0).map((c) => c.row)
        input.push({...input[0]}, {...input[1], row: NSFW_ITEM + 1})
        const {kept, removed} = await component.apply(query(user, 10, seen), [...input])
        expect(kept.length + removed.length, name).toBe(input.length)
        expect(isSubsequence(kept, input), name).toBe(true)
        expect(isSubsequence(removed, input), name).toBe(true)
        expect(hasDuplicates([...kept, ...removed]), name).toBe(false)
      }
    }
  })

  it('selectors keep or permute candidates as they claim, with no duplicate and no stranger', async () => {
    // the pipeline up to the selectors: sources, filters, scorer, sorted by score
    const upToSelectors = {...buildHomePipeline(MixerConfigSchema.parse({}), {...context, content: undefined}), selectors: []}
    for (const {name, component} of built<Selector>('selector')) {
      for (const user of [0, 1, 7, N_USERS - 1]) {
        for (const k of [1, 5, 20]) {
          const input = (await runPipeline(upToSelectors, query(user, k))).items
          const out = component.apply(query(user, k), [...input])
          expect(hasDuplicates(rowsOf(out)), name).toBe(false)
          for (const c of out) expect(input, name).toContain(c)
          if (SELECTOR_CLAIMS[component.id] === 'subsequence') expect(isSubsequence(out, input), name).toBe(true)
          else expect(new Set(out), name).toEqual(new Set(input))
        }
      }
    }
  })
})
