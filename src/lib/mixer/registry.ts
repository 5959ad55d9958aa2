// Every mixer component by kind and id: its params schema and its factory. config/mixer.yaml names them; build-pipeline looks them up.
import {z} from 'zod'

import type {IdVocab} from '../features/vocab.js'
import type {ItemIndex} from '../index/item-index.js'
import type {RankingScorer} from '../models/ranker/scorer.js'
import {RecError} from '../errors.js'
import {duplicates, previouslySeen} from './filters/filters.js'
import {safetyFilter, unsafeRows} from './filters/safety.js'
import {BLEND_PARTS, blendParts, blendScorer} from './scorers/blend.js'
import {cosineScorer} from './scorers/cosine.js'
import {heavyRankerScorer} from './scorers/heavy-ranker.js'
import {sourceScore} from './scorers/source-score.js'
import {explorationSlot, networkBalance} from './selectors/balance.js'
import {authorCap, take, topicCap} from './selectors/caps.js'
import {mmr} from './selectors/mmr.js'
import {impressionLog} from './side-effects/impression-log.js'
import {servedItems} from './side-effects/served-items.js'
import {communitySource} from './sources/community.js'
import {contentSource} from './sources/content.js'
import {graphSource} from './sources/graph.js'
import {inNetworkSource} from './sources/in-network.js'
import {outOfNetworkSource} from './sources/out-of-network.js'
import {popularSource} from './sources/popular.js'
import {randomScorer, randomSource} from './random.js'
import type {CandidateSource, Filter, Scorer, Selector, SideEffect, SideEffectContext} from './types.js'
import type {ServingWorld} from './world.js'
import type {ContentProfiles} from './world-content.js'

/** What a pipeline component's factory gets besides its params: the loaded world and models. */
export interface BuildContext {
  world: ServingWorld
  index: ItemIndex
  indexToRow: Int32Array
  /** The heavy ranker, its vocabularies, and its item row of every retrieval row (rankerItemRows, computed once per load). */
  ranker?: {scorer: RankingScorer; users: IdVocab; items: IdVocab; rows: Int32Array}
  /** The content model's profiles of this thread (rec serve --content), shared by the Content source and the Blend scorer. */
  content?: ContentProfiles
}

/** A component left out of the pipeline, and why: its data is absent, or its params make it a no-op. */
export interface Absent {
  absent: string
}

export interface ComponentSpec<T, C> {
  /** Strict, with a default for every key: an entry may give no params at all. */
  params: z.ZodType<Record<string, unknown>>
  build(params: Record<string, unknown>, context: C): T | Absent
}

function component<P extends z.ZodType<Record<string, unknown>>, T, C = BuildContext>(params: P, build: (params: z.output<P>, context: C) => T | Absent): ComponentSpec<T, C> {
  return {params, build: build as ComponentSpec<T, C>['build']}
}

const none = z.object({}).strict()
const orAbsent = <T>(built: T | undefined, reason: string): T | Absent => built ?? {absent: reason}

