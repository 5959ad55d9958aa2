// Opens an index directory written by saveIndex, checking every file against the manifest.
import {closeSync, openSync, readSync} from 'node:fs'
import {readFile, stat} from 'node:fs/promises'
import {join} from 'node:path'

import {readParquetFile} from '../dataset/parquet.js'
import {RecError} from '../errors.js'
import {ExactIndex} from './exact-index.js'
import {verifyFile, type FileDigest} from './file-digest.js'
import {HnswIndex} from './hnsw-index.js'
import {resolveHnswParams} from './hnsw-params.js'
import {ItemIndex, type RowVectors} from './item-index.js'
import {INDEX_FILES, IndexManifestSchema, type IndexManifest} from './manifest.js'

export interface LoadIndexOptions {
  /** Overrides the manifest's ef for this session (HNSW only): trade latency for recall without a rebuild. */
  expansionSearch?: number
  /**
   * Map items.usearch read-only instead of reading it into this thread's memory (HNSW only): every
   * thread and process serving the index then shares one copy in the page cache (1M x 64 f16: 264 MB
   * once instead of once per pipeline worker). Index files are never rewritten in place, so a mapping
   * stays valid when a rebuild replaces the directory.
   */
  mapped?: boolean
}

export interface LoadedIndex {
  index: ItemIndex
  manifest: IndexManifest
}

async function readManifest(dir: string): Promise<IndexManifest> {
  const path = join(dir, INDEX_FILES.manifest)
  const info = await stat(dir).catch(() => undefined)
  if (!info?.isDirectory()) throw new RecError('NOT_FOUND', `index directory ${dir} does not exist`, {hint: 'build one with `rec index build`'})
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    throw new RecError('NOT_FOUND', `${path} is missing: ${dir} is not an index directory`, {hint: 'build one with `rec index build`'})
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new RecError('BAD_SCHEMA', `${path} is not valid JSON (${(error as Error).message})`)
  }
  const parsed = IndexManifestSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new RecError('BAD_SCHEMA', `${path}: field ${issue.path.join('.') || '(root)'}: ${issue.message}`)
  }
  return parsed.data
}

async function readIds(path: string, count: number): Promise<BigInt64Array> {
  const column = (await readParquetFile(path)).item_id
  if (column?.type !== 'int64') throw new RecError('BAD_SCHEMA', `${path}: column item_id must be int64, found ${column?.type ?? 'none'}`)
  if (column.nulls?.includes(1)) throw new RecError('BAD_DATA', `${path}: item_id has nulls`)
  if (column.values.length !== count) throw new RecError('MISMATCH', `${path} has ${column.values.length} rows but the manifest says ${count}`)
  return column.values
}

/** The manifest's digest of `name`, which must be listed. */
function digestOf(dir: string, manifest: IndexManifest, name: string): FileDigest {
  const digest = manifest.files[name]
  if (!digest) throw new RecError('BAD_SCHEMA', `${join(dir, INDEX_FILES.manifest)}: files lists no ${name}`)
  return digest
}

/** Reads one row from items.f32 on demand, so an HNSW index does not hold a second copy of the vectors. */
function rowsFromFile(path: string, dims: number): RowVectors {
  return (row) => {
    const out = new Float32Array(dims)
    const fd = openSync(path, 'r')
    try {
      readSync(fd, new Uint8Array(out.buffer), 0, dims * 4, row * dims * 4)
    } finally {
      closeSync(fd)
    }
    return out
  }
}

/**
 * A missing or malformed directory throws a RecError naming the file; search results equal those
 * before saving. Files read whole are checked against their SHA-256 first (1M x 64: about 0.6 s).
 */
export async function loadIndex(dir: string, options: LoadIndexOptions = {}): Promise<LoadedIndex> {
  const manifest = await readManifest(dir)
  const idsPath = join(dir, INDEX_FILES.ids)
  await verifyFile(idsPath, digestOf(dir, manifest, INDEX_FILES.ids), true)
  const ids = await readIds(idsPath, manifest.count)
  const vectorsPath = join(dir, INDEX_FILES.vectors)
  const vectorsDigest = digestOf(dir, manifest, INDEX_FILES.vectors)
  const expectedBytes = manifest.count * manifest.dims * 4
  if (vectorsDigest.bytes !== expectedBytes) {
    throw new RecError('BAD_SCHEMA', `${join(dir, INDEX_FILES.manifest)}: ${INDEX_FILES.vectors} must hold ${expectedBytes} bytes (${manifest.count} x ${manifest.dims} float32), says ${vectorsDigest.bytes}`)
  }
  await verifyFile(vectorsPath, vectorsDigest, manifest.kind === 'exact')
  if (manifest.kind === 'exact') {
    const bytes = await readFile(vectorsPath)
    // a Float32Array view needs a 4-byte-aligned offset; copy only when the Buffer is not aligned
    const matrix =
      bytes.byteOffset % 4 === 0
        ? new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4)
        : new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
    const exact = new ExactIndex(matrix, manifest.dims)
    return {index: new ItemIndex(exact, ids, (row) => exact.row(row), idsPath), manifest}
  }
  if (!manifest.hnsw) throw new RecError('BAD_SCHEMA', `${join(dir, INDEX_FILES.manifest)}: an hnsw index needs the hnsw parameters`)
  const params = resolveHnswParams({...manifest.hnsw, expansionSearch: options.expansionSearch ?? manifest.hnsw.expansionSearch})
  const hnswPath = join(dir, INDEX_FILES.hnsw)
  await verifyFile(hnswPath, digestOf(dir, manifest, INDEX_FILES.hnsw), true)
  const hnsw = HnswIndex.load(hnswPath, manifest.dims, params, options.mapped)
  if (hnsw.size !== manifest.count) throw new RecError('MISMATCH', `${hnswPath} holds ${hnsw.size} vectors but the manifest says ${manifest.count}`)
  return {index: new ItemIndex(hnsw, ids, rowsFromFile(vectorsPath, manifest.dims), idsPath), manifest}
}
