// The TopK contract every item index implements (brute force or approximate), as in TFRS.
import {RecError} from '../errors.js'

/** The best rows for one query, best first: `rows[i]` scored `scores[i]` (an inner product). */
export interface SearchResult {
  rows: Int32Array
  scores: Float32Array
}

/** Rows to leave out of a result: a set of rows, or a predicate that returns true for a row to drop. */
export type RowExclusion = ReadonlySet<number> | ((row: number) => boolean)

export type IndexKind = 'exact' | 'hnsw'

/**
 * Top-k maximum inner product search over `size` rows of `dim` floats.
 * A result holds min(k, rows left after exclusion) rows, ordered by score descending; an exact
 * index breaks ties by the smaller row. Queries are not normalised: scores are query . row.
 */
export interface TopK {
  readonly kind: IndexKind
  /** True when results equal brute force; false for approximate indexes. */
  readonly isExact: boolean
  readonly size: number
  readonly dim: number
  /** `query` is [dim]. */
  search(query: Float32Array, k: number, exclude?: RowExclusion): SearchResult
  /** `queries` is [n, dim] row-major; `excludes[i]`, when given, applies to query i. One result per query. */
  searchBatch(queries: Float32Array, k: number, excludes?: ReadonlyArray<RowExclusion | undefined>): SearchResult[]
}

export function isExcluded(exclude: RowExclusion | undefined, row: number): boolean {
  if (exclude === undefined) return false
  return typeof exclude === 'function' ? exclude(row) : exclude.has(row)
}

/** Throws INVALID_ARGUMENT unless k is a positive integer and `queries` is a whole number of finite [dim] rows. */
export function checkQueries(queries: Float32Array, dim: number, k: number): number {
  if (!Number.isInteger(k) || k < 1) throw new RecError('INVALID_ARGUMENT', `k must be a positive integer, got ${k}`)
  if (queries.length === 0 || queries.length % dim !== 0) {
    throw new RecError('INVALID_ARGUMENT', `query length ${queries.length} is not a positive multiple of the index dimension ${dim}`, {
      hint: 'embed queries with the checkpoint the index was built from',
    })
  }
  for (let i = 0; i < queries.length; i++) {
    if (!Number.isFinite(queries[i])) {
      throw new RecError('BAD_DATA', `query ${Math.floor(i / dim)} has a non-finite value ${queries[i]} at dimension ${i % dim}`)
    }
  }
  return queries.length / dim
}
