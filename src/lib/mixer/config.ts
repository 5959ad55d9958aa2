// The mixer's config (config/mixer.yaml): source quotas, filter thresholds, selector parameters, online learning.
import {z} from 'zod'

const SOURCE_IDS = ['InNetwork', 'OutOfNetwork', 'Graph', 'Community', 'Popular'] as const
export type SourceId = (typeof SOURCE_IDS)[number]

export const MixerConfigSchema = z
  .object({
    /**
     * Source id -> most candidates it may return for a feed of up to `quota-k` items; a source set to 0 is off.
     * Run order = this order. 50 each: bench/feed-quality.bench.js measured recall@20 of the served feed at
     * 50 equal to or above 100 on every world it replays, at 0.72-0.89x the time per feed.
     */
    sources: z.record(z.enum(SOURCE_IDS), z.number().int().min(0).max(5000)).default({InNetwork: 50, OutOfNetwork: 50, Graph: 50, Community: 50, Popular: 50}),
    /**
     * The feed size the quotas are set for: a request for k above it scales every quota by k / quota-k
     * (rounded up), so that a feed of 100 draws five times the candidates of a feed of 20 and still fills
     * after the filters and caps.
     */
    'quota-k': z.number().int().min(1).default(20),
    /** Sources whose failure is logged and skipped instead of failing the request. */
    'fail-open': z.array(z.enum(SOURCE_IDS)).default(['InNetwork', 'Graph', 'Community', 'Popular']),
    'popularity-half-life-hours': z.number().positive().default(72),
    'topic-column': z.string().default('topic'),
    safety: z
      .object({
        mode: z.enum(['remove', 'penalty']).default('remove'),
        thresholds: z.record(z.string(), z.number().min(0).max(1)).default({nsfw: 0.5, toxic: 0.5}),
        penalty: z.number().min(0).max(1).default(0.5),
      })
      .strict()
      .prefault({}),
    'author-cap': z.number().int().min(1).default(2),
    'topic-cap': z.number().int().min(1).default(5),
    /** MMR's weight of relevance (the pool's scores scaled to [0, 1]) against similarity to the items picked; 1 keeps the score order. */
    'mmr-lambda': z.number().min(0).max(1).default(0.7),
    'max-in-network': z.number().min(0).max(1).default(0.5),
    'exploration-rate': z.number().min(0).max(1).default(0.1),
    'max-k': z.number().int().min(1).max(500).default(100),
    online: z
      .object({
        /** Events that count as positives for the session, with SGD weights. */
        positives: z.record(z.string(), z.number().positive()).default({like: 1, click: 0.5, repost: 1, share: 1, reply: 1, follow_author: 1}),
        /** Events pushed away from (logistic step with a negative label). */
        negatives: z.record(z.string(), z.number().positive()).default({skip: 0.3, hide: 1, report: 1}),
        steps: z.number().int().min(0).max(100).default(5),
        lr: z.number().positive().default(0.5),
        samples: z.number().int().min(1).max(1000).default(32),
        temperature: z.number().positive().default(0.1),
        /** L2 pull of the delta back towards 0 per step. */
        l2: z.number().min(0).default(0.01),
      })
      .strict()
      .prefault({}),
  })
  .strict()

export type MixerConfig = z.infer<typeof MixerConfigSchema>
