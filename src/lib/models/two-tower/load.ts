// Loads a retrieval checkpoint against a dataset: vocabularies, features, towers and weights.
import {loadCheckpoint} from '../../checkpoint/checkpoint-io.js'
import type {CheckpointManifest} from '../../checkpoint/manifest.js'
import {getColumn} from '../../dataset/columns.js'
import type {Dataset} from '../../dataset/store.js'
import {initBackend} from '../../engine/backend.js'
import {RecError} from '../../errors.js'
import type {FeatureState} from '../../features/entity-features.js'
import {Rng} from '../../random/rng.js'
import {RetrievalConfigSchema} from './config.js'
import {restoreInputs, type TwoTowerInputs} from './inputs.js'
import {createTwoTower, type TwoTowerModel} from './model.js'
import {importTensors} from './persist.js'

export interface LoadedTwoTower {
  model: TwoTowerModel
  inputs: TwoTowerInputs
  manifest: CheckpointManifest
  backend: string
}

/**
 * Rebuilds the model a checkpoint was trained as. The dataset must carry the same user and item ids
 * (MISMATCH otherwise: rows would not line up), unless `allowVocabMismatch`, where unknown ids map to OOV.
 */
export async function loadTwoTower(dir: string, dataset: Dataset, options: {backend?: 'auto' | 'node' | 'wasm' | 'cpu'; allowVocabMismatch?: boolean} = {}): Promise<LoadedTwoTower> {
  const checkpoint = await loadCheckpoint(dir, 'retrieval')
  const {featureState, protocol: _protocol, ...rest} = checkpoint.manifest.config as Record<string, unknown> & {featureState: {user: FeatureState['numeric']; item: FeatureState['numeric']}}
  const config = RetrievalConfigSchema.parse(rest)
  if (!options.allowVocabMismatch) checkSameIds(dir, checkpoint.vocabs.ids.users.ids, getColumn(dataset.users, 'user_id', 'int64').values, 'user')
  if (!options.allowVocabMismatch) checkSameIds(dir, checkpoint.vocabs.ids.items.ids, getColumn(dataset.items, 'item_id', 'int64').values, 'item')
  const backend = await initBackend(options.backend ?? 'auto')
  const inputs = restoreInputs(dataset, checkpoint.vocabs, featureState)
  const model = createTwoTower(config, inputs.users.size, inputs.items.size, inputs.userFeatures, inputs.itemFeatures, new Rng(config.seed).fork(1))
  importTensors(model, checkpoint.tensors, dir, true)
  return {model, inputs, manifest: checkpoint.manifest, backend: backend.name}
}

function checkSameIds(dir: string, vocabIds: BigInt64Array, datasetIds: BigInt64Array, what: string): void {
  const sorted = BigInt64Array.from(new Set(datasetIds)).sort()
  const same = sorted.length === vocabIds.length && sorted.every((id, i) => id === vocabIds[i])
  if (!same) {
    throw new RecError('MISMATCH', `checkpoint ${dir} and the dataset have different ${what} vocabularies (${vocabIds.length} vs ${sorted.length} ids)`, {
      hint: 'evaluate on the dataset the checkpoint was trained on',
    })
  }
}
