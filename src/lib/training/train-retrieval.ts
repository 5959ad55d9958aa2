// `rec train retrieval`: data -> model -> optimizer -> epochs (train, validate, early stop) -> checkpoint.
import {readCheckpointManifest, loadCheckpoint, saveCheckpoint} from '../checkpoint/checkpoint-io.js'
import {CHECKPOINT_FORMAT, type CheckpointManifest, dataCreatedAt} from '../checkpoint/manifest.js'
import {TRAIN} from '../dataset/schema.js'
import {readDataset} from '../dataset/store.js'
import {DenseAdam} from '../engine/dense-adam.js'
import {initBackend} from '../engine/backend.js'
import {RecError} from '../errors.js'
import {assertWritable} from '../io/atomic.js'
import {buildHistory} from '../features/history.js'
import {buildRankingTask} from '../features/holdout.js'
import {selectPositives} from '../features/positives.js'
import {itemCounts, popularityScores} from '../models/baselines/popular.js'
import type {RetrievalConfig} from '../models/two-tower/config.js'
import {evaluateTask, evaluateTwoTower} from '../models/two-tower/evaluate.js'
import {fitInputs, inputsFingerprint, inputsToVocabularies} from '../models/two-tower/inputs.js'
import {createTwoTower} from '../models/two-tower/model.js'
import {exportTensors, importTensors} from '../models/two-tower/persist.js'
import {Rng} from '../random/rng.js'
import {type Reporter, silentReporter} from '../reporter.js'
import {REC_VERSION} from '../version.js'
import {mineHardNegatives} from './hard-negatives.js'
import {epochOrder, type BatchPlan} from './retrieval-batches.js'
import {runEpoch, trainEpoch} from './retrieval-epoch.js'
import {buildRetrievalExamples, itemLogFrequency} from './retrieval-examples.js'
import {resolveWorkers, RetrievalReplicas} from './retrieval-replicas.js'
import {type RetrievalBatch, retrievalStep} from './retrieval-step.js'
import {makeSequenceBatch, type SequenceBatch, type SequencePlan, targetDistribution} from './sequence-batches.js'
import {sequenceStep} from './sequence-step.js'
import {buildSequenceWindows} from './sequence-windows.js'
import {type BestEpoch, clearResumeState, type EpochRecord, loadResumeState, resumeDir, saveResumeState} from './resume-state.js'

export type {EpochRecord}

export interface TrainRetrievalOptions {
  dataset: string
  out: string
  config: RetrievalConfig
  force?: boolean
  /** Warm start: copy every tensor of this retrieval checkpoint whose name and shape match. */
  initFrom?: string
  /** Continue from <out>.resume/ (written after every epoch) instead of starting over. */
  resume?: boolean
  /** Pause after this epoch, leaving <out>.resume/ and no checkpoint (to split training over several jobs). */
  stopAfterEpoch?: number
  reporter?: Reporter
}

export interface TrainRetrievalResult {
  out: string
  backend: string
  examples: number
  epochs: EpochRecord[]
  bestEpoch: number
  /** Best epoch's val metrics ("val.ndcg@10", ...). */
  metrics: Record<string, number>
  /** The most-popular ranking on the same val task and metric code. */
  popularBaseline: Record<string, number>
  protocol: string
  seconds: number
}

