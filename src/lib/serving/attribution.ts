// Attribution: which served feed an interaction answers, by the request_id it carries or by the latest impression within a window.
import type {ImpressionLookup} from '../store/pending-impressions.js'
import type {Impression, Store, StoredInteraction} from '../store/types.js'

/** Default of `rec serve --attribution-window`: a click on an item shown within the last day answers that feed. */
export const DEFAULT_ATTRIBUTION_WINDOW_MS = 24 * 3600 * 1000

/**
 * How far after an interaction's ts an impression may lie and still be its cause: client clocks that lag
 * the server's by up to a minute still attribute a click made right after the feed. An impression later
 * than that is not the cause (a backfilled interaction of an item shown again since); the interaction is
 * then unattributed rather than searched further back (Store.findImpression gives the latest only).
 */
export const CLOCK_SLACK_MS = 60_000

export interface AttributionOutcome {
  byRequestId: number
  byWindow: number
  unattributed: number
  /** Parallel to the batch: the impression each interaction was attributed to (its feed's strategy and bandit choice), or undefined. */
  impressions: (Impression | undefined)[]
}

export interface AttributionCounters {
  byRequestId: {inc(by?: number): void}
  byWindow: {inc(by?: number): void}
  unattributed: {inc(by?: number): void}
}

export class Attribution {
  constructor(
    private readonly store: Store,
    /** Impressions queued but not yet flushed (ImpressionWriter.pending): a click right after its feed must still find it. */
    private readonly pending: ImpressionLookup | undefined,
    readonly windowMs: number,
    private readonly counters?: AttributionCounters,
  ) {}

  /**
   * Sets each interaction's requestId to the feed it is attributed to, or deletes it. One sent by the client
   * counts only if that feed showed that item to that user (else unattributed, not an error: the feed's
   * impressions may have been dropped); without one, the latest impression of (user, item) in
   * [ts - window, ts + CLOCK_SLACK_MS]. Queued impressions are asked first, then the store.
   */
  async attribute(batch: StoredInteraction[]): Promise<AttributionOutcome> {
    const outcome: AttributionOutcome = {byRequestId: 0, byWindow: 0, unattributed: 0, impressions: []}
    for (const r of batch) {
      const claimed = r.requestId
      const found = claimed === undefined ? await this.inWindow(r) : await this.ofFeed(r, claimed)
      outcome.impressions.push(found)
      if (found) {
        r.requestId = found.requestId
        if (claimed === undefined) outcome.byWindow++
        else outcome.byRequestId++
      } else {
        delete r.requestId
        outcome.unattributed++
      }
    }
    return outcome
  }

  /** Adds a stored batch's outcome to the counters (called once the batch is durable, so refused batches count nothing). */
  count(outcome: AttributionOutcome): void {
    if (!this.counters) return
    this.counters.byRequestId.inc(outcome.byRequestId)
    this.counters.byWindow.inc(outcome.byWindow)
    this.counters.unattributed.inc(outcome.unattributed)
  }

  private async ofFeed(r: StoredInteraction, requestId: string): Promise<Impression | undefined> {
    const options = {since: 0, requestId}
    return this.pending?.find(r.userId, r.itemId, options) ?? (await this.store.findImpression(r.userId, r.itemId, options))
  }

  private async inWindow(r: StoredInteraction): Promise<Impression | undefined> {
    const options = {since: r.ts - this.windowMs}
    const fits = (found: Impression | undefined) => (found && found.ts <= r.ts + CLOCK_SLACK_MS ? found : undefined)
    // a queued impression is newer than any stored one; when it is too new, an older stored one may still fit
    return fits(this.pending?.find(r.userId, r.itemId, options)) ?? fits(await this.store.findImpression(r.userId, r.itemId, options))
  }
}
