// Puts the pieces of an evaluation into the documented report shape (report-schema.ts).
import type {BuiltModel} from './built-model.js'
import type {Comparison} from './compare-models.js'
import type {EvalContext} from './eval-context.js'
import type {EvalStage} from './eval-stage.js'
import type {EvalProtocol, ModelEvaluation} from './evaluate-model.js'
import type {ModelSummary} from './model-summary.js'
import {historySplits, protocolLine, stageClause} from './protocol-line.js'
import {EVAL_REPORT_FORMAT, type EvalModelEntry, type EvalReport, type RankerSection, type StageSummary} from './report-schema.js'
import {COLD_MAX, describeSegments, type Segments} from './segment-definitions.js'

export interface EvaluatedModel {
  /** For a stage's output: the model whose lists it re-ordered. */
  built: BuiltModel
  evaluation: ModelEvaluation
  summary: ModelSummary
  /** The stage id when this is a later stage's output. */
  stage?: string
  stageSummary?: StageSummary
  timing: {buildSeconds: number; rankSeconds: number}
}

export interface ReportParts {
  ctx: EvalContext
  ks: number[]
  protocol: EvalProtocol
  seed: number
  segments: Segments
  evaluated: EvaluatedModel[]
  /** One unique key per evaluated entry, same order. */
  keys: string[]
  /** The stages applied to every model's lists, in order. */
  stages: readonly EvalStage[]
  comparison?: Comparison
  ranker?: RankerSection
  warnings: string[]
  timings: {totalSeconds: number; datasetSeconds: number}
}

export function assembleReport(parts: ReportParts): EvalReport {
  const {ctx, ks, protocol, evaluated, keys} = parts
  const byKey = <T>(value: (m: EvaluatedModel) => T | undefined) =>
    Object.fromEntries(evaluated.flatMap((m, i) => {
      const v = value(m)
      return v === undefined ? [] : [[keys[i], v]]
    })) as Record<string, T>
  const skipped = ctx.task.skipped
  return {
    format: EVAL_REPORT_FORMAT,
    protocol: {
      split: ctx.split,
      history: historySplits(ctx),
      kind: protocol.kind,
      ...(protocol.kind === 'sampled' ? {negatives: protocol.negatives} : {}),
      ks,
      items: ctx.items.size - 1,
      usersEvaluated: ctx.task.users.length,
      usersSkipped: {noTarget: skipped.noTarget, onlySeenTargets: skipped.onlySeenTargets, total: skipped.noTarget + skipped.onlySeenTargets},
      targets: ctx.task.targets.rows.length,
      targetsDroppedSeen: ctx.targetsDroppedSeen,
      positives: {events: ctx.rule.events, ...(ctx.rule.minWeight === undefined ? {} : {minWeight: ctx.rule.minWeight})},
      tieBreak: 'smaller item row first',
      diversityFeature: ctx.categories?.feature ?? null,
      seed: parts.seed,
      stages: parts.stages.map((s) => ({id: s.id, depth: s.depth ?? null, description: stageClause(s)})),
      line: protocolLine(ctx, ks, protocol, parts.stages.map(stageClause)),
    },
    dataset: {path: ctx.datasetDir, name: ctx.dataset.manifest.name, fingerprint: ctx.dataset.manifest.fingerprint},
    models: modelEntries(evaluated, keys, evaluated.filter((m) => !m.stage).length === 2),
    metrics: byKey((m) => m.summary.metrics),
    segments: {
      definitions: {...describeSegments(parts.segments), coldMax: COLD_MAX, heavyMin: parts.segments.heavyMin, items: parts.segments.itemCounts},
      models: byKey((m) => m.summary.segments),
    },
    popularityBias: byKey((m) => m.summary.popularityBias),
    comparison: parts.comparison ?? null,
    ranker: parts.ranker ?? null,
    warnings: parts.warnings,
    timings: {...parts.timings, models: byKey((m) => m.timing)},
  }
}

function modelEntries(evaluated: EvaluatedModel[], keys: string[], comparing: boolean): EvalModelEntry[] {
  let parent: {key: string; label: string} = {key: '', label: ''}
  let slot = 0
  return evaluated.map((m, i) => {
    const {built} = m
    if (m.stage) return {key: keys[i], id: keys[i], kind: 'stage' as const, label: `${parent.label} > ${m.stage}`, parent: parent.key, ...(m.stageSummary ? {stage: m.stageSummary} : {})}
    const label = comparing ? `${'AB'[slot++]}: ${built.name}` : built.name
    parent = {key: keys[i], label}
    return {
      key: keys[i],
      id: built.id,
      kind: built.kind,
      label,
      ...(built.path === undefined ? {} : {path: built.path, createdAt: built.createdAt, arch: built.arch, trainedOn: built.trainedOn}),
      ...(built.neighbours ? {neighbours: built.neighbours} : {}),
      ...(built.seed === undefined ? {} : {seed: built.seed}),
    }
  })
}