export async function trainRetrieval(options: TrainRetrievalOptions): Promise<TrainRetrievalResult> {
  const started = Date.now()
  const {config} = options
  const reporter = options.reporter ?? silentReporter
  assertWritable(options.out, options.force ?? false)
  const initManifest = options.initFrom ? await readCheckpointManifest(options.initFrom, 'retrieval') : undefined

  // --- data: vocabularies, features, causal examples, val task
  const dataset = await readDataset(options.dataset)
  if (dataset.manifest.counts.train === 0) throw new RecError('EMPTY', `${options.dataset} has no train split`, {hint: 'split it with rec data split'})
  const inputs = fitInputs(dataset)
  const positives = selectPositives(dataset.interactions, inputs.users, inputs.items, {events: config.positives ?? dataset.manifest.positives, minWeight: config['positive-min-weight']})
  const trainHistory = buildHistory(positives, inputs.users.size, [TRAIN])
  const examples = buildRetrievalExamples(positives, trainHistory)
  if (examples.user.length === 0) throw new RecError('EMPTY', `${options.dataset}: the train split has no positive interactions`)
  // A sequence encoder trains on windows (batch-size counts windows), each giving up to L next-item targets at once.
  const sequential = config['user-encoder'] === 'transformer'
  const windows = sequential ? buildSequenceWindows(trainHistory, Math.max(config['history-length'], 1)) : undefined
  const units = windows ? windows.user.length : examples.user.length
  const unitName = windows ? 'train windows' : 'train examples'
  if (config['batch-size'] > units) {
    throw new RecError('INVALID_ARGUMENT', `batch size ${config['batch-size']} is larger than the ${units} ${unitName}`, {hint: `use --batch-size ${Math.max(2, 2 ** Math.floor(Math.log2(units)))} or less`})
  }
  if (sequential && config['hard-negatives'] > 0) throw new RecError('INVALID_ARGUMENT', 'hard-negatives is not supported with --user-encoder transformer', {hint: 'use --softmax full or sampled-negatives instead'})
  const valTask = buildRankingTask(positives, inputs.users.size, 'val')
  if (valTask.users.length === 0) throw new RecError('EMPTY', `${options.dataset}: no user has a val target`, {hint: 'validation needs a val split (leave-last-out or temporal-global)'})
  const ks = config.ks.filter((k) => k < inputs.items.size)
  const stopMetric = `ndcg@${ks.includes(10) ? 10 : ks[0]}`
  const counts = itemCounts(examples.item, inputs.items.size)
  const popular = (await evaluateTask(popularityScores(counts), valTask, ks)).mean
  reporter.info(`data: ${examples.user.length} train examples${windows ? ` (${windows.user.length} windows of ${config['history-length']}, ${windows.targets} next-item targets)` : ''}, ${valTask.users.length} val users, ${inputs.items.size - 1} items; most-popular val ${stopMetric}=${popular[stopMetric].toFixed(4)}`)

  // --- model
  const backend = await initBackend(config.backend)
  // The sequence step runs in this thread only (its data-parallel split is not written yet).
  const workers = sequential ? 1 : resolveWorkers(config.workers, backend.name, examples.user.length, config.epochs)
  reporter.info(`backend: ${backend.name}${backend.skipped.length ? ` (skipped ${backend.skipped.join('; ')})` : ''}, ${workers} training thread${workers > 1 ? 's' : ''}`)
  const rng = new Rng(config.seed)
  const model = createTwoTower(config, inputs.users.size, inputs.items.size, inputs.userFeatures, inputs.itemFeatures, rng.fork(1), {shared: workers > 1})
  if (options.initFrom) {
    const source = await loadCheckpoint(options.initFrom, 'retrieval')
    const report = importTensors(model, source.tensors, options.initFrom, false)
    reporter.info(`init-from ${options.initFrom}: ${report.loaded.length} tensors loaded, ${report.skipped.length} skipped${report.skipped.length ? ` (${report.skipped.join(', ')})` : ''}`)
  }

  // --- optimizer and batching
  const adam = new DenseAdam({learningRate: config.lr, l2: config['weight-decay']})
  const plan: BatchPlan = {
    batchSize: config['batch-size'],
    historyLength: config['history-length'],
    nItems: inputs.items.size,
    randomNegatives: config['random-negatives'],
    logFrequency: config.logq ? itemLogFrequency(examples, inputs.items.size) : undefined,
  }
  const nBatches = Math.ceil(units / plan.batchSize)
  const softmax = config.softmax === 'auto' ? (inputs.items.size - 1 <= config['full-softmax-max-items'] ? 'full' : 'sampled') : config.softmax
  const sequencePlan: SequencePlan | undefined = windows && {
    batchSize: config['batch-size'],
    length: Math.max(config['history-length'], 1),
    nItems: inputs.items.size,
    softmax,
    negatives: config['sampled-negatives'],
    sampler: config['negative-sampler'],
    cumulative: targetDistribution(windows, inputs.items.size),
    logq: config.logq,
  }
  const catalogue = Int32Array.from({length: inputs.items.size - 1}, (_, k) => k + 1)
  if (sequencePlan) reporter.info(`loss: ${softmax === 'full' ? `full softmax over ${catalogue.length} items` : `sampled softmax, ${config['sampled-negatives']} ${config['negative-sampler']} negatives per batch${config.logq ? ', logQ corrected' : ''}`}`)

  // --- loop: one pass over shuffled examples, then full-ranking validation; keep the best epoch
  let epochs: EpochRecord[] = []
  let best: BestEpoch = {epoch: 0, score: -Infinity, tensors: exportTensors(model), metrics: {}}
  if (options.resume) {
    ;({epochs, best} = await loadResumeState(options.out, model, adam, config, dataset.manifest.fingerprint))
    reporter.info(`resuming after epoch ${epochs.at(-1)?.epoch ?? 0} (best so far: epoch ${best.epoch})`)
  }
  const stopped = epochs.length > 0 && epochs.at(-1)!.epoch - best.epoch >= config.patience
  const first = (epochs.at(-1)?.epoch ?? 0) + 1
  const replicas = workers > 1 && first <= config.epochs && !stopped ? await RetrievalReplicas.start(model, inputs, backend.name, workers) : undefined
  try {
    for (let epoch = first; epoch <= config.epochs && !stopped; epoch++) {
      const epochStart = Date.now()
      // Each epoch's stream depends on the seed and epoch alone, so a resumed run draws what the original would.
      const epochRng = new Rng(config.seed).fork(1000 + epoch)
      if (config['hard-negatives'] > 0 && epoch > 1) {
        plan.hard = {...(await mineHardNegatives(model, trainHistory, examples, 100)), perExample: config['hard-negatives']}
      }
      const order = epochOrder(units, epochRng)
      const bar = reporter.progress(`epoch ${epoch}/${config.epochs}`, nBatches)
      const tick = (loss: number, seen: number, ms: number) => bar.tick(1, {loss, 'ex/s': Math.round((seen / ms) * 1000)})
      const step = replicas ? (batch: RetrievalBatch) => replicas.step(batch, adam) : (batch: RetrievalBatch) => retrievalStep(model, batch, adam)
      const pass =
        windows && sequencePlan
          ? await runEpoch<SequenceBatch>(
              {count: units, batchSize: sequencePlan.batchSize, draw: (start) => makeSequenceBatch(windows, order, start, sequencePlan, epochRng, catalogue), size: (batch) => batch.positions.length},
              epoch,
              (batch) => sequenceStep(model, batch, adam),
              tick,
            )
          : await trainEpoch(examples, order, plan, epochRng, epoch, step, tick)
      bar.stop()
      const result = await evaluateTwoTower(model, valTask, ks)
      const record: EpochRecord = {
        epoch,
        loss: pass.loss,
        metrics: result.mean,
        examplesPerSecond: Math.round((pass.examples / pass.ms) * 1000),
        seconds: (Date.now() - epochStart) / 1000,
      }
      epochs.push(record)
      const score = result.mean[stopMetric]
      reporter.info(
        `epoch ${epoch} | loss ${record.loss.toFixed(4)} | val recall@${ks[0]} ${result.mean[`recall@${ks[0]}`].toFixed(4)} | val ${stopMetric} ${score.toFixed(4)} | ${record.examplesPerSecond} ex/s | ${record.seconds.toFixed(1)}s`,
      )
      if (score > best.score) best = {epoch, score, tensors: exportTensors(model), metrics: result.mean}
      await saveResumeState(options.out, epochs, best, model, adam, config, dataset.manifest.fingerprint)
      if (epoch === options.stopAfterEpoch) return {...pausedResult(options.out, backend.name, examples.user.length, epochs, best), protocol: '', popularBaseline: {}, seconds: (Date.now() - started) / 1000}
      if (epoch - best.epoch >= config.patience) {
        reporter.info(`early stop: val ${stopMetric} has not improved for ${config.patience} epochs; keeping epoch ${best.epoch}`)
        break
      }
    }
  } finally {
    await replicas?.close()
  }

  // --- checkpoint: the best epoch's weights, the resolved config, vocabularies
  const metrics = Object.fromEntries(Object.entries(best.metrics).map(([k, v]) => [`val.${k}`, v]))
  const protocol = `val split, leave-history-out full ranking over ${inputs.items.size - 1} items, K=${ks.join(',')}, ${valTask.users.length} users`
  const manifest: CheckpointManifest = {
    format: CHECKPOINT_FORMAT,
    kind: 'retrieval',
    arch: `two-tower/${config['user-encoder']}`,
    config: {...config, workers, featureState: {user: inputs.userState.numeric, item: inputs.itemState.numeric}, protocol},
    backend: backend.name,
    dataset: {path: options.dataset, name: dataset.manifest.name, fingerprint: dataset.manifest.fingerprint},
    vocabFingerprint: inputsFingerprint(inputs),
    metrics,
    history: epochs.map((e) => ({epoch: e.epoch, loss: e.loss, metrics: e.metrics})),
    bestEpoch: best.epoch,
    seed: config.seed,
    parents: initManifest ? [{path: options.initFrom!, weight: 1}] : [],
    recVersion: REC_VERSION,
    createdAt: dataCreatedAt(dataset.interactions),
  }
  await saveCheckpoint(options.out, {manifest, tensors: best.tensors, vocabs: inputsToVocabularies(inputs)}, {force: options.force})
  await clearResumeState(options.out)
  return {
    out: options.out,
    backend: backend.name,
    examples: examples.user.length,
    epochs,
    bestEpoch: best.epoch,
    metrics,
    popularBaseline: Object.fromEntries(Object.entries(popular).map(([k, v]) => [`val.${k}`, v])),
    protocol,
    seconds: (Date.now() - started) / 1000,
  }
}

function pausedResult(out: string, backend: string, examples: number, epochs: EpochRecord[], best: BestEpoch): Omit<TrainRetrievalResult, 'protocol' | 'popularBaseline' | 'seconds'> {
  return {out: resumeDir(out), backend, examples, epochs, bestEpoch: best.epoch, metrics: Object.fromEntries(Object.entries(best.metrics).map(([k, v]) => [`val.${k}`, v]))}
}
