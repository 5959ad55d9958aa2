// The plain-value knobs of `rec eval` as a zod schema (its flags are derived from it), and their reading into EvalOptions.
import {z} from 'zod'

import {RecError} from '../errors.js'
import {DEFAULT_KS} from './check-options.js'
import type {EvalProtocol} from './evaluate-model.js'
import type {ModelSpec} from './model-spec.js'
import type {EvalOptions} from './run-eval.js'

/** Each value's own range; checkEvalOptions checks them against the catalogue and each other (K <= candidates, sampled lists). */
export const EvalSettingsSchema = z
  .object({
    split: z.enum(['test', 'val']).default('test').describe('Held-out split to evaluate.'),
    // no schema default: the default Ks are cut to the catalogue (checkEvalOptions)
    k: z
      .array(z.number().int().positive())
      .optional()
      .describe(`Comma-separated list lengths K [default: ${DEFAULT_KS.join(',')}, those within the catalogue].`),
    protocol: z.string().default('full').describe('full, or sampled:N (N random negatives per target).'),
    candidates: z.number().int().min(1).default(200).describe('Retrieval candidates per user the ranker re-ranks, at least the longest K.'),
    seed: z.number().int().default(42).describe('Seed of the random baseline, sampled negatives and bootstrap.'),
    resamples: z.number().int().min(1).default(1000).describe('Bootstrap resamples for --compare.'),
  })
  .strict()

export type EvalSettings = z.infer<typeof EvalSettingsSchema>

/** "full" or "sampled:N" (N random negatives per target). */
export function parseProtocol(text: string): EvalProtocol {
  if (text === 'full') return {kind: 'full'}
  const match = /^sampled:(\d+)$/.exec(text)
  if (!match || Number(match[1]) < 1) throw new RecError('INVALID_ARGUMENT', `--protocol: "${text}" is neither full nor sampled:N with N >= 1`, {hint: 'e.g. --protocol sampled:100'})
  return {kind: 'sampled', negatives: Number(match[1])}
}

/** Settings plus what to evaluate -> runEval's options; `ranker` is the ranking checkpoint of a second stage, if any. */
export function toEvalOptions(settings: EvalSettings, target: {dataset: string; models: ModelSpec[]; ranker?: string}): EvalOptions {
  return {
    dataset: target.dataset,
    models: target.models,
    split: settings.split,
    ks: settings.k,
    protocol: parseProtocol(settings.protocol),
    seed: settings.seed,
    resamples: settings.resamples,
    ranker: target.ranker === undefined ? undefined : {path: target.ranker, candidates: settings.candidates},
  }
}
