// The production guardrail: refuse to move a production alias to a version that is worse on its metric.
import {RecError} from '../errors.js'
import type {AliasMetric, VersionEntry} from './schema.js'

export type RegressionMode = 'relative' | 'absolute'

export interface GuardOptions {
  /** Largest allowed worsening: a fraction of the current value (relative) or metric units (absolute). */
  maxRegression?: number
  mode?: RegressionMode
  /** Skip the guardrail (never the content-hash check). */
  force?: boolean
}

/** 1% relative: a retrain that lands within val noise passes, a real drop does not. */
export const DEFAULT_MAX_REGRESSION = 0.01
export const DEFAULT_REGRESSION_MODE: RegressionMode = 'relative'

/** Guarded aliases: "production" and any "<name>-production" (e.g. "ranking-production"). */
export function isGuardedAlias(alias: string): boolean {
  return alias === 'production' || alias.endsWith('-production')
}

/** INVALID_ARGUMENT unless maxRegression is a finite number >= 0. */
export function checkGuardOptions(guard: GuardOptions): void {
  const max = guard.maxRegression ?? DEFAULT_MAX_REGRESSION
  if (!Number.isFinite(max) || max < 0) {
    throw new RecError('INVALID_ARGUMENT', `--max-regression must be a finite number >= 0 (got ${max})`)
  }
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toPrecision(4))

/**
 * Throws MISMATCH (one line, with how to override) when `candidate` would worsen `metric` against
 * `current` by more than allowed, or when the comparison cannot be made. No-op for unguarded aliases,
 * a first assignment (no current version), re-pointing to the same version, or `force`.
 */
export function checkRegression(alias: string, current: VersionEntry | undefined, candidate: VersionEntry, metric: AliasMetric | undefined, guard: GuardOptions): void {
  if (!isGuardedAlias(alias) || !current || current.version === candidate.version || guard.force) return
  const override = 'pass --force to move it anyway'
  if (!metric) {
    throw new RecError('INVALID_ARGUMENT', `cannot compare version ${candidate.version} with ${alias} version ${current.version}: no metric is known for alias ${alias}`, {
      hint: `pass --metric NAME, or ${override}`,
    })
  }
  const before = current.metrics[metric.name]
  const after = candidate.metrics[metric.name]
  for (const [entry, value] of [[current, before], [candidate, after]] as const) {
    if (value === undefined) {
      throw new RecError('MISMATCH', `refusing to move ${alias} to version ${candidate.version}: version ${entry.version} has no metric "${metric.name}"`, {hint: override})
    }
  }
  const mode = guard.mode ?? DEFAULT_REGRESSION_MODE
  const max = guard.maxRegression ?? DEFAULT_MAX_REGRESSION
  // Positive = worse, in metric units.
  const worse = metric.lowerIsBetter ? after - before : before - after
  const allowed = mode === 'absolute' ? max : max * Math.abs(before)
  // 1e-12 absorbs float noise, so an allowance of exactly the observed drop passes.
  if (worse > allowed + 1e-12) {
    const relative = before !== 0 ? ` (${fmt((100 * worse) / Math.abs(before))}% worse)` : ''
    throw new RecError(
      'MISMATCH',
      `refusing to move ${alias} from version ${current.version} (${metric.name}=${fmt(before)}) to version ${candidate.version} (${fmt(after)})${relative}: more than --max-regression ${max} ${mode}`,
      {hint: override},
    )
  }
}
