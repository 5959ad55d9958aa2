// `rec train ranking`: data -> model -> optimizer -> epochs (train, validate, early stop) -> fusion, safety -> checkpoint.
import {readCheckpointManifest, saveCheckpoint} from '../../checkpoint/checkpoint-io.js'
import {CHECKPOINT_FORMAT, type CheckpointManifest, dataCreatedAt} from '../../checkpoint/manifest.js'
import {TRAIN} from '../../dataset/schema.js'
import {readDataset} from '../../dataset/store.js'
import {initBackend} from '../../engine/backend.js'
import {DenseAdam} from '../../engine/dense-adam.js'
import type {SafeTensor} from '../../engine/safetensors.js'
import {RecError} from '../../errors.js'
import {assertWritable} from '../../io/atomic.js'
import type {RankingConfig} from '../../models/ranker/config.js'
import {createRanker, disposeRanker} from '../../models/ranker/model.js'
import {logregFeatureWeights} from '../../models/ranker/logreg-weights.js'
import {exportRanker, importRanker} from '../../models/ranker/persist.js'
import {disposeSafety} from '../../models/ranker/safety-model.js'
import type {RankerState} from '../../models/ranker/state.js'
import {inputsFingerprint, inputsToVocabularies} from '../../models/two-tower/inputs.js'
import {Rng} from '../../random/rng.js'
import {type Reporter, silentReporter} from '../../reporter.js'
import {REC_VERSION} from '../../version.js'
import {concatExamples} from './examples.js'
import {checkRetrievalInit, initFromRetrieval} from './init-from-retrieval.js'
import {fitFusionWeights} from './learned-fusion.js'
import {fitCrossStandardizer, initHeadBiases} from './model-init.js'
import {DATA_FORK, prepareRankingData} from './ranking-data.js'
import {runRankingEpoch} from './ranking-epoch.js'
import {evaluateHeads} from './evaluate-heads.js'
import {loadRetrievalFeature} from './retrieval-feature.js'
import {checkRetrievalWindow} from './retrieval-window.js'
import {readSafetyLabels} from './safety-labels.js'
import {trainSafety} from './train-safety.js'

export interface TrainRankingOptions {
  dataset: string
  out: string
  config: RankingConfig
  force?: boolean
  reporter?: Reporter
}

export interface RankingEpochRecord {
  epoch: number
  loss: number
  metrics: Record<string, number>
  examplesPerSecond: number
  seconds: number
}

export interface TrainRankingResult {
  out: string
  backend: string
  arch: string
  heads: string[]
  examples: {train: number; val: number}
  epochs: RankingEpochRecord[]
  bestEpoch: number
  /** Best epoch's val metrics ("val.auc/like", "val.rce/like", ...) and the safety heads' ("val.safety.auc/nsfw", ...). */
  metrics: Record<string, number>
  fusion: Record<string, number>
  crossFeatures: string[]
  /** logreg: every feature's weight per head, by name (also in the manifest, config.ranker.featureWeights). */
  featureWeights?: RankerState['featureWeights']
  labelling: string
  seconds: number
}

const STOP_METRIC = 'auc/mean'

