// `rec eval`: dataset + one or two models -> one protocol, metrics, segments, comparison -> an EvalReport.
import type {CheckpointManifest} from '../checkpoint/manifest.js'
import {readDataset, readManifest} from '../dataset/store.js'
import {RecError} from '../errors.js'
import {type Reporter, silentReporter} from '../reporter.js'
import {buildBaseline} from './baseline-model.js'
import type {BuiltModel} from './built-model.js'
import {checkEvalOptions, type RankerOption} from './check-options.js'
import {loadCheckpointModel, readRetrievalManifest} from './checkpoint-model.js'
import {compareModels} from './compare-models.js'
import {buildEvalContext, type EvalContext, type EvalSplit} from './eval-context.js'
import type {EvalStage} from './eval-stage.js'
import {type EvalProtocol, type ModelEvaluation, evaluateModel, scoreLists, truncateLists} from './evaluate-model.js'
import type {ModelSpec} from './model-spec.js'
import {type ModelSummary, summariseModel} from './model-summary.js'
import {checkpointRule, datasetRule, describeRule, sameRule} from './positive-rule.js'
import {focusK} from './protocol-line.js'
import {assembleReport, type EvaluatedModel} from './assemble-report.js'
import {readRankingManifest} from './ranker-checkpoint.js'
import {prepareRankerEvaluation, type RankerEvaluation} from './ranker-evaluation.js'
import type {EvalReport} from './report-schema.js'
import {defineSegments, type Segments} from './segment-definitions.js'
import {summariseStage} from './stage-summary.js'

export interface EvalOptions {
  dataset: string
  /** One model, or two to compare (delta = second - first). */
  models: ModelSpec[]
  split: EvalSplit
  /** List lengths; default 10, 20, 50, 100 (those within the catalogue). */
  ks?: readonly number[]
  protocol: EvalProtocol
  /** Random baseline, sampled negatives and bootstrap; default 42. */
  seed?: number
  /** Bootstrap resamples of a comparison; default 1000. */
  resamples?: number
  /** Later stages applied to each model's lists (full ranking only). */
  stages?: readonly EvalStage[]
  /** A ranking checkpoint re-ranking each checkpoint's top candidates: a stage after `stages`, plus its per-head metrics. */
  ranker?: RankerOption
  /** Evaluate a checkpoint trained on another dataset whose ids match (the report warns) instead of refusing it (MISMATCH). */
  allowMismatch?: boolean
  reporter?: Reporter
}

/**
 * The evaluated split's positives are the targets; the history (train; train+val for test) is
 * excluded from every ranking. Every model is ranked for the same users, so results pair up.
 * Positives follow the first checkpoint's training rule, else the dataset's (a second checkpoint
 * trained under another rule is evaluated under the first one's, with a warning). Stages (and
 * --ranker, the last of them) read every model's ranking as deep as they ask, while the model's own
 * metrics stay those of its top max(K), exactly as without them.
 */
