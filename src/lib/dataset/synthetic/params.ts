// The knobs of the synthetic world, their defaults (the quickstart world) and the checks made before any work.
import {RecError} from '../../errors.js'

export interface WorldParams {
  users: number
  items: number
  /** Rows of interactions.parquet (impressions included); the generator stops at exactly this many. */
  interactions: number
  /** Length of the interaction window; items start appearing WARMUP_DAYS before it. */
  days: number
  topics: number
  seed: number
  /** Mean accounts each user follows before the window starts (lognormal around it). */
  followsPerUser: number
  /** Approximate share of items that are unsafe (nsfw or toxic) in truth. */
  unsafeFrac: number
  /** Share of items whose moderation labels (nsfw, toxic) are published; the rest are null. */
  labelFrac: number
  /** First ms of the window; fixed so that a seed alone fixes the files. 2024-01-01T00:00:00Z. */
  startMs: number
}

export const DEFAULT_WORLD: WorldParams = {
  users: 1000,
  items: 10_000,
  interactions: 50_000,
  days: 30,
  topics: 20,
  seed: 42,
  followsPerUser: 20,
  unsafeFrac: 0.03,
  labelFrac: 0.2,
  startMs: Date.UTC(2024, 0, 1),
}

export const DAY_MS = 86_400_000
/** Items are authored from this many days before the window, so the first feeds are not empty. */
export const WARMUP_DAYS = 3

/** Upper bounds. Measured peak RSS: 2.2 GB at 10M interactions, 4.1 GB at 20M (the Parquet encoder's wasm heap then holds 2 GB of its 4 GB limit). */
export const LIMITS = {users: 10_000_000, items: 50_000_000, interactions: 20_000_000, days: 3650, topics: 1000, interestCells: 50_000_000}

function integerIn(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RecError('INVALID_ARGUMENT', `--${name} must be an integer from ${min} to ${max} (got ${value})`)
  }
}

function fractionIn(name: string, value: number, max: number): void {
  if (!Number.isFinite(value) || value < 0 || value > max) throw new RecError('INVALID_ARGUMENT', `--${name} must be from 0 to ${max} (got ${value})`)
}

/**
 * Fills defaults and throws INVALID_ARGUMENT naming the first bad value (flag spelling, since the CLI
 * passes them through). Defaults of topics and follows shrink to fit small worlds; given values must fit.
 */
export function resolveWorldParams(input: Partial<WorldParams>): WorldParams {
  const p: WorldParams = {...DEFAULT_WORLD}
  for (const [key, value] of Object.entries(input)) if (value !== undefined) (p as unknown as Record<string, number>)[key] = value
  if (input.topics === undefined) p.topics = Math.max(2, Math.min(DEFAULT_WORLD.topics, p.items))
  if (input.followsPerUser === undefined) p.followsPerUser = Math.max(0, Math.min(DEFAULT_WORLD.followsPerUser, p.users - 1))
  integerIn('users', p.users, 2, LIMITS.users)
  integerIn('items', p.items, 2, LIMITS.items)
  integerIn('interactions', p.interactions, 1, LIMITS.interactions)
  integerIn('days', p.days, 1, LIMITS.days)
  integerIn('topics', p.topics, 2, LIMITS.topics)
  integerIn('seed', p.seed, 0, 0xffffffff)
  if (p.topics > p.items) {
    throw new RecError('INVALID_ARGUMENT', `--topics ${p.topics} exceeds --items ${p.items}: most topics would have no items`, {hint: 'use fewer topics or more items'})
  }
  if (p.users * p.topics > LIMITS.interestCells) {
    throw new RecError('INVALID_ARGUMENT', `--users x --topics = ${p.users * p.topics} interest weights exceeds ${LIMITS.interestCells}`, {hint: 'use fewer topics'})
  }
  if (!Number.isFinite(p.followsPerUser) || p.followsPerUser < 0 || p.followsPerUser > Math.min(1000, p.users - 1)) {
    throw new RecError('INVALID_ARGUMENT', `--follows must be from 0 to ${Math.min(1000, p.users - 1)} (fewer than --users) (got ${p.followsPerUser})`)
  }
  fractionIn('unsafe-frac', p.unsafeFrac, 0.5)
  fractionIn('label-frac', p.labelFrac, 1)
  if (!Number.isInteger(p.startMs)) throw new RecError('INVALID_ARGUMENT', `startMs must be an integer ms timestamp (got ${p.startMs})`)
  return p
}
