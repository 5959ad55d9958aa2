// Everything shared by the models of one evaluation: dataset, vocabularies, positives, the ranking task and its side inputs.
import {TEST, VAL} from '../dataset/schema.js'
import type {Dataset} from '../dataset/store.js'
import {getColumn} from '../dataset/columns.js'
import {RecError} from '../errors.js'
import {buildHistory} from '../features/history.js'
import {buildRankingTask, type RankingTask} from '../features/holdout.js'
import {type PositiveRule, type Positives, selectPositives} from '../features/positives.js'
import {IdVocab} from '../features/vocab.js'
import {itemCounts} from '../models/baselines/popular.js'
import {type ItemCategories, itemCategories} from './item-categories.js'

export type EvalSplit = 'val' | 'test'

/** Provider index i of every model is task.users[i]; task CSRs are indexed by i as well. */
export interface EvalContext {
  datasetDir: string
  dataset: Dataset
  split: EvalSplit
  rule: PositiveRule
  /** Rows 1..n in ascending id order: the same rows a checkpoint of this dataset uses. */
  users: IdVocab
  items: IdVocab
  positives: Positives
  task: RankingTask
  /** Positive interactions per item row in the history splits (train; train+val for test). */
  historyCounts: Float64Array
  categories?: ItemCategories
  /** Distinct held-out (user, item) positives dropped because the item is already in that user's history. */
  targetsDroppedSeen: number
  /** Evaluate checkpoints trained on another dataset with the same ids (with a warning) instead of refusing them. */
  allowMismatch: boolean
}

/** Throws EMPTY when the split has no interactions or no user has a target left after excluding the history. */
export function buildEvalContext(datasetDir: string, dataset: Dataset, split: EvalSplit, rule: PositiveRule, options: {allowMismatch?: boolean} = {}): EvalContext {
  if (dataset.manifest.counts[split] === 0) {
    throw new RecError('EMPTY', `the ${split} split of ${datasetDir} is empty`, {hint: 'split the dataset with rec data split (leave-last-out or temporal-global)'})
  }
  const users = IdVocab.fromValues(getColumn(dataset.users, 'user_id', 'int64').values)
  const items = IdVocab.fromValues(getColumn(dataset.items, 'item_id', 'int64').values)
  const positives = selectPositives(dataset.interactions, users, items, rule)
  const task = buildRankingTask(positives, users.size, split)
  if (task.users.length === 0) {
    throw new RecError('EMPTY', `${datasetDir}: no user has a ${split} positive outside their history (${task.skipped.noTarget} users without one, ${task.skipped.onlySeenTargets} whose were all seen)`, {
      hint: 'check the split and the positive events',
    })
  }
  return {
    datasetDir,
    dataset,
    split,
    rule,
    users,
    items,
    positives,
    task,
    historyCounts: itemCounts(task.history.items, items.size),
    categories: itemCategories(dataset, items),
    targetsDroppedSeen: countSeenTargets(positives, task, users.size, items.size),
    allowMismatch: options.allowMismatch ?? false,
  }
}

function countSeenTargets(positives: Positives, task: RankingTask, nUsers: number, nItems: number): number {
  const held = buildHistory(positives, nUsers, [task.split === 'val' ? VAL : TEST])
  const {history} = task
  const seen = new Int32Array(nItems).fill(-1)
  const counted = new Int32Array(nItems).fill(-1)
  let dropped = 0
  // Row 0 collects interactions of unknown users: never evaluated, as in buildRankingTask.
  for (let u = 1; u < nUsers; u++) {
    for (let e = history.offsets[u]; e < history.offsets[u + 1]; e++) seen[history.items[e]] = u
    for (let e = held.offsets[u]; e < held.offsets[u + 1]; e++) {
      const item = held.items[e]
      if (seen[item] === u && counted[item] !== u) dropped++
      counted[item] = u
    }
  }
  return dropped
}
