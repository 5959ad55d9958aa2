// Paired comparison of two models on the same users: per-metric delta (B - A) with a bootstrap CI and p-value.
import {RecError} from '../errors.js'
import {type BootstrapResult, pairedBootstrap} from '../metrics/bootstrap.js'
import type {ModelEvaluation} from './evaluate-model.js'

export interface Comparison {
  a: string
  b: string
  resamples: number
  confidence: number
  seed: number
  /** Every per-user metric both models have; coverage@K (no per-user value) is compared in the metric table only. */
  metrics: Record<string, BootstrapResult>
}

/** `only`: compare these metrics alone (default every per-user metric both models have). */
export function compareModels(a: {key: string; evaluation: ModelEvaluation}, b: {key: string; evaluation: ModelEvaluation}, options: {seed: number; resamples: number; confidence: number; only?: readonly string[]}): Comparison {
  const metrics: Record<string, BootstrapResult> = {}
  for (const name of options.only ?? Object.keys(a.evaluation.perUser)) {
    const valuesA = a.evaluation.perUser[name]
    const valuesB = b.evaluation.perUser[name]
    if (!valuesA || !valuesB) continue
    if (valuesA.length !== valuesB.length) throw new RecError('MISMATCH', `compare: ${name} has ${valuesA.length} users for ${a.key} but ${valuesB.length} for ${b.key}`)
    metrics[name] = pairedBootstrap(valuesA, valuesB, {seed: options.seed, resamples: options.resamples, confidence: options.confidence})
  }
  return {a: a.key, b: b.key, resamples: options.resamples, confidence: options.confidence, seed: options.seed, metrics}
}
