// The mixer's config (config/mixer.yaml): the home pipeline by component id and params, world options, online learning.
import {z} from 'zod'

import {DURATION_RULE, readDuration} from '../config/duration.js'
import {EVENTS} from '../dataset/schema.js'
import {type ComponentKind, REGISTRY, unknownComponent} from './registry.js'

/** One declared component: its id and its params as parsed (with defaults) by the component's own schema. */
export interface ComponentEntry {
  id: string
  params: Record<string, unknown>
}

const declared = z.object({id: z.string(), params: z.unknown().optional()}).strict()
type Declared = z.infer<typeof declared>

/** Checks the id against the registry and parses the params; issues name the entry's path (selectors.2.params.lambda). */
function resolve(kind: ComponentKind, entry: Declared, ctx: z.RefinementCtx, at: number): ComponentEntry {
  const spec = REGISTRY[kind][entry.id]
  if (!spec) {
    ctx.addIssue({code: 'custom', path: [at, 'id'], message: unknownComponent(kind, entry.id)})
    return z.NEVER
  }
  const parsed = spec.params.safeParse(entry.params ?? {})
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({code: 'custom', path: [at, 'params', ...issue.path], message: issue.message})
    return z.NEVER
  }
  return {id: entry.id, params: parsed.data}
}

/** An id is declared once per list: ids name stages in debug output and metrics. */
function once(list: {id: string}[], ctx: z.RefinementCtx): void {
  list.forEach(({id}, i) => {
    if (list.findIndex((e) => e.id === id) < i) ctx.addIssue({code: 'custom', path: [i, 'id'], message: `"${id}" is declared twice`})
  })
}

/** A list of one kind in run order; an entry is an id or {id, params}. */
const components = (kind: ComponentKind) =>
  z
    .array(z.union([z.string().transform((id) => ({id})), declared]))
    .transform((list, ctx) => list.map((entry, i) => resolve(kind, entry, ctx, i)))
    .superRefine(once)

/** A duration as text ("60s", "5m") or as ms; parsed to ms. */
const duration = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const ms = typeof value === 'number' ? (Number.isSafeInteger(value) && value > 0 ? value : undefined) : readDuration(value)
  if (ms === undefined) ctx.addIssue({code: 'custom', message: `${JSON.stringify(value)} is not ${DURATION_RULE}, or a positive whole number of ms`})
  return ms ?? z.NEVER
})

/** Sources with their quotas, in run order (the duplicate priority). */
const sourceList = z
  .array(declared.extend({quota: z.number().int().min(0).max(5000)}).strict())
  .transform((list, ctx) => list.map((entry, i) => ({...resolve('source', entry, ctx, i), quota: entry.quota})))
  .superRefine(once)

const failOpen = z.array(z.string()).superRefine((ids, ctx) => {
  ids.forEach((id, i) => {
    if (!REGISTRY.source[id]) ctx.addIssue({code: 'custom', path: [i], message: unknownComponent('source', id)})
  })
})

const scorerList = components('scorer').refine((list) => list.length > 0, 'declare at least one scorer')

/**
 * A named strategy: a full feed pipeline that replaces the home pipeline's sources, scorer and selectors (each
 * key it gives; the others are the home pipeline's). Filters and side effects are never replaced: the
 * request-time filters (seen, duplicates, safety) and the impression log apply to every strategy.
 */
const StrategySchema = z
  .object({sources: sourceList.optional(), 'quota-k': z.number().int().min(1).optional(), 'fail-open': failOpen.optional(), scorer: scorerList.optional(), selectors: components('selector').optional()})
  .strict()

export type StrategyOverrides = z.infer<typeof StrategySchema>

/** A strategy name: what ?strategy= takes and responses report. "auto" is the bandit, not a strategy. */
export const STRATEGY_NAME = /^[a-z][a-z0-9_]{0,31}$/
export const AUTO = 'auto'

/** The strategies of a config without a strategies block: the home pipeline and one per model, and their blend. */
const DEFAULT_STRATEGIES = {
  mixer: {},
  two_tower: {sources: [{id: 'OutOfNetwork', quota: 100}], scorer: ['RetrievalCosine'], selectors: ['Take']},
  popularity: {sources: [{id: 'Popular', quota: 100}], scorer: ['SourceScore'], selectors: ['Take']},
  content: {sources: [{id: 'Content', quota: 100}], scorer: ['SourceScore'], selectors: ['Take']},
  hybrid: {
    sources: [{id: 'OutOfNetwork', quota: 50}, {id: 'Content', quota: 50}, {id: 'Popular', quota: 50}],
    scorer: [{id: 'Blend', params: {weights: {two_tower: 0.5, content: 0.3, popularity: 0.2}}}],
    selectors: [{id: 'AuthorCap', params: {max: 2}}, 'Take'],
  },
}

