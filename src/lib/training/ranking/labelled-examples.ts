// The ranker's labelled examples of a dataset, and the held-out set of one split: what validation and `rec eval` score.
import type {Dataset} from '../../dataset/store.js'
import type {IdVocab} from '../../features/vocab.js'
import type {RankingConfig} from '../../models/ranker/config.js'
import type {HeadSpec} from '../../models/ranker/heads.js'
import type {Rng} from '../../random/rng.js'
import {buildEventExamples} from './event-examples.js'
import {concatExamples, type RankingExamples, rowsOfSplit, selectExamples} from './examples.js'
import {buildImpressionExamples} from './impression-examples.js'
import {PopularityNegatives} from './popularity-negatives.js'

export interface LabelledExamples {
  /** Every split's examples of the base log (impressions, or observed events), in time order. */
  all: RankingExamples
  /** Logs without impressions (and negatives-per-positive > 0): draws the negatives the base log lacks. */
  sampler?: PopularityNegatives
  /** How the labels were made, for logs, manifests and reports. */
  labelling: string
}

/** Impressions labelled by the responses that followed them; else observed events plus popularity-sampled negatives. */
export function buildLabelledExamples(dataset: Dataset, users: IdVocab, items: IdVocab, heads: HeadSpec[], config: RankingConfig): LabelledExamples {
  if (dataset.manifest.hasImpressions) {
    const built = buildImpressionExamples(dataset.interactions, users, items, heads, {positionDecay: config['position-decay'], longDwellMs: config['long-dwell-ms']})
    const orphans = built.orphanEvents ? `; ${built.orphanEvents} responses without an impression ignored` : ''
    return {all: built.examples, labelling: `impressions: responses label their impression, ignored impressions weigh (1 + position)^-${config['position-decay']}${orphans}`}
  }
  const built = buildEventExamples(dataset.interactions, users, items, heads, config['positive-min-weight'])
  const sampler = config['negatives-per-positive'] > 0 ? new PopularityNegatives(built.examples, items.size, config['negative-power']) : undefined
  const negatives = built.explicitNegatives ? `, ${built.explicitNegatives} below weight ${config['positive-min-weight']} as negatives` : ''
  return {
    all: built.examples,
    sampler,
    labelling: `events: ${heads.map((h) => h.name).join(', ')} positives${negatives}, ${config['negatives-per-positive']} sampled negatives per positive (popularity^${config['negative-power']})`,
  }
}

/**
 * The examples of split `split` (a TRAIN/VAL/TEST code), plus `perPositive` sampled negatives per
 * positive drawn once with `rng` when the log has no impressions: the set validation scores.
 */
export function heldOutExamples(labelled: LabelledExamples, split: number, perPositive: number, rng: Rng): RankingExamples {
  const rows = rowsOfSplit(labelled.all, split)
  const base = selectExamples(labelled.all, rows)
  return labelled.sampler ? concatExamples([base, labelled.sampler.sample(rows, perPositive, rng)]) : base
}
