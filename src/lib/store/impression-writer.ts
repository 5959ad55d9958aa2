// The batching impression writer: a bounded queue flushed to the store in one transaction per flush, off the request path.
import {PendingImpressions} from './pending-impressions.js'
import type {Impression, Store} from './types.js'

export interface ImpressionWriterOptions {
  /**
   * Rows the queue holds at most; a feed that does not fit is dropped whole and counted. 20,000 rows are
   * 1,000 feeds of 20 (~6 MB): ~4 s of a store that stopped answering at 250 feeds/s before rows are dropped.
   */
  maxQueue?: number
  /** A flush starts once this many rows wait (1,000 = 50 feeds of 20, one insert transaction of ~5 ms in SQLite). */
  batchRows?: number
  /** ...or this long after the first row of a batch arrived (200 ms bounds what a kill -9 loses on a quiet server). */
  intervalMs?: number
  counters?: {logged: Inc; dropped: Inc; flushFailures: Inc}
  /** A flush that failed: its rows are dropped (counted), and the writer carries on. */
  onError?: (error: unknown, rows: number) => void
}

interface Inc {
  inc(by?: number): void
}

const NO_COUNT: Inc = {inc() {}}

/**
 * enqueue() never blocks, awaits or throws: it appends a feed's rows or drops them. A flush takes every
 * queued row into one store.recordImpressions call (one transaction), one flush at a time; a failed flush
 * drops its rows instead of retrying, so a store that keeps failing costs at most the queue bound in
 * memory. Rows are findable through `pending` until their flush has committed. close() flushes the rest.
 */
export class ImpressionWriter {
  readonly pending = new PendingImpressions()
  private readonly maxQueue: number
  private readonly batchRows: number
  private readonly intervalMs: number
  private readonly counters: {logged: Inc; dropped: Inc; flushFailures: Inc}
  private timer: NodeJS.Timeout | undefined
  private flushing: Promise<void> | undefined
  private closed = false

  constructor(
    private readonly store: Store,
    private readonly options: ImpressionWriterOptions = {},
  ) {
    this.maxQueue = options.maxQueue ?? 20_000
    this.batchRows = options.batchRows ?? 1_000
    this.intervalMs = options.intervalMs ?? 200
    this.counters = options.counters ?? {logged: NO_COUNT, dropped: NO_COUNT, flushFailures: NO_COUNT}
  }

  enqueue(rows: Impression[]): void {
    if (rows.length === 0) return
    // after close (a feed served while shutting down) or over the bound: whole feeds, so none is stored half
    if (this.closed || this.pending.length + rows.length > this.maxQueue) {
      this.counters.dropped.inc(rows.length)
      return
    }
    this.pending.push(rows)
    this.schedule()
  }

  /** Writes what is queued; resolves when that flush (and one already running) is done. Never rejects. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    if (this.pending.length === 0) return
    const rows = this.pending.takeAll()
    this.flushing = this.write(rows)
    await this.flushing
  }

  /** Flushes everything queued; later enqueues are dropped and counted. */
  async close(): Promise<void> {
    this.closed = true
    while (this.flushing || this.pending.length > 0) await this.flush()
  }

  private async write(rows: Impression[]): Promise<void> {
    try {
      await this.store.recordImpressions(rows)
      this.counters.logged.inc(rows.length)
    } catch (error) {
      this.counters.flushFailures.inc()
      this.counters.dropped.inc(rows.length)
      this.options.onError?.(error, rows.length)
    } finally {
      this.pending.release(rows)
      this.flushing = undefined
    }
    this.schedule()
  }

  /** A full batch flushes now (unless one is running: it reschedules when done); a partial one within intervalMs. */
  private schedule(): void {
    if (this.flushing || this.pending.length === 0) return
    if (this.pending.length >= this.batchRows) {
      void this.flush()
      return
    }
    // unref: a quiet server's last partial batch must not keep the process alive; close() writes it
    this.timer ??= setTimeout(() => void this.flush(), this.intervalMs).unref()
  }
}