export const REGISTRY = {
  source: {
    InNetwork: component(none, (_, {world}) => orAbsent<CandidateSource>(inNetworkSource(world), 'no follows.parquet or no items.author_id')),
    OutOfNetwork: component(none, (_, {world, index, indexToRow}) => outOfNetworkSource(world, index, indexToRow)),
    Graph: component(none, (_, {world}) => graphSource(world)),
    Community: component(none, (_, {world}) => orAbsent<CandidateSource>(communitySource(world), 'items have no topic column')),
    Popular: component(none, (_, {world}) => popularSource(world)),
    Content: component(none, (_, {content}) => (content ? contentSource(content) : {absent: 'no content checkpoint (--content)'})),
    Random: component(none, (_, {world}) => randomSource(world)),
  } as Record<string, ComponentSpec<CandidateSource, BuildContext>>,
  filter: {
    PreviouslySeen: component(none, () => previouslySeen),
    Duplicates: component(none, (_, {world}) => duplicates(world.items.size)),
    Safety: component(
      z
        .object({
          /** remove: drop unsafe items; penalty: keep them with score x (1 - penalty). */
          mode: z.enum(['remove', 'penalty']).default('remove'),
          /** label -> probability at or above which an item is unsafe. */
          thresholds: z.record(z.string(), z.number().min(0).max(1)).default({nsfw: 0.5, toxic: 0.5}),
          penalty: z.number().min(0).max(1).default(0.5),
        })
        .strict(),
      (options, {world, ranker}) => {
        if (Object.keys(options.thresholds).length === 0) return {absent: 'no thresholds'}
        // the ranker's safety head when it has one for the label, else the item's published label
        const heads = ranker ? ranker.scorer.safety(ranker.rows) : {}
        return safetyFilter(options, unsafeRows(options.thresholds, world.items.size, (label) => heads[label] ?? world.labels[label]))
      },
    ),
  } as Record<string, ComponentSpec<Filter, BuildContext>>,
  scorer: {
    HeavyRanker: component(none, (_, {world, ranker}) => (ranker ? heavyRankerScorer(world, ranker.scorer, ranker.users, ranker.rows) : {absent: 'no ranking checkpoint (--ranking)'})),
    RetrievalCosine: component(none, (_, {world}) => cosineScorer(world)),
    // Popular and Content rank by their own score already: a strategy of one of them keeps it
    SourceScore: component(none, () => sourceScore),
    Blend: component(
      z
        .object({
          /** Weight of each part's score, scaled to [0, 1] over the pool; a part whose model is not loaded is left out. */
          weights: z.partialRecord(z.enum(BLEND_PARTS), z.number().min(0)).default({two_tower: 0.5, content: 0.3, popularity: 0.2}),
        })
        .strict()
        .refine((p) => Object.values(p.weights).some((w) => (w ?? 0) > 0), {path: ['weights'], message: 'give at least one part a weight above 0'}),
      ({weights}, {world, content}) => {
        const parts = blendParts(world, content)
        const missing = BLEND_PARTS.filter((p) => (weights[p] ?? 0) > 0 && !parts[p])
        if (missing.length === BLEND_PARTS.filter((p) => (weights[p] ?? 0) > 0).length) return {absent: `no model for ${missing.join(', ')}`}
        return blendScorer(weights, parts)
      },
    ),
    Random: component(none, () => randomScorer),
  } as Record<string, ComponentSpec<Scorer, BuildContext>>,
  selector: {
    AuthorCap: component(z.object({max: z.number().int().min(1).default(2)}).strict(), ({max}, {world}) => orAbsent(authorCap(world, max), 'items have no author_id')),
    TopicCap: component(z.object({max: z.number().int().min(1).default(5)}).strict(), ({max}, {world}) => orAbsent(topicCap(world, max), 'items have no topic column')),
    // lambda 1 weighs relevance alone: MMR then returns its pool in the order it came (scores scaled to [0, 1]
    // are monotone in the score, and the scan keeps the first of equal values), so it is left out. It would
    // differ only on a NaN or infinite score or embedding, which MMR moves to the end of its pool.
    Mmr: component(z.object({lambda: z.number().min(0).max(1).default(0.7)}).strict(), ({lambda}, {world}) => (lambda === 1 ? {absent: 'lambda 1: the score order'} : mmr(world, lambda))),
    NetworkBalance: component(
      z
        .object({
          /** At most this share of the first k is in-network while out-of-network candidates remain. */
          'max-in-network': z.number().min(0).max(1).default(0.5),
          /**
           * At least this share of the first k (rounded to the nearest item) is in-network while in-network candidates
           * remain, the first of them in score order: scored against out-of-network ones alone, a follower's feed
           * showed no followed author at all (see networkBalance). 0 = a merge by score under the cap.
           */
          'min-in-network': z.number().min(0).max(1).default(0.2),
        })
        .strict()
        .refine((p) => p['min-in-network'] <= p['max-in-network'], {path: ['min-in-network'], message: 'min-in-network must not exceed max-in-network'}),
      (params) => networkBalance(params['max-in-network'], params['min-in-network']),
    ),
    // rate 0 never explores (the rng's draws are below 1), and nothing else draws from the request rng: leaving it out changes nothing
    Exploration: component(z.object({rate: z.number().min(0).max(1).default(0.1)}).strict(), ({rate}) => (rate === 0 ? {absent: 'rate 0'} : explorationSlot(rate))),
    Take: component(none, () => take),
  } as Record<string, ComponentSpec<Selector, BuildContext>>,
  'side-effect': {
    ServedItems: component(none, (_, context: SideEffectContext) => servedItems(context.counters)),
    ImpressionLog: component(none, (_, context: SideEffectContext) => orAbsent(context.impressions && impressionLog(context.impressions), 'no store (--state or --store)')),
  } as Record<string, ComponentSpec<SideEffect, SideEffectContext>>,
}

export type ComponentKind = keyof typeof REGISTRY
/** What a kind's factories build, and the context they take. */
export type ComponentOf<K extends ComponentKind> = (typeof REGISTRY)[K][string] extends ComponentSpec<infer T, unknown> ? T : never
export type ContextOf<K extends ComponentKind> = (typeof REGISTRY)[K][string] extends ComponentSpec<unknown, infer C> ? C : never

export function unknownComponent(kind: ComponentKind, id: string): string {
  return `unknown ${kind} "${id}" (known: ${Object.keys(REGISTRY[kind]).join(', ')})`
}

/** The spec of a declared id; a config not parsed by MixerConfigSchema may name anything, so this checks again. */
export function lookup<K extends ComponentKind>(kind: K, id: string): ComponentSpec<ComponentOf<K>, ContextOf<K>> {
  const spec = REGISTRY[kind][id]
  if (!spec) throw new RecError('INVALID_ARGUMENT', unknownComponent(kind, id), {hint: 'fix the id in config/mixer.yaml'})
  return spec as unknown as ComponentSpec<ComponentOf<K>, ContextOf<K>>
}
