// The data side of ranking training: vocabularies, heads, labelled examples, cross statistics.
import type {Dataset} from '../../dataset/store.js'
import {TRAIN, VAL} from '../../dataset/schema.js'
import {RecError} from '../../errors.js'
import {buildCrossStats, type CrossStats} from '../../features/cross/cross-stats.js'
import {type PositiveRule, selectPositives} from '../../features/positives.js'
import type {RankingConfig} from '../../models/ranker/config.js'
import {type HeadSpec, headsForDataset} from '../../models/ranker/heads.js'
import {fitInputs, type TwoTowerInputs} from '../../models/two-tower/inputs.js'
import {Rng} from '../../random/rng.js'
import {type RankingExamples, rowsOfSplit, selectExamples} from './examples.js'
import {buildLabelledExamples, heldOutExamples} from './labelled-examples.js'
import type {PopularityNegatives} from './popularity-negatives.js'

export interface RankingData {
  inputs: TwoTowerInputs
  heads: HeadSpec[]
  /** What cross statistics count as an engagement. */
  statsRule: PositiveRule
  stats: CrossStats
  /** Train examples of the base log (impressions, or observed events); sampled negatives are added per epoch. */
  train: RankingExamples
  /** Val examples, sampled negatives included (drawn once, seeded). */
  val: RankingExamples
  /** Logs without impressions: draws each epoch's negatives for the base log's train rows. */
  sampler?: {sampler: PopularityNegatives; trainRows: Int32Array}
  /** How the labels were made, for logs and the manifest. */
  labelling: string
}

/** Reads everything training needs from the dataset; throws EMPTY/INVALID_ARGUMENT naming what is missing. */
/** trainRanking's fork of its seed for prepareRankingData, and prepareRankingData's fork for val's negatives. */
export const DATA_FORK = 1
const HELD_OUT_FORK = 7

/** The stream held-out negatives of a ranker trained with `seed` came from: evaluation redraws them the same way. */
export const heldOutRng = (seed: number): Rng => new Rng(seed).fork(DATA_FORK).fork(HELD_OUT_FORK)

export function prepareRankingData(dataset: Dataset, path: string, config: RankingConfig, rng: Rng): RankingData {
  const manifest = dataset.manifest
  const inputs = fitInputs(dataset)
  const positives = config.positives ?? manifest.positives
  const heads = headsForDataset(manifest.events, manifest.hasImpressions, positives)
  if (heads.length === 0) {
    throw new RecError('INVALID_ARGUMENT', `${path}: no head to train: events ${manifest.events.join(', ')}, positives ${Object.keys(positives).join(', ') || 'none'}`, {hint: 'set positives in the config to events the dataset has'})
  }
  const statsRule: PositiveRule = manifest.hasImpressions ? {events: manifest.positives} : {events: positives, minWeight: config['positive-min-weight']}
  const stats = buildCrossStats(dataset, inputs.users, inputs.items, selectPositives(dataset.interactions, inputs.users, inputs.items, statsRule))
  const labelled = buildLabelledExamples(dataset, inputs.users, inputs.items, heads, config)
  const {sampler, labelling} = labelled
  const trainRows = rowsOfSplit(labelled.all, TRAIN)
  const train = selectExamples(labelled.all, trainRows)
  const val = heldOutExamples(labelled, VAL, config['negatives-per-positive'], rng.fork(HELD_OUT_FORK))
  if (train.user.length === 0) throw new RecError('EMPTY', `${path}: the train split has no ranking example`, {hint: 'split it with rec data split'})
  if (val.user.length === 0) throw new RecError('EMPTY', `${path}: the val split has no ranking example`, {hint: 'validation needs a val split (leave-last-out or temporal-global)'})
  if (!sampler && !hasBothClasses(train)) {
    throw new RecError('EMPTY', `${path}: every train example has the same labels, nothing to learn`, {hint: 'datasets without impressions need --negatives-per-positive > 0 or --positive-min-weight'})
  }
  return {inputs, heads, statsRule, stats, train, val, sampler: sampler && {sampler, trainRows}, labelling}
}

function hasBothClasses(examples: RankingExamples): boolean {
  let ones = 0
  for (const v of examples.labels) ones += v
  return ones > 0 && ones < examples.labels.length
}
