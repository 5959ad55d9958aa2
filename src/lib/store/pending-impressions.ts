// The impressions queued for the store but not yet in it, indexed so that attribution can find them before a flush.
import type {Impression} from './types.js'

/** What attribution asks of impressions it cannot read from the store yet (the arguments of Store.findImpression). */
export interface ImpressionLookup {
  /** The latest pending impression of (user, item) at or after `since`, or the one of feed `requestId`. */
  find(userId: bigint, itemId: bigint, options: {since: number; requestId?: string}): Impression | undefined
}

/**
 * A FIFO of rows with two indexes: (user, item) -> its latest queued row, and (request, item) -> that row.
 * A row stays indexed from `push` until `release` after its flush committed, so a flush in progress
 * hides nothing. Bounded by the writer's queue bound (plus one batch in flight): no eviction of its own.
 */
export class PendingImpressions implements ImpressionLookup {
  private queue: Impression[] = []
  private readonly byPair = new Map<string, Impression>()
  private readonly byFeed = new Map<string, Impression>()

  /** Rows queued and not yet taken by a flush. */
  get length(): number {
    return this.queue.length
  }

  push(rows: Impression[]): void {
    for (const r of rows) {
      this.queue.push(r)
      this.byPair.set(`${r.userId}:${r.itemId}`, r) // later rows replace earlier ones: FIFO order is time order
      this.byFeed.set(`${r.requestId}:${r.itemId}`, r)
    }
  }

  /** Every queued row, oldest first; they stay findable until `release`. */
  takeAll(): Impression[] {
    const taken = this.queue
    this.queue = []
    return taken
  }

  /** Forgets rows the store now holds (or that a failed flush dropped); a newer row of the same key stays. */
  release(rows: Impression[]): void {
    for (const r of rows) {
      const pair = `${r.userId}:${r.itemId}`
      if (this.byPair.get(pair) === r) this.byPair.delete(pair)
      const feed = `${r.requestId}:${r.itemId}`
      if (this.byFeed.get(feed) === r) this.byFeed.delete(feed)
    }
  }

  find(userId: bigint, itemId: bigint, options: {since: number; requestId?: string}): Impression | undefined {
    if (options.requestId !== undefined) {
      const row = this.byFeed.get(`${options.requestId}:${itemId}`)
      return row?.userId === userId ? row : undefined
    }
    const row = this.byPair.get(`${userId}:${itemId}`)
    return row && row.ts >= options.since ? row : undefined
  }
}
