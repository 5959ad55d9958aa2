// `rec train content`: items -> TF-IDF vocabulary and item vectors -> val metrics with train-only profiles -> checkpoint.
import {saveCheckpoint} from '../checkpoint/checkpoint-io.js'
import {CHECKPOINT_FORMAT, type CheckpointManifest, dataCreatedAt} from '../checkpoint/manifest.js'
import {getColumn} from '../dataset/columns.js'
import {readDataset} from '../dataset/store.js'
import {RecError} from '../errors.js'
import {buildRankingTask} from '../features/holdout.js'
import {type PositiveRule, selectPositives} from '../features/positives.js'
import {IdVocab, vocabFingerprint} from '../features/vocab.js'
import {assertWritable} from '../io/atomic.js'
import type {ContentConfig} from '../models/content/config.js'
import {fitContent} from '../models/content/fit.js'
import {CONTENT_ARCH, contentTensors, contentVocabularies} from '../models/content/persist.js'
import {contentScoreProvider} from '../models/content/scorer.js'
import {evaluateTask} from '../models/two-tower/evaluate.js'
import {type Reporter, silentReporter} from '../reporter.js'
import {REC_VERSION} from '../version.js'

export interface TrainContentOptions {
  dataset: string
  out: string
  config: ContentConfig
  force?: boolean
  reporter?: Reporter
}

export interface TrainContentResult {
  out: string
  items: number
  terms: number
  /** Distinct terms before min-df, max-df and max-features. */
  rawTerms: number
  nonZeros: number
  emptyItems: number
  columns: {text: string[]; tokens: string[]; missing: string[]}
  /** Val metrics with profiles from train positives ("val.recall@10", ...); empty when the dataset has no val positives. */
  metrics: Record<string, number>
  valUsers: number
  fitSeconds: number
  seconds: number
}

export async function trainContent(options: TrainContentOptions): Promise<TrainContentResult> {
  const started = performance.now()
  const {config} = options
  const reporter = options.reporter ?? silentReporter

  // --- checks, data
  assertWritable(options.out, options.force ?? false)
  const dataset = await readDataset(options.dataset)

  // --- model: documents, vocabulary, item vectors
  const t0 = performance.now()
  const fitted = fitContent(dataset, options.dataset, config)
  const fitSeconds = (performance.now() - t0) / 1000
  const {model} = fitted
  const nnz = model.rows.terms.length
  if (fitted.missing.length > 0) reporter.info(`columns not in ${options.dataset}: ${fitted.missing.join(', ')} (skipped)`)
  if (model.vocab.terms.length === 0) {
    throw new RecError('EMPTY', `no term is in at least ${config['min-df']} and at most ${config['max-df'] * 100}% of the ${model.vocab.documents} items`, {hint: 'lower --min-df or raise --max-df'})
  }
  reporter.info(
    `vocabulary: ${model.vocab.terms.length} of ${fitted.rawTerms} terms (min-df ${config['min-df']}, max-df ${config['max-df']}, max-features ${config['max-features']}) from ${[...fitted.textColumns, ...fitted.tokenColumns.map((c) => `${c} (tokens)`)].join(', ')}; ` +
      `${nnz} non-zeros, ${(nnz / Math.max(1, model.vocab.documents)).toFixed(1)} per item, ${fitted.emptyItems} items without a kept term (${fitSeconds.toFixed(2)} s)`,
  )

  // --- validation: profiles from train positives only, the full-ranking protocol of rec eval --split val
  const users = IdVocab.fromValues(getColumn(dataset.users, 'user_id', 'int64').values)
  const rule: PositiveRule = {events: config.positives ?? dataset.manifest.positives, minWeight: config['positive-min-weight']}
  const metrics: Record<string, number> = {}
  let valUsers = 0
  if (dataset.manifest.counts.val > 0) {
    const positives = selectPositives(dataset.interactions, users, model.items, rule)
    const task = buildRankingTask(positives, users.size, 'val')
    valUsers = task.users.length
    const ks = config.ks.filter((k) => k < model.items.size - 1)
    if (valUsers > 0 && ks.length > 0) {
      const result = await evaluateTask(contentScoreProvider(model, task.users, task.history), task, ks, reporter)
      for (const [name, value] of Object.entries(result.mean)) metrics[`val.${name}`] = value
      reporter.info(`val (${valUsers} users, profiles from train): ${ks.map((k) => `recall@${k} ${metrics[`val.recall@${k}`]?.toFixed(4)} ndcg@${k} ${metrics[`val.ndcg@${k}`]?.toFixed(4)}`).join('  ')}`)
    }
  } else reporter.info(`${options.dataset} has no val interactions: no val metrics (the model still scores and finds similar items)`)

  // --- checkpoint
  const vocabs = contentVocabularies(model, users)
  const manifest: CheckpointManifest = {
    format: CHECKPOINT_FORMAT,
    kind: 'content',
    arch: CONTENT_ARCH,
    config: {...config, columns: {text: fitted.textColumns, tokens: fitted.tokenColumns}},
    backend: 'js',
    dataset: {path: options.dataset, name: dataset.manifest.name, fingerprint: dataset.manifest.fingerprint},
    vocabFingerprint: vocabFingerprint(vocabs.ids, vocabs.categories),
    metrics,
    history: [],
    bestEpoch: 0,
    seed: 0,
    parents: [],
    recVersion: REC_VERSION,
    createdAt: dataCreatedAt(dataset.interactions),
  }
  await saveCheckpoint(options.out, {manifest, tensors: contentTensors(model), vocabs}, {force: options.force})
  return {
    out: options.out,
    items: model.items.size - 1,
    terms: model.vocab.terms.length,
    rawTerms: fitted.rawTerms,
    nonZeros: nnz,
    emptyItems: fitted.emptyItems,
    columns: {text: fitted.textColumns, tokens: fitted.tokenColumns, missing: fitted.missing},
    metrics,
    valUsers,
    fitSeconds,
    seconds: (performance.now() - started) / 1000,
  }
}