/** The bandit of strategy=auto: which strategies it chooses among, how, and what a feed's reward is. */
const BanditSchema = z
  .object({
    algorithm: z.enum(['thompson', 'epsilon-greedy']).default('thompson'),
    /** epsilon-greedy: the exploration rate at the start ... */
    epsilon: z.number().min(0).max(1).default(0.1),
    /** ... divided by 1 + pulls / this (0: constant; a constant rate keeps a linear regret). */
    'epsilon-decay-pulls': z.number().int().min(0).default(1000),
    /** Thompson: rounds of posterior draws that estimate the chosen arm's probability (the response's strategy_probability). */
    'probability-samples': z.number().int().min(1).max(10_000).default(100),
    /** Strategies it chooses among; empty: every strategy the loaded models make available. */
    arms: z.array(z.string()).default([]),
    /**
     * A feed's reward: the largest weight among the events attributed to its impressions (clipped to [0, 1]);
     * a feed with none of them (shown, not clicked) earns 0.
     */
    rewards: z.partialRecord(z.enum(EVENTS), z.number().min(0).max(1)).default({like: 1, share: 1, repost: 1, reply: 1, follow_author: 1, click: 0.5}),
  })
  .strict()

export type BanditConfig = z.infer<typeof BanditSchema>

export const MixerConfigSchema = z
  .object({
    /**
     * Candidate sources, run in parallel; this order is the duplicate priority. `quota` is the most a source
     * returns for a feed of up to `quota-k` items (0 = off). 50 each: bench/feed-quality.bench.js measured
     * recall@20 of the served feed at 50 equal to or above 100 on every world it replays, at 0.72-0.89x the time per feed.
     */
    sources: sourceList.prefault(['InNetwork', 'OutOfNetwork', 'Graph', 'Community', 'Popular'].map((id) => ({id, quota: 50}))),
    /**
     * The feed size the quotas are set for: a request for k above it scales every quota by k / quota-k
     * (rounded up), so that a feed of 100 draws five times the candidates of a feed of 20 and still fills
     * after the filters and caps.
     */
    'quota-k': z.number().int().min(1).default(20),
    /** Sources whose failure is logged and skipped instead of failing the request. */
    'fail-open': failOpen.default(['InNetwork', 'Graph', 'Community', 'Popular', 'Content']),
    /** Run in this order, cheapest first. */
    filters: components('filter').prefault(['PreviouslySeen', 'Duplicates', 'Safety']),
    /** In order of preference: the first one whose model is loaded scores (HeavyRanker needs --ranking). */
    scorer: scorerList.prefault(['HeavyRanker', 'RetrievalCosine']),
    /** Run in this order on the candidates sorted by score. */
    selectors: components('selector').prefault(['AuthorCap', 'TopicCap', 'Mmr', 'NetworkBalance', 'Exploration', 'Take']),
    /** Run after each response is built, on the HTTP thread; a failure is logged and counted, never returned. ImpressionLog needs a store (--state). */
    'side-effects': components('side-effect').prefault(['ServedItems', 'ImpressionLog']),
    'popularity-half-life-hours': z.number().positive().default(72),
    'topic-column': z.string().default('topic'),
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
    /** rec serve --topn: precomputed lists (rec recommend) served while fresh, recomputed after meaningful interactions. */
    'top-n': z
      .object({
        /** Events that queue a recompute of the user's list (the cache filters seen and hidden items either way). */
        'recompute-on': z.array(z.enum(EVENTS)).default(['like', 'repost', 'share', 'reply', 'follow_author', 'hide', 'report']),
        /** At most one recompute per user per interval; events within it wait for its end (one recompute for a burst). */
        'min-interval': duration.default(60_000),
        /** Items in a recomputed list of a user who had none (capped at max-k); one who had a list keeps its length. */
        k: z.number().int().min(1).default(100),
      })
      .strict()
      .prefault({}),
    /** The strategy of a request without ?strategy=: a name under strategies, or auto (the bandit chooses). */
    strategy: z.string().default('mixer'),
    /** Named full-feed pipelines; the one named mixer with no overrides is the home pipeline above. */
    strategies: z.record(z.string().regex(STRATEGY_NAME, 'a strategy name is lower case letters, digits and _ (at most 32), starting with a letter'), StrategySchema).prefault(DEFAULT_STRATEGIES),
    bandit: BanditSchema.prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    const names = Object.keys(config.strategies)
    const known = `known: ${[...names, AUTO].join(', ')}`
    if (config.strategy !== AUTO && !config.strategies[config.strategy]) ctx.addIssue({code: 'custom', path: ['strategy'], message: `unknown strategy "${config.strategy}" (${known})`})
    if (config.strategies[AUTO]) ctx.addIssue({code: 'custom', path: ['strategies', AUTO], message: '"auto" is the bandit, not a strategy name'})
    config.bandit.arms.forEach((arm, i) => {
      if (!config.strategies[arm]) ctx.addIssue({code: 'custom', path: ['bandit', 'arms', i], message: `unknown strategy "${arm}" (${known.replace(`, ${AUTO}`, '')})`})
    })
  })

export type MixerConfig = z.infer<typeof MixerConfigSchema>
