// A token bucket per key (bearer token or client IP): `burst` tokens, refilled at `perSecond`.
export interface RateLimitOptions {
  perSecond: number
  burst: number
}

export class TokenBuckets {
  private readonly buckets = new Map<string, {tokens: number; at: number}>()

  constructor(
    private readonly options: RateLimitOptions,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes one token; returns 0 when allowed, else the seconds until one is available. */
  take(key: string): number {
    const t = this.now()
    const bucket = this.buckets.get(key) ?? {tokens: this.options.burst, at: t}
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + ((t - bucket.at) / 1000) * this.options.perSecond)
    bucket.at = t
    this.buckets.set(key, bucket)
    // forget idle full buckets so that many distinct IPs cannot grow the map without bound
    if (this.buckets.size > 100_000) for (const [k, b] of this.buckets) if (b.tokens >= this.options.burst) this.buckets.delete(k)
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return 0
    }
    return (1 - bucket.tokens) / this.options.perSecond
  }
}
