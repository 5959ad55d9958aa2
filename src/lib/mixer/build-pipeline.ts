// Builds the home pipeline from the declared components (config/mixer.yaml) by looking their ids up in the registry.
import type {IdVocab} from '../features/vocab.js'
import type {ItemIndex} from '../index/item-index.js'
import type {RankingScorer} from '../models/ranker/scorer.js'
import {RecError} from '../errors.js'
import type {ComponentEntry, MixerConfig} from './config.js'
import {ContentProfiles, type WorldContent} from './world-content.js'
import {type Absent, type BuildContext, type ComponentKind, type ComponentOf, type ContextOf, lookup} from './registry.js'
import {rankerItemRows} from './scorers/heavy-ranker.js'
import type {Pipeline, Scorer, SideEffect, SideEffectContext} from './types.js'
import type {ServingWorld} from './world.js'

export interface PipelineParts {
  world: ServingWorld
  index: ItemIndex
  indexToRow: Int32Array
  /** The heavy ranker and its vocabularies (they may differ from the retrieval ones). */
  ranker?: {scorer: RankingScorer; users: IdVocab; items: IdVocab}
  /** The content model mapped onto the world (rec serve --content): the Content source and Blend's content part. */
  content?: WorldContent
}

/** The entry's component, or undefined when it is absent (recorded in `skipped` with the reason). */
function buildOne<K extends ComponentKind>(kind: K, {id, params}: ComponentEntry, context: ContextOf<K>, skipped: Pipeline['skipped']): ComponentOf<K> | undefined {
  const built = lookup(kind, id).build(params, context) as object
  if (!('absent' in built)) return built as ComponentOf<K>
  skipped.push({id, reason: (built as Absent).absent})
  return undefined
}

function buildAll<K extends ComponentKind>(kind: K, entries: ComponentEntry[], context: ContextOf<K>, skipped: Pipeline['skipped']): ComponentOf<K>[] {
  const out: ComponentOf<K>[] = []
  for (const entry of entries) {
    const built = buildOne(kind, entry, context, skipped)
    if (built) out.push(built)
  }
  return out
}

/** What every pipeline of one load shares: the ranker's row map and this thread's content profiles. */
export function buildContextOf(parts: PipelineParts): BuildContext {
  // the ranker's item rows by retrieval row, once per load for HeavyRanker and Safety: per request they
  // cost 2 x 450 BigInt id lookups (~0.3 ms of a 1.9 ms feed)
  const ranker = parts.ranker && {...parts.ranker, rows: rankerItemRows(parts.world, parts.ranker.items)}
  const content = parts.content && new ContentProfiles(parts.world, parts.content)
  return {world: parts.world, index: parts.index, indexToRow: parts.indexToRow, ranker, content}
}

export function buildHomePipeline(config: MixerConfig, parts: PipelineParts, context: BuildContext = buildContextOf(parts), id = 'Home'): Pipeline {
  const skipped: Pipeline['skipped'] = []
  const sources: Pipeline['sources'] = []
  for (const entry of config.sources) {
    if (entry.quota === 0) {
      skipped.push({id: entry.id, reason: 'quota 0'})
      continue
    }
    const source = buildOne('source', entry, context, skipped)
    if (source) sources.push({source, quota: entry.quota})
  }
  // the scorer is the first declared one that is available; the ones after it are not built
  const unavailable: Pipeline['skipped'] = []
  let scorer: Scorer | undefined
  for (const entry of config.scorer) if (!scorer) scorer = buildOne('scorer', entry, context, unavailable)
  if (!scorer) {
    throw new RecError('INVALID_ARGUMENT', `no declared scorer is available: ${unavailable.map((s) => `${s.id} (${s.reason})`).join(', ')}`, {hint: 'add RetrievalCosine to scorer in the mixer config, or serve with the model it needs'})
  }
  skipped.push(...unavailable)
  return {
    id,
    items: parts.world.items,
    sources,
    quotaK: config['quota-k'],
    filters: buildAll('filter', config.filters, context, skipped),
    scorers: [scorer],
    selectors: buildAll('selector', config.selectors, context, skipped),
    skipped,
    failOpen: Object.fromEntries(config['fail-open'].map((id) => [id, 'always' as const])),
  }
}

/** The declared side effects; they run on the HTTP thread, which holds the counters they write to. Absent ones go to `skipped` with the reason. */
export function buildSideEffects(config: MixerConfig, context: SideEffectContext, skipped: Pipeline['skipped'] = []): SideEffect[] {
  return buildAll('side-effect', config['side-effects'], context, skipped)
}
