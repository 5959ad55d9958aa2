// A TopK index whose rows are items: maps rows to item ids and back, and gives each row's vector.
import {RecError} from '../errors.js'
import type {IndexKind, RowExclusion, SearchResult, TopK} from './top-k.js'

/** Row -> its stored (normalised) vector [dim]. */
export type RowVectors = (row: number) => Float32Array

/** id -> row; throws BAD_DATA on the first id that appears twice, naming both rows. */
export function mapIdsToRows(ids: BigInt64Array, source: string): Map<bigint, number> {
  const rows = new Map<bigint, number>()
  for (let row = 0; row < ids.length; row++) {
    const previous = rows.get(ids[row])
    if (previous !== undefined) {
      throw new RecError('BAD_DATA', `${source}: item id ${ids[row]} appears at rows ${previous} and ${row}`, {hint: 'item ids must be unique'})
    }
    rows.set(ids[row], row)
  }
  return rows
}

/** Search results are rows; `itemIds(result.rows)` turns them into the caller's item ids. */
export class ItemIndex implements TopK {
  private readonly rowOf: Map<bigint, number>

  constructor(
    readonly topk: TopK,
    /** [size]: ids[row] is the item id of that row. */
    readonly ids: BigInt64Array,
    private readonly vectors: RowVectors,
    source = 'index',
  ) {
    if (ids.length !== topk.size) throw new RecError('MISMATCH', `${source}: ${ids.length} item ids for ${topk.size} index rows`)
    this.rowOf = mapIdsToRows(ids, source)
  }

  get kind(): IndexKind {
    return this.topk.kind
  }

  get isExact(): boolean {
    return this.topk.isExact
  }

  get size(): number {
    return this.topk.size
  }

  get dim(): number {
    return this.topk.dim
  }

  search(query: Float32Array, k: number, exclude?: RowExclusion): SearchResult {
    return this.topk.search(query, k, exclude)
  }

  searchBatch(queries: Float32Array, k: number, excludes?: ReadonlyArray<RowExclusion | undefined>): SearchResult[] {
    return this.topk.searchBatch(queries, k, excludes)
  }

  /** The row holding `itemId`; NOT_FOUND when the index has no such item. */
  lookupRow(itemId: bigint): number {
    const row = this.rowOf.get(itemId)
    if (row === undefined) {
      throw new RecError('NOT_FOUND', `item id ${itemId} is not in the index`, {hint: 'the item may be newer than the checkpoint the index was built from'})
    }
    return row
  }

  itemIds(rows: Int32Array): BigInt64Array {
    return BigInt64Array.from(rows, (row) => this.ids[row])
  }

  /** The vector stored for `row` [dim], e.g. to find items similar to one item. */
  rowVector(row: number): Float32Array {
    if (!Number.isInteger(row) || row < 0 || row >= this.size) throw new RecError('NOT_FOUND', `row ${row} is outside the index (0..${this.size - 1})`)
    return this.vectors(row)
  }

  /** The rows most similar to item `itemId`, leaving the item itself out. */
  similarTo(itemId: bigint, k: number): SearchResult {
    const row = this.lookupRow(itemId)
    return this.search(this.rowVector(row), k, new Set([row]))
  }
}
