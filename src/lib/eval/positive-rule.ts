// Which interactions count as positives in an evaluation: the checkpoint's training rule, else the dataset's default.
import type {CheckpointManifest} from '../checkpoint/manifest.js'
import type {DatasetManifest} from '../dataset/manifest.js'
import type {PositiveRule} from '../features/positives.js'

/** config.positives (undefined = the dataset's positives) and config['positive-min-weight'] of a retrieval checkpoint. */
export function checkpointRule(manifest: CheckpointManifest, dataset: DatasetManifest): PositiveRule {
  const config = manifest.config as {positives?: Record<string, number>; 'positive-min-weight'?: number}
  return {events: config.positives ?? dataset.positives, minWeight: config['positive-min-weight']}
}

export function datasetRule(dataset: DatasetManifest): PositiveRule {
  return {events: dataset.positives}
}

/** Same events (any weights above 0 select alike) and the same minimum weight. */
export function sameRule(a: PositiveRule, b: PositiveRule): boolean {
  const events = (rule: PositiveRule) =>
    Object.entries(rule.events)
      .filter(([, w]) => w > 0)
      .map(([name]) => name)
      .sort()
      .join(',')
  return events(a) === events(b) && (a.minWeight ?? null) === (b.minWeight ?? null)
}

/** "rating (weight >= 4)" */
export function describeRule(rule: PositiveRule): string {
  const events = Object.entries(rule.events)
    .filter(([, w]) => w > 0)
    .map(([name]) => name)
    .join('+')
  return rule.minWeight === undefined ? events : `${events} (weight >= ${rule.minWeight})`
}
