// Composes the home pipeline from the mixer config and what the serving world has (sources without data are skipped).
import type {ItemIndex} from '../index/item-index.js'
import type {IdVocab} from '../features/vocab.js'
import type {RankingScorer} from '../models/ranker/scorer.js'
import type {MixerConfig, SourceId} from './config.js'
import {duplicates, previouslySeen} from './filters/filters.js'
import {safetyFilter, unsafeRows} from './filters/safety.js'
import {cosineScorer} from './scorers/cosine.js'
import {heavyRankerScorer, rankerItemRows} from './scorers/heavy-ranker.js'
import {explorationSlot, networkBalance} from './selectors/balance.js'
import {authorCap, take, topicCap} from './selectors/caps.js'
import {mmr} from './selectors/mmr.js'
import {communitySource} from './sources/community.js'
import {graphSource} from './sources/graph.js'
import {inNetworkSource} from './sources/in-network.js'
import {outOfNetworkSource} from './sources/out-of-network.js'
import {popularSource} from './sources/popular.js'
import type {CandidateSource, Pipeline, SideEffect} from './types.js'
import type {ServingWorld} from './world.js'

export interface PipelineParts {
  world: ServingWorld
  index: ItemIndex
  indexToRow: Int32Array
  /** The heavy ranker and its vocabularies (they may differ from the retrieval ones). */
  ranker?: {scorer: RankingScorer; users: IdVocab; items: IdVocab}
  sideEffects?: SideEffect[]
}

const ABSENT: Record<string, string> = {InNetwork: 'no follows.parquet or no items.author_id', Community: 'items have no topic column'}

export function buildHomePipeline(config: MixerConfig, parts: PipelineParts): Pipeline {
  const {world, ranker} = parts
  const make: Record<SourceId, () => CandidateSource | undefined> = {
    InNetwork: () => inNetworkSource(world),
    OutOfNetwork: () => outOfNetworkSource(world, parts.index, parts.indexToRow),
    Graph: () => graphSource(world),
    Community: () => communitySource(world),
    Popular: () => popularSource(world),
  }
  const sources: Pipeline['sources'] = []
  const skipped: Pipeline['skipped'] = []
  for (const [id, quota] of Object.entries(config.sources) as [SourceId, number][]) {
    if (quota === 0) continue
    const source = make[id]()
    if (source) sources.push({source, quota})
    else skipped.push({id, reason: ABSENT[id] ?? 'data absent'})
  }
  // the ranker's item rows and safety-head probabilities by retrieval row, once per load: per request
  // they cost 2 x 450 BigInt id lookups and every head's column per label (~0.3 ms of a 1.9 ms feed)
  const rankerRow = ranker && rankerItemRows(world, ranker.items)
  const safetyHeads = ranker && rankerRow ? ranker.scorer.safety(rankerRow) : {}
  // the ranker's safety head when it has one for the label, else the item's published label
  const unsafe = unsafeRows(config.safety.thresholds, world.items.size, (label) => safetyHeads[label] ?? world.labels[label])
  return {
    id: 'Home',
    items: world.items,
    sources,
    quotaK: config['quota-k'],
    skipped,
    filters: [previouslySeen, duplicates(world.items.size), safetyFilter(config.safety, unsafe)],
    scorers: [ranker && rankerRow ? heavyRankerScorer(world, ranker.scorer, ranker.users, rankerRow) : cosineScorer(world)],
    selectors: [authorCap(world, config['author-cap']), topicCap(world, config['topic-cap']), mmr(world, config['mmr-lambda']), networkBalance(config['max-in-network']), explorationSlot(config['exploration-rate']), take(config['max-k'])],
    sideEffects: parts.sideEffects ?? [],
    failOpen: Object.fromEntries(config['fail-open'].map((id) => [id, 'always' as const])),
  }
}

