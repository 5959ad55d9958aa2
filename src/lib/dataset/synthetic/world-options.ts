// The knobs of `rec gen-data` as a zod schema (its flags are derived from it) and their mapping to WorldParams.
import {z} from 'zod'

import {DEFAULT_WORLD, LIMITS, type WorldParams} from './params.js'

/**
 * One key per flag, with each value's own range; resolveWorldParams still checks the rules that
 * join two values (topics <= items, follows < users) and guards library callers the same way.
 */
export const WorldOptionsSchema = z
  .object({
    users: z.number().int().min(2).max(LIMITS.users).default(DEFAULT_WORLD.users).describe('Number of users.'),
    items: z.number().int().min(2).max(LIMITS.items).default(DEFAULT_WORLD.items).describe('Number of items (posts).'),
    interactions: z
      .number()
      .int()
      .min(1)
      .max(LIMITS.interactions)
      .default(DEFAULT_WORLD.interactions)
      .describe('Interaction rows to generate, impressions included (up to 20,000,000).'),
    days: z.number().int().min(1).max(LIMITS.days).default(DEFAULT_WORLD.days).describe('Length of the interaction window in days.'),
    // no schema default: it shrinks to fit small worlds (resolveWorldParams)
    topics: z
      .number()
      .int()
      .min(2)
      .max(LIMITS.topics)
      .optional()
      .describe(`Number of topics, at most --items and ${LIMITS.topics} [default: ${DEFAULT_WORLD.topics}, or --items if fewer].`),
    seed: z.number().int().min(0).max(0xffffffff).default(DEFAULT_WORLD.seed).describe('Random seed: same seed and flags, same files.'),
    follows: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .optional()
      .describe(`Mean accounts each user follows before the window [default: ${DEFAULT_WORLD.followsPerUser}, or --users - 1 if fewer].`),
    'unsafe-frac': z.number().min(0).max(0.5).default(DEFAULT_WORLD.unsafeFrac).describe('Approximate share of unsafe (nsfw or toxic) items, 0 to 0.5.'),
    'label-frac': z.number().min(0).max(1).default(DEFAULT_WORLD.labelFrac).describe('Share of items whose moderation labels are published, 0 to 1.'),
  })
  .strict()

export type WorldOptions = z.infer<typeof WorldOptionsSchema>

/** Flag names -> WorldParams fields; topics and follows stay undefined when not given, so that their defaults can fit the world. */
export function toWorldParams(options: WorldOptions): Partial<WorldParams> {
  return {
    users: options.users,
    items: options.items,
    interactions: options.interactions,
    days: options.days,
    topics: options.topics,
    seed: options.seed,
    followsPerUser: options.follows,
    unsafeFrac: options['unsafe-frac'],
    labelFrac: options['label-frac'],
  }
}
