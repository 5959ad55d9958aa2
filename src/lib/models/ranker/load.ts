// Loads a ranking checkpoint against a dataset: vocabularies, features, cross statistics, model and safety heads.
import {loadCheckpoint} from '../../checkpoint/checkpoint-io.js'
import type {CheckpointManifest} from '../../checkpoint/manifest.js'
import {getColumn} from '../../dataset/columns.js'
import type {Dataset} from '../../dataset/store.js'
import {type BackendChoice, initBackend} from '../../engine/backend.js'
import {RecError} from '../../errors.js'
import {checkCrossFeatures} from '../../features/cross/cross-features.js'
import {buildCrossStats, type CrossStats} from '../../features/cross/cross-stats.js'
import {selectPositives} from '../../features/positives.js'
import type {IdVocab} from '../../features/vocab.js'
import {Rng} from '../../random/rng.js'
import {restoreInputs, type TwoTowerInputs} from '../two-tower/inputs.js'
import {RankingConfigSchema} from './config.js'
import {createRanker, type RankerModel} from './model.js'
import {importRanker} from './persist.js'
import {createSafetyModel, disposeSafety, importSafety, predictSafety} from './safety-model.js'
import {type RankerState, RankerStateSchema} from './state.js'

export interface LoadedRanker {
  model: RankerModel
  inputs: TwoTowerInputs
  stats: CrossStats
  state: RankerState
  manifest: CheckpointManifest
  /** Safety probabilities per item row [items, labels], precomputed (they depend on the item alone). */
  safety?: {labels: string[]; probabilities: Float32Array}
  backend: string
}

export interface LoadRankerOptions {
  backend?: BackendChoice
  /** Split codes whose engagements feed the cross statistics; default: the ones the checkpoint was trained with (train). */
  statsSplits?: number[]
}

/**
 * Rebuilds the ranker a checkpoint was trained as, with cross statistics recomputed from
 * `dataset`. The dataset must carry the checkpoint's user and item ids (MISMATCH otherwise).
 */
export async function loadRanker(dir: string, dataset: Dataset, options: LoadRankerOptions = {}): Promise<LoadedRanker> {
  const checkpoint = await loadCheckpoint(dir, 'ranking')
  const {ranker, labelling: _labelling, ...rest} = checkpoint.manifest.config as Record<string, unknown>
  const parsedState = RankerStateSchema.safeParse(ranker)
  if (!parsedState.success) throw new RecError('BAD_SCHEMA', `${dir}/manifest.json: config.ranker is missing or malformed: ${parsedState.error.issues[0].message}`)
  const parsedConfig = RankingConfigSchema.safeParse(rest)
  if (!parsedConfig.success) throw new RecError('BAD_SCHEMA', `${dir}/manifest.json: config key "${parsedConfig.error.issues[0].path.join('.')}": ${parsedConfig.error.issues[0].message}`)
  const state = parsedState.data
  const config = parsedConfig.data
  checkSameIds(dir, checkpoint.vocabs.ids.users, getColumn(dataset.users, 'user_id', 'int64').values, 'user')
  checkSameIds(dir, checkpoint.vocabs.ids.items, getColumn(dataset.items, 'item_id', 'int64').values, 'item')
  const backend = await initBackend(options.backend ?? config.backend)
  const inputs = restoreInputs(dataset, checkpoint.vocabs, state.featureState)
  const positives = selectPositives(dataset.interactions, inputs.users, inputs.items, state.statsRule)
  const stats = buildCrossStats(dataset, inputs.users, inputs.items, positives, {splits: options.statsSplits ?? state.statsSplits})
  checkCrossFeatures(stats, state.cross.names, dir)
  const entities = {nUsers: inputs.users.size, nItems: inputs.items.size, user: inputs.userFeatures, item: inputs.itemFeatures}
  const model = createRanker(config, state.heads, entities, state.cross, new Rng(config.seed))
  importRanker(model, checkpoint.tensors, dir, state.samplingCorrection ? inputs.items.size : undefined)
  let safety: LoadedRanker['safety']
  if (state.safetyLabels.length > 0) {
    const safetyModel = createSafetyModel(state.safetyLabels, inputs.itemFeatures, config.dim, config.lr, new Rng(config.seed))
    importSafety(safetyModel, checkpoint.tensors, dir)
    safety = {labels: state.safetyLabels, probabilities: predictSafety(safetyModel, Int32Array.from({length: inputs.items.size}, (_, i) => i))}
    disposeSafety(safetyModel)
  }
  return {model, inputs, stats, state, manifest: checkpoint.manifest, safety, backend: backend.name}
}

function checkSameIds(dir: string, vocab: IdVocab | undefined, datasetIds: BigInt64Array, what: string): void {
  if (!vocab) throw new RecError('BAD_SCHEMA', `${dir}: vocab/${what}s.ids.parquet is missing`)
  const sorted = BigInt64Array.from(new Set(datasetIds)).sort()
  if (sorted.length !== vocab.ids.length || !sorted.every((id, i) => id === vocab.ids[i])) {
    throw new RecError('MISMATCH', `checkpoint ${dir} and the dataset have different ${what} vocabularies (${vocab.ids.length} vs ${sorted.length} ids)`, {
      hint: 'load the checkpoint against the dataset it was trained on',
    })
  }
}
