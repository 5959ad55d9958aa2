import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {beforeAll, describe, expect, it} from 'vitest'

import {decodeTopN} from '../../src/lib/batch/top-n-table.js'
import {recommendAll, type RecommendAllOptions} from '../../src/lib/batch/recommend-all.js'
import {readUserList} from '../../src/lib/batch/users-file.js'
import {decodeParquet, writeParquetFile} from '../../src/lib/dataset/parquet.js'
import {readDataset} from '../../src/lib/dataset/store.js'
import {MixerConfigSchema} from '../../src/lib/mixer/config.js'
import {type Feed, Recommender} from '../../src/lib/serving/recommender.js'
import {loadServingEngine, type ServingEngine} from '../../src/lib/serving/serving-engine.js'
import {SqliteStore} from '../../src/lib/store/sqlite-store.js'
import {tempDir} from '../helpers/cli.js'
import {N_USERS, trainWorld, type Trained, userId} from '../serving/world-fixture.js'

describe('recommendAll', () => {
  let trained: Trained
  let dir: string
  let engine: ServingEngine
  let base: RecommendAllOptions
  beforeAll(async () => {
    dir = tempDir()
    trained = await trainWorld(dir)
    engine = await loadServingEngine({retrieval: trained.ckpt, index: trained.index, dataset: trained.dataset}, MixerConfigSchema.parse({}), {dataset: await readDataset(trained.dataset)})
    base = {dataset: trained.dataset, retrieval: trained.ckpt, index: trained.index, users: 'all', k: 10, out: '', workers: 0}
  })
  let n = 0
  const out = () => join(dir, `topn-${++n}.parquet`)

  /** The live feed of a user without a session, as GET /v1/recommendations answers it. */
  const liveFeed = async (user: bigint, k: number, seed?: number) => JSON.parse(await new Recommender(engine, MixerConfigSchema.parse({}), undefined, 'private').recommend(user, {k, seed})) as Feed

  it('writes every user of the dataset, ranked 1..k, in the schema of topn.parquet; a rerun writes the same bytes', async () => {
    const [a, b, inWorkers] = [out(), out(), out()]
    const summary = await recommendAll({...base, out: a})
    await recommendAll({...base, out: b})
    // chunks on two pipeline workers (a chunk of 5 users each, so both take some) and the calling thread agree too
    await recommendAll({...base, out: inWorkers, workers: 2})
    expect(readFileSync(b).equals(readFileSync(a))).toBe(true)
    expect(readFileSync(inWorkers).equals(readFileSync(a))).toBe(true)
    const table = decodeParquet(readFileSync(a))
    expect(Object.fromEntries(Object.entries(table).map(([name, column]) => [name, column.type]))).toEqual({
      user_id: 'int64',
      rank: 'int32',
      item_id: 'int64',
      score: 'float32',
      source: 'dict',
      reason: 'utf8',
      versions: 'dict',
      generated_at: 'timestamp_ms',
    })
    const lists = decodeTopN(readFileSync(a), a)
    expect(Array.from(lists.userIds)).toEqual(Array.from({length: N_USERS}, (_, u) => userId(u)))
    for (let u = 0; u < N_USERS; u++) expect(lists.offsets[u + 1] - lists.offsets[u]).toBe(10)
    expect((table.rank as {values: Int32Array}).values.slice(0, 12)).toEqual(Int32Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1, 2))
    // generated_at: the dataset's newest interaction, not the wall clock
    expect(new Set(lists.generatedAt)).toEqual(new Set([engine.world.clock]))
    expect(JSON.parse(lists.versions[0])).toEqual(engine.versions)
    expect(summary).toMatchObject({users: N_USERS, cold_start: 0, rows: 10 * N_USERS, k: 10, generated_at: new Date(engine.world.clock).toISOString(), workers: 0})
    expect(summary.users_per_second).toBeGreaterThan(0)
  })

  it("equals the live feed of the same k and seed for a user with no session, unknown users' cold start included", async () => {
    const users = join(dir, 'sample.txt')
    writeFileSync(users, `${userId(0)}\n${userId(3)}\n${userId(17)}\n424242\n`)
    for (const seed of [undefined, 7]) {
      const file = out()
      const summary = await recommendAll({...base, users, out: file, k: 20, seed})
      expect(summary.cold_start).toBe(1)
      const lists = decodeTopN(readFileSync(file), file)
      for (const [u, id] of Array.from(lists.userIds).entries()) {
        const live = await liveFeed(id, 20, seed)
        const batch = Array.from({length: lists.offsets[u + 1] - lists.offsets[u]}, (_, j) => {
          const i = lists.offsets[u] + j
          return {item_id: String(lists.itemIds[i]), score: Math.round(lists.scores[i] * 1e6) / 1e6, source: lists.sources[i], reason: lists.reasons[i]}
        })
        expect(batch, `user ${id} seed ${seed}`).toEqual(live.items)
        expect(live.items.length).toBeGreaterThan(0)
      }
    }
  })

  it('--users FILE: text with a header, CSV by its user_id column, or Parquet; repeats get one list', async () => {
    const text = join(dir, 'users.csv')
    writeFileSync(text, `name,user_id\n"a",${userId(5)}\nb,${userId(2)}\n\nc,${userId(5)}\n`)
    expect(await readUserList(text)).toEqual({ids: BigInt64Array.of(userId(5), userId(2)), duplicates: 1})
    const plain = join(dir, 'users.txt')
    writeFileSync(plain, `user_id\r\n${userId(1)}\r\n9223372036854775807\r\n`)
    expect(Array.from((await readUserList(plain)).ids)).toEqual([userId(1), 9223372036854775807n])
    const parquet = join(dir, 'users.parquet')
    await writeParquetFile(parquet, {user_id: {type: 'int64', values: BigInt64Array.of(userId(9), userId(4))}})
    const file = out()
    const summary = await recommendAll({...base, users: parquet, out: file})
    expect(Array.from(decodeTopN(readFileSync(file), file).userIds)).toEqual([userId(9), userId(4)])
    expect(summary).toMatchObject({users: 2, rows: 20, duplicates: 0})
  })

  it('refuses bad inputs before any model loads, naming the value', async () => {
    const bad = join(dir, 'bad.txt')
    writeFileSync(bad, `${userId(1)}\nabc\n`)
    const empty = join(dir, 'empty.txt')
    writeFileSync(empty, '\n\n')
    const noColumn = join(dir, 'no-column.parquet')
    await writeParquetFile(noColumn, {id: {type: 'int64', values: BigInt64Array.of(1n)}})
    const existing = out()
    writeFileSync(existing, '')
    const cases: [Partial<RecommendAllOptions>, string, RegExp][] = [
      [{k: 0}, 'INVALID_ARGUMENT', /--k must be an integer from 1 to 100 \(the mixer config's max-k\), got 0/],
      [{k: 101}, 'INVALID_ARGUMENT', /got 101/],
      [{dataset: join(dir, 'missing')}, 'NOT_FOUND', /dataset directory .*missing does not exist/],
      [{users: join(dir, 'missing.txt')}, 'NOT_FOUND', /--users file .*missing\.txt does not exist/],
      [{users: bad}, 'BAD_DATA', /bad\.txt:2: "abc" is not a user id/],
      [{users: empty}, 'EMPTY', /holds no user ids/],
      [{users: noColumn}, 'BAD_SCHEMA', /no column "user_id"/],
      [{out: existing}, 'ALREADY_EXISTS', /already exists/],
      [{retrieval: undefined}, 'INVALID_ARGUMENT', /give --retrieval/],
    ]
    for (const [over, code, message] of cases) await expect(recommendAll({...base, out: out(), ...over}), JSON.stringify(over)).rejects.toMatchObject({code, message: expect.stringMatching(message)})
  })

  it('--state also saves every list into the store, as the Parquet file has it', async () => {
    const state = join(dir, 'state')
    const file = out()
    const summary = await recommendAll({...base, out: file, k: 5, store: {state}})
    expect(summary.store).toMatch(/^sqlite:/)
    const store = new SqliteStore(state)
    try {
      const lists = decodeTopN(readFileSync(file), file)
      const stored = await store.topN(userId(6))
      expect(stored?.generatedAt).toBe(engine.world.clock)
      expect(stored?.versions).toEqual(engine.versions)
      expect(stored?.items.map((item) => item.itemId)).toEqual(Array.from(lists.itemIds.subarray(lists.offsets[6], lists.offsets[7])))
    } finally {
      await store.close()
    }
  })
})
