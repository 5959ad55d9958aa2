// The offline runner behind `rec guardrail check`: opens the store, reads the experiments file, enforces each guardrail once.
import {type ConversionSpec, resolveConversion} from '../analytics/conversion.js'
import {readRegistry} from '../registry/read-registry.js'
import {openStore} from '../store/open-store.js'
import {enforceGuardrails, type GuardrailRun} from './guardrail.js'
import {loadConfig} from '../config/load-config.js'
import {MixerConfigSchema} from '../mixer/config.js'
import {loadExperiments} from './config.js'

export interface CheckOptions {
  state: string
  registry: string
  /** The experiments YAML (config/experiments.yaml). */
  experiments: string
  /** Evaluation time in ms (default now). */
  now?: number
  conversion?: Partial<ConversionSpec>
}

export interface CheckResult extends GuardrailRun {
  now: string
  store: string
}

/** Validates the conversion spec, the experiments file and the registry before reading the store; idempotent (see enforceGuardrails). */
export async function checkGuardrails(options: CheckOptions): Promise<CheckResult> {
  const conversion = resolveConversion(options.conversion)
  const now = options.now ?? Date.now()
  await readRegistry(options.registry)
  // the same checks as rec serve --experiments: aliases and versions in the registry, overrides against the mixer
  const {experiments} = await loadExperiments(options.experiments, {registry: options.registry, mixerConfig: await loadConfig(MixerConfigSchema, undefined, {})})
  const store = await openStore({state: options.state}, {mustExist: true})
  try {
    const run = await enforceGuardrails({store, registry: options.registry, experiments, now, conversion})
    return {now: new Date(now).toISOString(), store: store.description, ...run}
  } finally {
    await store.close()
  }
}