export async function runEval(options: EvalOptions): Promise<EvalReport> {
  const started = performance.now()
  const reporter = options.reporter ?? silentReporter
  const seed = options.seed ?? 42
  const {protocol} = options

  // --- inputs: flags against dataset.json and checkpoint manifests, before any table is read
  const ks = checkEvalOptions(options, (await readManifest(options.dataset)).counts.items, options.dataset)
  const manifests = new Map<string, CheckpointManifest>()
  for (const spec of options.models) if (spec.kind === 'checkpoint' && !manifests.has(spec.path)) manifests.set(spec.path, await readRetrievalManifest(spec.path))
  const rankerManifest = options.ranker && (await readRankingManifest(options.ranker.path))

  // --- data: positives, the ranking task, segments
  const dataset = await readDataset(options.dataset)
  const rules = [...manifests.entries()].map(([path, manifest]) => ({path, rule: checkpointRule(manifest, dataset.manifest)}))
  const rule = rules[0]?.rule ?? datasetRule(dataset.manifest)
  const warnings: string[] = []
  for (const other of rules.slice(1)) {
    if (!sameRule(other.rule, rule)) warnings.push(`${other.path} was trained with positives ${describeRule(other.rule)} but is evaluated with ${describeRule(rule)}, the rule of ${rules[0].path}`)
  }
  const ctx = buildEvalContext(options.dataset, dataset, options.split, rule, {allowMismatch: options.allowMismatch})
  const segments = defineSegments(ctx)
  const datasetSeconds = (performance.now() - started) / 1000

  // --- models: checkpoints and the ranker load first (a mismatch still stops the run before any output), then baselines
  const loaded = new Map<number, {built: BuiltModel; seconds: number}>()
  for (const [i, spec] of options.models.entries()) {
    if (spec.kind !== 'checkpoint') continue
    const t0 = performance.now()
    loaded.set(i, {built: await loadCheckpointModel(spec.path, manifests.get(spec.path)!, ctx), seconds: (performance.now() - t0) / 1000})
  }
  let ranker: RankerEvaluation | undefined
  if (options.ranker && rankerManifest) {
    ranker = await prepareRankerEvaluation(options.ranker.path, rankerManifest, ctx, {candidates: options.ranker.candidates, checkpoints: [...manifests.keys()]})
    warnings.push(...ranker.warnings)
    reporter.info(`ranker ${options.ranker.path}: ${ranker.section.heads.examples} labelled ${ctx.split} pairs, auc/mean ${ranker.section.heads.mean.auc?.toFixed(4) ?? '-'} (${ranker.timing.headsSeconds.toFixed(2)} s)`)
  }
  const stages = [...(options.stages ?? []), ...(ranker ? [ranker.stage] : [])]
  const depth = Math.max(0, ...stages.map((s) => s.depth ?? 0))
  reporter.info(`data: ${ctx.task.users.length} ${ctx.split} users, ${ctx.items.size - 1} items, positives ${describeRule(rule)}`)
  const evaluated: EvaluatedModel[] = []
  const stageOptions = {ctx, segments, ks, seed, resamples: options.resamples ?? 1000}
  try {
    for (const [i, spec] of options.models.entries()) {
      const t0 = performance.now()
      const built = spec.kind === 'checkpoint' ? loaded.get(i)!.built : await buildBaseline(spec.name, ctx, {seed, tuneK: focusK(ks), reporter})
      warnings.push(...built.warnings)
      const t1 = performance.now()
      const evaluation = await evaluateModel(built.provider, ctx, ks, protocol, seed, reporter, depth)
      const summary = summariseModel(ctx, segments, evaluation, built.provider, ks, protocol, seed)
      const timing = {buildSeconds: loaded.get(i)?.seconds ?? (t1 - t0) / 1000, rankSeconds: (performance.now() - t1) / 1000}
      const parent: EvaluatedModel = {built, evaluation, summary, timing}
      evaluated.push(parent)
      reporter.info(`${built.id}: ${headline(summary, ks, protocol)} (${timing.rankSeconds.toFixed(2)} s)`)
      if (evaluation.ranked) {
        for (const staged of await runStages(stages, parent, stageOptions)) {
          evaluated.push(staged)
          reporter.info(`${built.id} > ${staged.stage}: ${headline(staged.summary, ks, protocol)} (${staged.timing.rankSeconds.toFixed(2)} s)`)
        }
      }
    }
  } finally {
    ranker?.dispose()
  }

  // --- comparison: the two models (not their stages), or one model against its first stage, paired over the same users
  const keys = modelKeys(evaluated)
  const models = evaluated.flatMap((m, i) => (m.stage ? [] : [{key: keys[i], evaluation: m.evaluation}]))
  const firstStage = evaluated.findIndex((m) => m.stage)
  const pair = models.length === 2 ? models : firstStage > 0 ? [models[0], {key: keys[firstStage], evaluation: evaluated[firstStage].evaluation}] : []
  return assembleReport({
    ctx,
    ks,
    protocol,
    seed,
    segments,
    evaluated,
    keys,
    stages,
    comparison: pair.length === 2 ? compareModels(pair[0], pair[1], {seed, resamples: options.resamples ?? 1000, confidence: 0.95}) : undefined,
    ranker: ranker?.section,
    warnings,
    timings: {totalSeconds: (performance.now() - started) / 1000, datasetSeconds, ...(ranker ? {ranker: ranker.timing} : {})},
  })
}

/** Each stage re-orders the parent's lists (read as deep as the deepest stage asked); its output is scored at the longest K like the parent's. */
async function runStages(stages: readonly EvalStage[], parent: EvaluatedModel, options: {ctx: EvalContext; segments: Segments; ks: number[]; seed: number; resamples: number}): Promise<EvaluatedModel[]> {
  const {ctx, segments, ks, seed} = options
  const out: EvaluatedModel[] = []
  for (const stage of stages) {
    const t0 = performance.now()
    const ranked = parent.evaluation.deep ?? parent.evaluation.ranked!
    // A copy, so that a stage re-ordering in place cannot change its parent's results.
    const output = await stage.apply({ranked: {...ranked, lists: ranked.lists.slice()}, scores: parent.built.provider, context: ctx})
    if (output.lists.length !== ranked.lists.length) {
      throw new RecError('MISMATCH', `stage ${stage.id} returned ${output.lists.length} list entries, expected ${ranked.users.length} users x ${ranked.listK}`)
    }
    const evaluation: ModelEvaluation = scoreLists(truncateLists({...ranked, lists: output.lists}, Math.max(...ks)), ctx, ks)
    const summary = summariseModel(ctx, segments, evaluation, parent.built.provider, ks, {kind: 'full'}, seed)
    const stageSummary = summariseStage(stage, output, parent.evaluation, evaluation, ctx, ks, options)
    out.push({built: parent.built, evaluation, summary, stage: stage.id, stageSummary, timing: {buildSeconds: 0, rankSeconds: (performance.now() - t0) / 1000}})
  }
  return out
}

/** Ids, made unique with " #2" when the same model is evaluated twice; a stage's key is its parent's + " > id". */
function modelKeys(models: EvaluatedModel[]): string[] {
  const seen = new Map<string, number>()
  let parent = ''
  return models.map((m) => {
    if (m.stage) return `${parent} > ${m.stage}`
    const n = (seen.get(m.built.id) ?? 0) + 1
    seen.set(m.built.id, n)
    parent = n === 1 ? m.built.id : `${m.built.id} #${n}`
    return parent
  })
}

function headline(summary: ModelSummary, ks: number[], protocol: EvalProtocol): string {
  const k = focusK(ks)
  const names = protocol.kind === 'full' ? [`recall@${k}`, `ndcg@${k}`] : [`sampled_hitrate@${k}`, `sampled_ndcg@${k}`]
  return names.map((name) => `${name} ${summary.metrics[name].toFixed(4)}`).join(' ')
}
