// TEMPORARY: a minimal reader of the experiments file for `rec guardrail check`, until config.ts's loadExperiments replaces it.
import {z} from 'zod'

import {loadConfig} from '../config/load-config.js'
import type {GuardedExperiment} from './guardrail.js'

const RATIO = 'must be a number between 0 and 1 (both excluded)'
const AT_LEAST_ONE = 'must be an integer >= 1'
const REF = z.union([z.string().min(1), z.number().int().positive()])

// Only what the guardrail reads; every other key (salt, percent, mixer overrides) passes unchecked.
const FileSchema = z.looseObject({
  experiments: z
    .array(
      z.looseObject({
        id: z.string().min(1),
        arms: z.array(z.looseObject({name: z.string().min(1), retrieval: REF.optional(), ranking: REF.optional()})).min(1),
        guardrail: z
          .strictObject({
            'min-impressions': z.number().int(AT_LEAST_ONE).min(1, AT_LEAST_ONE),
            'ctr-drop-ratio': z.number().gt(0, RATIO).lt(1, RATIO),
            'conversion-drop-ratio': z.number().gt(0, RATIO).lt(1, RATIO),
            days: z.number().int(AT_LEAST_ONE).min(1, AT_LEAST_ONE),
          })
          .optional(),
      }),
    )
    .min(1, 'must list at least one experiment'),
})

/**
 * TEMPORARY (swap for `loadExperiments(path, {registry, mixerConfig})` from ./config.ts once it is
 * merged; its Experiment satisfies GuardedExperiment): the experiments of `path`, first arm = control.
 * Errors are one line naming the file and key (INVALID_ARGUMENT), NOT_FOUND for a missing file.
 */
export async function readExperimentsFileTemporary(path: string): Promise<GuardedExperiment[]> {
  const file = await loadConfig(FileSchema, path, {})
  return file.experiments.map((e) => ({
    id: e.id,
    arms: e.arms.map((a) => ({name: a.name, ...(a.retrieval === undefined ? {} : {retrieval: a.retrieval}), ...(a.ranking === undefined ? {} : {ranking: a.ranking})})),
    ...(e.guardrail ? {guardrail: e.guardrail} : {}),
  }))
}
