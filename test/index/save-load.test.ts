// Index directories: round trip for both kinds, reproducible HNSW files, and one-line errors for bad directories.
import {readFileSync, readdirSync, rmSync, truncateSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {writeParquetFile} from '../../src/lib/dataset/parquet.js'
import {buildIndex, type BuildIndexOptions} from '../../src/lib/index/build-index.js'
import {digestFile} from '../../src/lib/index/file-digest.js'
import type {HnswIndex} from '../../src/lib/index/hnsw-index.js'
import {loadIndex} from '../../src/lib/index/load-index.js'
import {saveIndex} from '../../src/lib/index/save-index.js'
import {tempDir} from '../helpers/cli.js'
import {itemIds, randomUnitRows} from './fixtures.js'

const dim = 8
const n = 700
const vectors = randomUnitRows(31, n, dim)
const queries = randomUnitRows(32, 25, dim)
const checkpoint = {path: 'ckpt/retrieval', fingerprint: 'abc123'}

/** Records a replaced file's new digest, as a writer other than saveIndex would. */
async function redigest(dir: string, name: string): Promise<void> {
  const path = join(dir, 'manifest.json')
  const manifest = JSON.parse(readFileSync(path, 'utf8'))
  manifest.files[name] = await digestFile(join(dir, name))
  writeFileSync(path, JSON.stringify(manifest))
}

async function saved(options: BuildIndexOptions, dir = join(tempDir(), 'index')) {
  const built = await buildIndex(vectors, itemIds(n), {recallQueries: queries, ...options})
  const manifest = await saveIndex(dir, built, {checkpoint})
  return {built, manifest, dir}
}

describe.each([
  {kind: 'exact', options: {exact: true}},
  {kind: 'hnsw', options: {exact: false}},
] as const)('save and load: $kind', ({kind, options}) => {
  it('restores the same search results, ids and vectors', async () => {
    const {built, manifest, dir} = await saved(options)
    expect(readdirSync(dir).sort()).toEqual(kind === 'hnsw' ? ['ids.parquet', 'items.f32', 'items.usearch', 'manifest.json'] : ['ids.parquet', 'items.f32', 'manifest.json'])
    const {index, manifest: loadedManifest} = await loadIndex(dir)
    expect(loadedManifest).toEqual(manifest)
    expect(manifest).toMatchObject({format: 'rec-index/1', kind, metric: 'ip', normalized: true, dims: dim, count: n, checkpoint})
    expect(manifest.recall?.k).toBe(10)
    expect(index.kind).toBe(kind)
    const before = built.index.searchBatch(queries, 10)
    const after = index.searchBatch(queries, 10)
    for (let i = 0; i < before.length; i++) {
      expect(Array.from(after[i].rows)).toEqual(Array.from(before[i].rows))
      expect(Array.from(after[i].scores)).toEqual(Array.from(before[i].scores))
    }
    const exclude = new Set([index.search(queries.subarray(0, dim), 1).rows[0]])
    expect(Array.from(index.search(queries.subarray(0, dim), 10, exclude).rows)).toEqual(Array.from(built.index.search(queries.subarray(0, dim), 10, exclude).rows))
    const mapped = (await loadIndex(dir, {mapped: true})).index.searchBatch(queries, 10)
    expect(mapped.map((r) => Array.from(r.rows))).toEqual(before.map((r) => Array.from(r.rows)))
    expect(index.lookupRow(1000n + 7n * 123n)).toBe(123)
    expect(Array.from(index.rowVector(123))).toEqual(Array.from(built.index.rowVector(123)))
    expect(() => index.lookupRow(5n)).toThrow(expect.objectContaining({code: 'NOT_FOUND', message: 'item id 5 is not in the index'}))
  })
})

describe('index directories', () => {
  it('writes byte-identical items.usearch for the same vectors and seed on one thread', async () => {
    const a = await saved({exact: false, seed: 4})
    const b = await saved({exact: false, seed: 4})
    const c = await saved({exact: false, seed: 5})
    const bytes = (dir: string) => readFileSync(join(dir, 'items.usearch'))
    expect(bytes(a.dir).equals(bytes(b.dir))).toBe(true)
    expect(bytes(a.dir).equals(bytes(c.dir))).toBe(false)
  })

  it('overrides expansionSearch at load time', async () => {
    const {dir} = await saved({exact: false})
    const {index} = await loadIndex(dir, {expansionSearch: 200})
    const {index: fallback} = await loadIndex(dir)
    expect((index.topk as HnswIndex).params.expansionSearch).toBe(200)
    expect((fallback.topk as HnswIndex).params.expansionSearch).toBe(72)
    expect(index.search(queries.subarray(0, dim), 10).rows.length).toBe(10)
    await expect(loadIndex(dir, {expansionSearch: 0})).rejects.toThrow('expansionSearch must be an integer in [1, 4096], got 0')
  })


  it('loads an f32 graph whose manifest predates the quantization field', async () => {
    const {built, dir} = await saved({exact: false, quantization: 'f32'})
    const path = join(dir, 'manifest.json')
    const manifest = JSON.parse(readFileSync(path, 'utf8'))
    expect(manifest.hnsw.quantization).toBe('f32')
    delete manifest.hnsw.quantization
    writeFileSync(path, JSON.stringify(manifest))
    const loaded = await loadIndex(dir)
    expect(loaded.manifest.hnsw?.quantization).toBe('f32')
    const query = queries.subarray(0, dim)
    expect(loaded.index.search(query, 10)).toEqual(built.index.search(query, 10))
  })
  it('refuses to replace an existing directory without force', async () => {
    const {dir, built} = await saved({exact: true})
    await expect(saveIndex(dir, built, {checkpoint: null})).rejects.toMatchObject({code: 'ALREADY_EXISTS'})
    await saveIndex(dir, built, {checkpoint: null, force: true})
    expect((await loadIndex(dir)).manifest.checkpoint).toBeNull()
  })

  it('names the problem with a missing directory or manifest', async () => {
    const root = tempDir()
    await expect(loadIndex(join(root, 'nope'))).rejects.toThrow(`index directory ${join(root, 'nope')} does not exist`)
    await expect(loadIndex(root)).rejects.toThrow(`${join(root, 'manifest.json')} is missing: ${root} is not an index directory`)
    const {dir} = await saved({exact: false})
    const manifestPath = join(dir, 'manifest.json')
    const good = readFileSync(manifestPath, 'utf8')
    writeFileSync(manifestPath, '{"format": "rec-index/1",')
    await expect(loadIndex(dir)).rejects.toMatchObject({code: 'BAD_SCHEMA'})
    writeFileSync(manifestPath, good.replace('"rec-index/1"', '"rec-index/9"'))
    await expect(loadIndex(dir)).rejects.toThrow(/manifest.json: field format/)
    writeFileSync(manifestPath, good.replace(`"count": ${n}`, `"count": ${n + 1}`))
    await expect(loadIndex(dir)).rejects.toThrow(`ids.parquet has ${n} rows but the manifest says ${n + 1}`)
  })

  it('refuses a truncated, corrupted or missing data file before usearch can read it', async () => {
    const {dir} = await saved({exact: false})
    const graph = join(dir, 'items.usearch')
    const good = readFileSync(graph)
    truncateSync(graph, good.length - 100)
    await expect(loadIndex(dir)).rejects.toThrow(`${graph} has ${good.length - 100} bytes but the manifest says ${good.length}`)
    const flipped = Buffer.from(good)
    flipped[good.length - 50] ^= 0xff
    writeFileSync(graph, flipped)
    await expect(loadIndex(dir)).rejects.toThrow(`${graph} does not match its SHA-256 in the manifest`)
    rmSync(graph)
    await expect(loadIndex(dir)).rejects.toThrow(`${graph} is missing`)
    writeFileSync(graph, good)
    truncateSync(join(dir, 'items.f32'), 100)
    await expect(loadIndex(dir)).rejects.toThrow(/items.f32 has 100 bytes but the manifest says/)
  })

  it('checks the content of ids.parquet', async () => {
    const {dir} = await saved({exact: true})
    const idsPath = join(dir, 'ids.parquet')
    await writeParquetFile(idsPath, {item_id: {type: 'int32', values: new Int32Array(n)}})
    await redigest(dir, 'ids.parquet')
    await expect(loadIndex(dir)).rejects.toThrow('column item_id must be int64, found int32')
    const dup = itemIds(n)
    dup[1] = dup[0]
    await writeParquetFile(idsPath, {item_id: {type: 'int64', values: dup}})
    await redigest(dir, 'ids.parquet')
    await expect(loadIndex(dir)).rejects.toThrow(`item id ${dup[0]} appears at rows 0 and 1`)
  })

  it('leaves nothing behind when writing fails half way', async () => {
    const built = await buildIndex(vectors, itemIds(n), {exact: true})
    const root = tempDir()
    // stats claiming hnsw for an exact index fail after items.f32 is written
    const broken = {...built, stats: {...built.stats, kind: 'hnsw' as const, hnsw: {connectivity: 16, expansionAdd: 128, expansionSearch: 64, quantization: 'f16' as const, threads: 1, seed: 0}}}
    await expect(saveIndex(join(root, 'index'), broken, {checkpoint: null})).rejects.toMatchObject({code: 'MISMATCH'})
    expect(readdirSync(root)).toEqual([])
  })
})
