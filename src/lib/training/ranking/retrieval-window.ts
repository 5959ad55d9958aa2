// The retrieval_score feature is honest only from a retrieval model that never saw the ranker's training events.
import {existsSync} from 'node:fs'
import {resolve} from 'node:path'

import type {CheckpointManifest} from '../../checkpoint/manifest.js'
import {dictValues, getColumn} from '../../dataset/columns.js'
import {type Dataset, readDataset, readManifest} from '../../dataset/store.js'
import {RecError} from '../../errors.js'

/** Time of the first (`first`) or last interaction whose split is one of `splits`; undefined when none is. */
function splitTime(dataset: Dataset, splits: string[], first: boolean): number | undefined {
  const ts = getColumn(dataset.interactions, 'ts', 'timestamp_ms').values
  const split = getColumn(dataset.interactions, 'split', 'dict')
  const wanted = dictValues(split).map((name) => splits.includes(name))
  const n = ts.length
  // Interactions are stored in time order.
  for (let k = 0; k < n; k++) {
    const i = first ? k : n - 1 - k
    if (wanted[split.codes[i]]) return ts[i]
  }
  return undefined
}

const iso = (t: number) => new Date(t).toISOString()

/**
 * Refuses a retrieval checkpoint for the retrieval_score feature unless the data it was fitted on
 * (its dataset's train and val splits: weights and early stopping) ends before the ranker's first
 * train interaction. A retrieval model fitted on the ranker's own train split scores exactly the
 * ranker's training pairs with memorised confidence, while at serving time its scores are as good
 * as on unseen data; the ranker then learns to trust a feature that is weaker than it looked
 * (stacking leakage). The retrieval checkpoint's dataset is found by the path and fingerprint its
 * manifest recorded; when it cannot be read the window cannot be checked, and that is refused too.
 */
export async function checkRetrievalWindow(dir: string, manifest: CheckpointManifest, dataset: Dataset, datasetPath: string): Promise<void> {
  const hint = 'train the retrieval model on a dataset that ends before this one\'s train split starts (an earlier snapshot of the log), or leave --retrieval out (--init-from-retrieval copies its embeddings without the feature)'
  if (manifest.dataset.fingerprint === dataset.manifest.fingerprint) {
    throw new RecError('INVALID_ARGUMENT', `--retrieval ${dir} was trained on ${datasetPath} itself, so retrieval_score would be over-confident on exactly the ranker's training examples`, {hint})
  }
  const trainStart = splitTime(dataset, ['train'], true)
  if (trainStart === undefined) return
  const source = resolve(manifest.dataset.path)
  if (!manifest.dataset.path || !existsSync(source)) {
    throw new RecError('NOT_FOUND', `--retrieval ${dir}: its training dataset "${manifest.dataset.path}" is not readable, so it cannot be checked to end before ${datasetPath}'s train split (${iso(trainStart)})`, {hint})
  }
  if ((await readManifest(source)).fingerprint !== manifest.dataset.fingerprint) {
    throw new RecError('MISMATCH', `--retrieval ${dir}: ${source} has changed since the retrieval model was trained on it (fingerprint), so its time window cannot be checked`, {hint})
  }
  const seenEnd = splitTime(await readDataset(source), ['train', 'val'], false)
  if (seenEnd !== undefined && seenEnd >= trainStart) {
    throw new RecError('INVALID_ARGUMENT', `--retrieval ${dir} was fitted on interactions up to ${iso(seenEnd)}, after ${datasetPath}'s train split starts (${iso(trainStart)}): retrieval_score would be over-confident on the ranker's training examples`, {hint})
  }
}
