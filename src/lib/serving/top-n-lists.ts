// Where rec serve --topn finds precomputed lists: a topn.parquet held in memory, or the store read per request.
import {readFile} from 'node:fs/promises'

import {decodeTopN} from '../batch/top-n-table.js'
import {RecError} from '../errors.js'
import type {IdVocab} from '../features/vocab.js'
import type {Store, TopNList} from '../store/types.js'

/** One user's list as the cache serves it: columns, with each item's response JSON and item rows made on first use. */
export class CachedList {
  private fragments: (string | undefined)[] = []
  private rowsOf?: {items: IdVocab; rows: Int32Array}
  private parsedVersions?: Record<string, string>

  constructor(
    /** When it was computed (ms). */
    readonly generatedAt: number,
    /** JSON of the model versions that computed it: the response's `versions` as is. */
    readonly versionsJson: string,
    readonly itemIds: BigInt64Array,
    readonly scores: ArrayLike<number>,
    readonly sources: string[],
    readonly reasons: string[],
  ) {}

  static fromList(list: TopNList): CachedList {
    return new CachedList(
      list.generatedAt,
      JSON.stringify(list.versions),
      BigInt64Array.from(list.items, (item) => item.itemId),
      Float64Array.from(list.items, (item) => item.score),
      list.items.map((item) => item.source),
      list.items.map((item) => item.reason),
    )
  }

  get size(): number {
    return this.itemIds.length
  }

  get versions(): Record<string, string> {
    return (this.parsedVersions ??= JSON.parse(this.versionsJson) as Record<string, string>)
  }

  /** The score the live feed showed: rounded to 1e-6 (topn.parquet keeps it as float32, which rounds back to it below ~8). */
  score(i: number): number {
    return Math.round(this.scores[i] * 1e6) / 1e6
  }

  /** Item rows in `items` (0 for an item it lacks: a reloaded model may not have it); kept for that vocabulary. */
  rows(items: IdVocab): Int32Array {
    if (this.rowsOf?.items !== items) this.rowsOf = {items, rows: items.rows(this.itemIds)}
    return this.rowsOf.rows
  }

  /** Item i as the live response writes it, keys in the same order. */
  fragment(i: number): string {
    return (this.fragments[i] ??= `{"item_id":"${this.itemIds[i]}","score":${JSON.stringify(this.score(i))},"source":${JSON.stringify(this.sources[i])},"reason":${JSON.stringify(this.reasons[i])}}`)
  }

  toList(userId: bigint): TopNList {
    return {userId, generatedAt: this.generatedAt, versions: this.versions, items: Array.from(this.itemIds, (itemId, i) => ({itemId, score: this.score(i), source: this.sources[i], reason: this.reasons[i]}))}
  }
}

/** A source of users' lists; `put` replaces a user's list (a recompute). */
export interface TopNLists {
  /** For logs: "topn.parquet (5000 users)", "the store". */
  readonly description: string
  get(userId: bigint): CachedList | undefined | Promise<CachedList | undefined>
  put(list: TopNList): Promise<void>
}

/** A topn.parquet read once at start; recomputes replace lists in memory only (the file is rec recommend's output, never rewritten). */
export class MemoryTopNLists implements TopNLists {
  readonly description: string
  private readonly lists = new Map<bigint, CachedList>()

  private constructor(path: string, bytes: Uint8Array) {
    const columns = decodeTopN(bytes, path)
    const {userIds, offsets} = columns
    for (let u = 0; u < userIds.length; u++) {
      const [from, to] = [offsets[u], offsets[u + 1]]
      this.lists.set(
        userIds[u],
        new CachedList(columns.generatedAt[u], columns.versions[u], columns.itemIds.subarray(from, to), columns.scores.subarray(from, to), columns.sources.slice(from, to), columns.reasons.slice(from, to)),
      )
    }
    this.description = `${path} (${userIds.length} users)`
  }

  static async load(path: string): Promise<MemoryTopNLists> {
    let bytes: Uint8Array
    try {
      bytes = await readFile(path)
    } catch {
      throw new RecError('NOT_FOUND', `--topn file ${path} does not exist or cannot be read`, {hint: 'write it with rec recommend --out, or pass --topn store'})
    }
    return new MemoryTopNLists(path, bytes)
  }

  get size(): number {
    return this.lists.size
  }

  get(userId: bigint): CachedList | undefined {
    return this.lists.get(userId)
  }

  async put(list: TopNList): Promise<void> {
    this.lists.set(list.userId, CachedList.fromList(list))
  }
}

/** Lists in the store (rec recommend --state/--store, and recomputes): every replica on one database serves the same ones. */
export class StoreTopNLists implements TopNLists {
  readonly description: string

  constructor(private readonly store: Store) {
    this.description = `the store at ${store.description}`
  }

  async get(userId: bigint): Promise<CachedList | undefined> {
    const list = await this.store.topN(userId)
    return list && CachedList.fromList(list)
  }

  async put(list: TopNList): Promise<void> {
    await this.store.saveTopN([list])
  }
}
