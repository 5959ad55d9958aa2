// The one-line statement of how an evaluation was run, printed above every table and stored in the report.
import type {EvalContext} from './eval-context.js'
import type {EvalStage} from './eval-stage.js'
import type {EvalProtocol} from './evaluate-model.js'
import {describeRule} from './positive-rule.js'

/** The K a compact view and the popularity histogram use: 10 when asked for, else the smallest. */
export function focusK(ks: readonly number[]): number {
  return ks.includes(10) ? 10 : Math.min(...ks)
}

export function historySplits(ctx: EvalContext): 'train' | 'train+val' {
  return ctx.split === 'val' ? 'train' : 'train+val'
}

/** A stage's clause of the protocol line. */
export function stageClause(stage: EvalStage): string {
  return stage.protocol ?? `then stage ${stage.id} re-orders each list`
}

/**
 * e.g. "test split, history train+val excluded | FULL RANKING of 1682 items, ties to the smaller item
 * row | K=10,50 | 943 users evaluated, 0 skipped (...) | 0 targets dropped as already seen | positives: rating | dataset e25f078ee827",
 * then one clause per later stage.
 */
export function protocolLine(ctx: EvalContext, ks: readonly number[], protocol: EvalProtocol, stages: readonly string[] = []): string {
  const {task} = ctx
  const items = ctx.items.size - 1
  const ranking =
    protocol.kind === 'full'
      ? `FULL RANKING of all ${items} items, ties to the smaller item row`
      : `SAMPLED: each target ranked against ${protocol.negatives} random unseen items, NOT full ranking (numbers are not comparable with full-ranking ones)`
  const skipped = task.skipped.noTarget + task.skipped.onlySeenTargets
  return [
    `${ctx.split} split, history ${historySplits(ctx)} excluded`,
    ranking,
    `K=${ks.join(',')}`,
    `${task.users.length} users evaluated, ${skipped} skipped (${task.skipped.noTarget} without a ${ctx.split} positive, ${task.skipped.onlySeenTargets} with only already-seen ones)`,
    `${ctx.targetsDroppedSeen} targets dropped as already in the history`,
    `positives: ${describeRule(ctx.rule)}`,
    `dataset ${ctx.dataset.manifest.fingerprint.slice(0, 12)}`,
    ...stages,
  ].join(' | ')
}
