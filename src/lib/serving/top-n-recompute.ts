// The recompute queue of the top-N cache: one pending recompute per user, at most one per user per minimum interval, one at a time.

export interface RecomputeQueueOptions {
  /** A user recomputed at t is not recomputed again before t + minIntervalMs. */
  minIntervalMs: number
  now: () => number
  /** Recomputes one user's list; a failure goes to onError, never to the caller of add(). */
  run(userId: bigint): Promise<void>
  onError?(error: unknown, userId: bigint): void
}

/** Users' last recompute times beyond this many are pruned of those older than the interval (they no longer throttle). */
const PRUNE_AT = 10_000

/**
 * add() queues a user unless already queued (dedup), due now or once the minimum interval since the
 * user's last recompute has passed (throttle): a burst of likes costs one recompute now and at most one
 * more when the interval ends, so the list catches up with the last of them. Recomputes run in the
 * background one at a time, oldest due first, on a timer that never keeps the process alive: add()
 * returns at once, so no request waits for one.
 */
export class RecomputeQueue {
  /** Queued users -> when they are due (ms), in the order queued. */
  private readonly due = new Map<bigint, number>()
  /** User -> when its last recompute started. */
  private readonly last = new Map<bigint, number>()
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private closed = false

  constructor(private readonly options: RecomputeQueueOptions) {}

  /** Users queued and not yet started. */
  get pending(): number {
    return this.due.size
  }

  add(userId: bigint): void {
    if (this.closed || this.due.has(userId)) return
    const now = this.options.now()
    const last = this.last.get(userId)
    this.due.set(userId, last === undefined ? now : Math.max(now, last + this.options.minIntervalMs))
    if (this.last.size > PRUNE_AT) for (const [user, at] of this.last) if (at + this.options.minIntervalMs <= now) this.last.delete(user)
    this.schedule()
  }

  /** Runs every recompute due now, one at a time, and resolves when they are done (the timer calls it; so can tests). */
  async drain(): Promise<void> {
    while (this.running) await this.running
    this.running = this.runDue()
    try {
      await this.running
    } finally {
      this.running = undefined
      this.schedule()
    }
  }

  /** Stops the timer and waits for a recompute in progress; queued ones are dropped. */
  async close(): Promise<void> {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    this.due.clear()
    while (this.running) await this.running
  }

  private async runDue(): Promise<void> {
    for (;;) {
      const now = this.options.now()
      let next: bigint | undefined
      for (const [user, at] of this.due) {
        if (at <= now) {
          next = user
          break
        }
      }
      if (next === undefined) return
      this.due.delete(next)
      this.last.set(next, now)
      try {
        await this.options.run(next)
      } catch (error) {
        this.options.onError?.(error, next)
      }
    }
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    if (this.closed || this.running || this.due.size === 0) return
    let soonest = Infinity
    for (const at of this.due.values()) soonest = Math.min(soonest, at)
    this.timer = setTimeout(() => void this.drain(), Math.max(0, soonest - this.options.now())).unref()
  }
}