export async function trainRanking(options: TrainRankingOptions): Promise<TrainRankingResult> {
  const started = Date.now()
  const {config} = options
  const reporter = options.reporter ?? silentReporter
  const retrievalDir = config['cross-features'] ? config.retrieval : undefined

  // --- checks before any work: output, retrieval checkpoints (the score's one only from data before this train split)
  assertWritable(options.out, options.force ?? false)
  if (config['init-from-retrieval'] && config.arch === 'logreg') {
    throw new RecError('INVALID_ARGUMENT', '--init-from-retrieval copies embeddings, and logreg has none (one weight per value and head)', {hint: 'drop --init-from-retrieval or use --arch mlp, dlrm or dcn'})
  }
  if (config['init-from-retrieval']) await checkRetrievalInit(config['init-from-retrieval'], config.dim)
  const retrievalManifest = retrievalDir ? await readCheckpointManifest(retrievalDir, 'retrieval') : undefined
  const dataset = await readDataset(options.dataset)
  if (retrievalDir) await checkRetrievalWindow(retrievalDir, retrievalManifest!, dataset, options.dataset)

  // --- data: vocabularies, heads, labelled examples, train-only cross statistics
  const rng = new Rng(config.seed)
  const data = prepareRankingData(dataset, options.dataset, config, rng.fork(DATA_FORK))
  const backend = await initBackend(config.backend)
  reporter.info(`backend: ${backend.name}${backend.skipped.length ? ` (skipped ${backend.skipped.join('; ')})` : ''}`)
  const retrieval = retrievalDir ? await loadRetrievalFeature(retrievalDir, dataset, data.inputs.users, data.inputs.items) : undefined
  const cross = fitCrossStandardizer(data, config['cross-features'], retrieval, rng.fork(2))
  reporter.info(`data: ${data.train.user.length} train and ${data.val.user.length} val examples; heads ${data.heads.map((h) => h.name).join(', ')}; ${data.labelling}`)
  reporter.info(`cross features: ${cross.names.join(', ') || 'none'}`)

  // --- model
  const model = createRanker(config, data.heads, {nUsers: data.inputs.users.size, nItems: data.inputs.items.size, user: data.inputs.userFeatures, item: data.inputs.itemFeatures}, cross, rng.fork(3))
  if (model.slots.length === 0) {
    throw new RecError('INVALID_ARGUMENT', 'the ranker has no embedding slot: id embeddings and categorical features are all off', {hint: 'enable --id-embeddings or the user/item features'})
  }
  // Base rates as training will see them: with sampled negatives, one epoch's draw is part of the set.
  initHeadBiases(model, data.sampler ? concatExamples([data.train, data.sampler.sampler.sample(data.sampler.trainRows, config['negatives-per-positive'], rng.fork(5))]) : data.train)
  if (data.sampler) model.logQ = data.sampler.sampler.logQ(config['negatives-per-positive'])
  if (config['init-from-retrieval']) {
    const report = await initFromRetrieval(model, config['init-from-retrieval'], data.inputs)
    reporter.info(`init-from-retrieval ${config['init-from-retrieval']}: ${Object.entries(report.tables).map(([name, t]) => `${name} ${t.copied}/${t.rows} rows`).join(', ') || 'no id table to copy'}`)
  }

  // --- optimizer
  const adam = new DenseAdam({learningRate: config.lr, l2: config['weight-decay']})

  // --- loop: a pass over shuffled train examples (fresh sampled negatives each epoch), then val; keep the best
  const epochs: RankingEpochRecord[] = []
  let best: {epoch: number; score: number; tensors: Map<string, SafeTensor>; metrics: Record<string, number>; probabilities: Float32Array} = {
    epoch: 0,
    score: -Infinity,
    tensors: exportRanker(model),
    metrics: {},
    probabilities: new Float32Array(0),
  }
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    const epochStart = Date.now()
    const epochRng = rng.fork(1000 + epoch)
    const sampled = data.sampler ? data.sampler.sampler.sample(data.sampler.trainRows, config['negatives-per-positive'], epochRng.fork(1)) : undefined
    const train = sampled ? concatExamples([data.train, sampled]) : data.train
    const pass = runRankingEpoch(model, data.stats, train, adam, {batchSize: config['batch-size'], rng: epochRng, retrieval, reporter, label: `epoch ${epoch}/${config.epochs}`})
    const result = evaluateHeads(model, data.stats, data.val, retrieval)
    const record: RankingEpochRecord = {epoch, loss: pass.loss, metrics: result.metrics, examplesPerSecond: pass.examplesPerSecond, seconds: (Date.now() - epochStart) / 1000}
    epochs.push(record)
    const score = result.metrics[STOP_METRIC] ?? -Infinity
    reporter.info(
      `epoch ${epoch} | loss ${pass.loss.toFixed(4)} | val auc/mean ${score.toFixed(4)} | val rce/mean ${(result.metrics['rce/mean'] ?? Number.NaN).toFixed(2)} | ${pass.examplesPerSecond} ex/s | ${record.seconds.toFixed(1)}s`,
    )
    if (score > best.score) best = {epoch, score, tensors: exportRanker(model), metrics: result.metrics, probabilities: result.probabilities}
    else if (epoch - best.epoch >= config.patience) {
      reporter.info(`early stop: val ${STOP_METRIC} has not improved for ${config.patience} epochs; keeping epoch ${best.epoch}`)
      break
    }
  }
  if (best.epoch === 0) throw new RecError('EMPTY', `no head has both classes in the val split of ${options.dataset}, so no epoch can be judged`)
  adam.dispose()

  // --- fusion: configured weights, or refitted on val predictions of the best epoch
  let fusion: Float32Array = model.fusion
  if (config.fusion === 'learned') {
    fusion = fitFusionWeights(best.probabilities, data.val.labels, data.val.weight, model.fusion)
    best.tensors.set('fusion.weights', {dtype: 'F32', shape: [fusion.length], data: fusion.slice()})
  }
  reporter.info(`fusion (${config.fusion}): ${data.heads.map((h, k) => `${h.name} ${fusion[k].toFixed(3)}`).join(', ')}`)

  // --- safety heads on labelled items
  const labels = config.safety ? readSafetyLabels(dataset, data.inputs.items) : undefined
  const safety = labels ? trainSafety(labels, data.inputs.itemFeatures, {dim: config.dim, epochs: config['safety-epochs'], valFrac: config['safety-val-frac']}, rng.fork(4), reporter) : undefined
  const tensors = new Map<string, SafeTensor>([...best.tensors, ...Object.entries(safety?.tensors ?? {})])
  if (safety) disposeSafety(safety.model)
  // the best epoch's weights by feature name: put them back into the model to read them out
  let featureWeights: RankerState['featureWeights']
  if (model.config.arch === 'logreg') {
    importRanker(model, best.tensors, options.out, model.logQ ? model.logQ.length : undefined)
    featureWeights = logregFeatureWeights(model)
  }
  disposeRanker(model)

  // --- checkpoint: best weights, resolved config and input state, vocabularies
  const metrics = Object.fromEntries(Object.entries({...best.metrics, ...(safety?.metrics ?? {})}).map(([k, v]) => [`val.${k}`, v]))
  const state: RankerState = {
    heads: data.heads,
    cross,
    featureState: {user: data.inputs.userState.numeric, item: data.inputs.itemState.numeric},
    statsRule: data.statsRule,
    statsSplits: [TRAIN],
    safetyLabels: safety ? labels!.names : [],
    samplingCorrection: model.logQ !== undefined,
    retrieval: cross.names.includes('retrieval_score') ? retrievalDir : undefined,
    ...(featureWeights ? {featureWeights} : {}),
  }
  const manifest: CheckpointManifest = {
    format: CHECKPOINT_FORMAT,
    kind: 'ranking',
    arch: config.arch,
    config: {...model.config, ranker: state, labelling: data.labelling},
    backend: backend.name,
    dataset: {path: options.dataset, name: dataset.manifest.name, fingerprint: dataset.manifest.fingerprint},
    vocabFingerprint: inputsFingerprint(data.inputs),
    metrics,
    history: epochs.map((e) => ({epoch: e.epoch, loss: e.loss, metrics: e.metrics})),
    bestEpoch: best.epoch,
    seed: config.seed,
    parents: config['init-from-retrieval'] ? [{path: config['init-from-retrieval'], weight: 1}] : [],
    recVersion: REC_VERSION,
    createdAt: dataCreatedAt(dataset.interactions),
  }
  await saveCheckpoint(options.out, {manifest, tensors, vocabs: inputsToVocabularies(data.inputs)}, {force: options.force})
  return {
    out: options.out,
    backend: backend.name,
    arch: config.arch,
    heads: data.heads.map((h) => h.name),
    examples: {train: data.train.user.length, val: data.val.user.length},
    epochs,
    bestEpoch: best.epoch,
    metrics,
    fusion: Object.fromEntries(data.heads.map((h, k) => [h.name, fusion[k]])),
    crossFeatures: cross.names,
    ...(featureWeights ? {featureWeights} : {}),
    labelling: data.labelling,
    seconds: (Date.now() - started) / 1000,
  }
}
