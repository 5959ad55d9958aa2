// Builds an item index from item embeddings: normalise, pick exact or HNSW by size, insert, measure recall.
import {RecError} from '../errors.js'
import {silentReporter, type Reporter} from '../reporter.js'
import {ExactIndex} from './exact-index.js'
import {HnswIndex} from './hnsw-index.js'
import {resolveHnswParams, type HnswParams} from './hnsw-params.js'
import {ItemIndex} from './item-index.js'
import type {IndexManifest} from './manifest.js'
import {measureRecall} from './measure-recall.js'
import {assertFiniteRows, normalizeRows} from './normalize-rows.js'

/** Under this many items brute force costs 1-2 ms per 64-d query (11 ms at 100k on one core): no graph needed. */
export const DEFAULT_EXACT_BELOW = 20_000

export interface BuildIndexOptions extends Partial<HnswParams> {
  /** true forces an exact index, false forces HNSW; unset chooses exact under `exactBelow` items. */
  exact?: boolean
  exactBelow?: number
  /** L2-normalise item vectors (default true) so scores are cosines; false keeps raw inner products. */
  normalize?: boolean
  /** Seeds the HNSW insertion order (default 0). */
  seed?: number
  /** HNSW insertion threads (default 1: byte-identical items.usearch; more build faster but not reproducibly). */
  threads?: number
  /** Query vectors [q, dim] (e.g. up to 1,000 real user vectors) on which to measure recall@10 of an HNSW index. */
  recallQueries?: Float32Array
  /** How the recall queries were chosen, recorded in the manifest. */
  recallQueriesSource?: string
}

/** The manifest's fields known after the build, plus what stays out of it (a wall-clock time, a warning count). */
export type BuildStats = Omit<IndexManifest, 'format' | 'checkpoint' | 'files'> & {buildSeconds: number; zeroRows: number}

export interface BuiltIndex {
  index: ItemIndex
  /** The (normalised) matrix [n, dim] that was indexed; saveIndex writes it as items.f32. */
  vectors: Float32Array
  stats: BuildStats
}

/** `vectors` is [n, dim] row-major with n = ids.length; `ids[row]` is that row's item id (unique). */
export async function buildIndex(vectors: Float32Array, ids: BigInt64Array, options: BuildIndexOptions = {}, reporter: Reporter = silentReporter): Promise<BuiltIndex> {
  // --- validate
  const n = ids.length
  if (n === 0) throw new RecError('EMPTY', 'no item vectors to index')
  const dim = vectors.length / n
  if (!Number.isInteger(dim) || dim < 1) throw new RecError('MISMATCH', `${vectors.length} floats do not split into ${n} item vectors`)
  const exactBelow = options.exactBelow ?? DEFAULT_EXACT_BELOW
  if (!Number.isInteger(exactBelow) || exactBelow < 0) throw new RecError('INVALID_ARGUMENT', `exactBelow must be a non-negative integer, got ${exactBelow}`)
  const params = resolveHnswParams(options)
  const seed = options.seed ?? 0
  const threads = options.threads ?? 1
  if (options.recallQueries) assertFiniteRows(options.recallQueries, dim, 'recall query')
  const kind = (options.exact ?? n < exactBelow) ? 'exact' : 'hnsw'

  // --- normalise and insert
  const started = performance.now()
  const normalize = options.normalize ?? true
  const {matrix, zeroRows} = normalizeRows(vectors, dim, normalize)
  if (zeroRows > 0) reporter.warn(`${zeroRows} of ${n} item vectors are all zeros: they score 0 against every query`)
  const exact = new ExactIndex(matrix, dim)
  let topk: ExactIndex | HnswIndex = exact
  if (kind === 'exact') {
    reporter.info(`exact index over ${n} x ${dim} (under exactBelow=${exactBelow} items or asked for)`)
  } else {
    reporter.info(`hnsw index over ${n} x ${dim}: M=${params.connectivity} efAdd=${params.expansionAdd} ef=${params.expansionSearch} ${params.quantization}, ${threads} thread(s)`)
    topk = await HnswIndex.build(matrix, dim, params, {threads, seed}, reporter)
  }
  const index = new ItemIndex(topk, ids, (row) => exact.row(row), 'item ids')
  const buildSeconds = (performance.now() - started) / 1000

  // --- recall against brute force on the same matrix
  let recall: BuildStats['recall'] = null
  if (kind === 'exact') {
    recall = {k: 10, value: 1, queries: 0, measuredOn: 'exact index'}
  } else if (options.recallQueries && options.recallQueries.length > 0) {
    const report = measureRecall(topk, exact, options.recallQueries, 10, reporter)
    const source = options.recallQueriesSource ?? 'caller-supplied query vectors'
    recall = {k: 10, value: report.recall, queries: report.queries, measuredOn: source}
    reporter.info(`recall@10 ${report.recall.toFixed(4)} on ${report.queries} queries (${source}), ${report.indexMsPerQuery.toFixed(3)} ms/query`)
  }

  const hnsw = kind === 'hnsw' ? {...params, threads, seed} : null
  return {
    index,
    vectors: matrix,
    stats: {kind, metric: 'ip', normalized: normalize, dims: dim, count: n, hnsw, buildSeconds, recall, zeroRows},
  }
}
