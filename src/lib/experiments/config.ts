// The experiments file (config/experiments.yaml): experiments, their arms and guardrails, parsed once and checked against the registry and the mixer config.
import {z} from 'zod'

import {readYamlMapping} from '../config/load-config.js'
import {formatRecError, isRecError, RecError} from '../errors.js'
import type {MixerConfig} from '../mixer/config.js'
import {applyOverrides, MIXER_OVERRIDES_SHAPE, type MixerOverrides} from '../mixer/overrides.js'
import {findRef, type ModelRef, readRegistry, type Registry} from '../registry/index.js'
import {ALIAS_PATTERN} from '../registry/schema.js'
import {BUCKETS} from './bucket.js'

/** Arm names travel in URLs (?arm=) and log lines; experiment ids also in the bucket string, which is why ":" is out. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/
const NAME_RULE = 'must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit'
const REF_RULE = 'must be a registry alias (a name starting with a letter) or a version number (a positive integer)'
const PERCENT_RULE = 'must be a number from 0 to 100 in steps of 0.01 (a whole number of the 10,000 buckets)'

const modelRef = z.union([z.string().regex(ALIAS_PATTERN, REF_RULE), z.number().int(REF_RULE).positive(REF_RULE)], {error: REF_RULE})
const percent = z
  .number({error: PERCENT_RULE})
  .min(0, PERCENT_RULE)
  .max(100, PERCENT_RULE)
  .refine((p) => Math.abs(p * 100 - Math.round(p * 100)) < 1e-9, PERCENT_RULE)
const ratio = z.number({error: 'must be a number between 0 and 1 (both excluded)'}).gt(0, 'must be a number between 0 and 1 (both excluded)').lt(1, 'must be a number between 0 and 1 (both excluded)')
const atLeastOne = z.number({error: 'must be an integer >= 1'}).int('must be an integer >= 1').min(1, 'must be an integer >= 1')

/** What an arm serves: a retrieval and/or ranking checkpoint from the registry (else the server's own), and mixer overrides. */
const ArmObject = z.strictObject({
  name: z.string({error: NAME_RULE}).regex(NAME, NAME_RULE),
  percent,
  /** A registry alias (followed: the arm reloads when it moves) or a version number. */
  retrieval: modelRef.optional(),
  ranking: modelRef.optional(),
  ...MIXER_OVERRIDES_SHAPE,
})

/** The thresholds the guardrail (its own module) evaluates per arm against the control; here only their ranges. */
export const GuardrailSchema = z.strictObject({
  'min-impressions': atLeastOne,
  'ctr-drop-ratio': ratio,
  'conversion-drop-ratio': ratio,
  days: atLeastOne,
})
export type Guardrail = z.infer<typeof GuardrailSchema>

const ExperimentObject = z.strictObject({
  id: z.string({error: NAME_RULE}).regex(NAME, NAME_RULE),
  salt: z.string({error: 'must be a string (quote a number: "2024")'}).min(1, 'must not be empty'),
  /** In order: the first arm is the control; each holds the next `percent` x 100 buckets. */
  arms: z.array(ArmObject.transform(({name, percent, retrieval, ranking, ...overrides}) => ({name, percent, retrieval, ranking, overrides: overrides as MixerOverrides}))).min(1, 'must list at least one arm'),
  guardrail: GuardrailSchema.optional(),
})

export const ExperimentsFileSchema = z.strictObject({
  experiments: z
    .array(
      ExperimentObject.superRefine(({arms}, ctx) => {
        arms.forEach(({name}, i) => {
          const first = arms.findIndex((arm) => arm.name === name)
          if (first < i) ctx.addIssue({code: 'custom', path: ['arms', i, 'name'], message: `"${name}" is also the name of arms[${first}]; arm names must differ`})
        })
        const buckets = arms.reduce((sum, arm) => sum + Math.round(arm.percent * 100), 0)
        if (buckets !== BUCKETS) {
          const terms = arms.map((arm) => arm.percent).join(' + ')
          ctx.addIssue({code: 'custom', path: ['arms', arms.length - 1, 'percent'], message: `the arms' percents sum to ${buckets / 100} (${terms}); they must sum to 100`})
        }
      }),
    )
    .min(1, 'must list at least one experiment')
    .superRefine((list, ctx) => {
      list.forEach(({id}, i) => {
        const first = list.findIndex((e) => e.id === id)
        if (first < i) ctx.addIssue({code: 'custom', path: [i, 'id'], message: `"${id}" is also the id of experiments[${first}]`})
      })
    }),
})

export interface ExperimentArm {
  name: string
  percent: number
  retrieval?: ModelRef
  ranking?: ModelRef
  overrides: MixerOverrides
  /** The server's mixer config with this arm's overrides applied. */
  mixer: MixerConfig
}

export interface Experiment {
  id: string
  salt: string
  /** The first is the control. */
  arms: ExperimentArm[]
  guardrail?: Guardrail
}

export interface ExperimentsFile {
  path: string
  experiments: Experiment[]
}

export interface LoadExperimentsOptions {
  /** Registry directory the arms' aliases and versions are looked up in; without it an arm naming one is an error. */
  registry?: string
  /** The server's mixer config, which the arms' overrides apply to. */
  mixerConfig: MixerConfig
}

/**
 * Reads and checks `path`: the schema, then every alias and version against the registry (exists, right
 * kind) and every override against the mixer config. Each failure is one line naming the file and the
 * field, e.g. `experiments.yaml: experiments[0].arms[1].percent: the arms' percents sum to 90 ...`.
 * Reads registry.json only; checkpoint hashes are checked when the models load.
 */
export async function loadExperiments(path: string, options: LoadExperimentsOptions): Promise<ExperimentsFile> {
  const parsed = ExperimentsFileSchema.safeParse(await readYamlMapping(path), {reportInput: true})
  if (!parsed.success) throw new RecError('INVALID_ARGUMENT', `${path}: ${describeIssue(firstIssue(parsed.error.issues))}`)
  let registry: Promise<Registry> | undefined
  const at = (field: string, error: unknown): never => {
    if (!isRecError(error)) throw error
    throw new RecError(error.code, `${path}: ${field}: ${formatRecError(error)}`)
  }
  const experiments: Experiment[] = []
  for (const [e, experiment] of parsed.data.experiments.entries()) {
    const arms: ExperimentArm[] = []
    for (const [a, {retrieval, ranking, overrides, ...arm}] of experiment.arms.entries()) {
      const field = `experiments[${e}].arms[${a}]`
      for (const [kind, ref] of [['retrieval', retrieval], ['ranking', ranking]] as const) {
        if (ref === undefined) continue
        const named = typeof ref === 'string' ? `alias "${ref}"` : `version ${ref}`
        if (!options.registry) at(`${field}.${kind}`, new RecError('INVALID_ARGUMENT', `names ${named}, which needs --registry`))
        registry ??= readRegistry(options.registry!)
        try {
          findRef(await registry, ref, options.registry!, kind)
        } catch (error) {
          at(`${field}.${kind}`, error)
        }
      }
      arms.push({...arm, ...(retrieval === undefined ? {} : {retrieval}), ...(ranking === undefined ? {} : {ranking}), overrides: defined(overrides), mixer: overridden(options.mixerConfig, overrides, field, at)})
    }
    experiments.push({id: experiment.id, salt: experiment.salt, arms, ...(experiment.guardrail ? {guardrail: experiment.guardrail} : {})})
  }
  return {path, experiments}
}

/** The one experiment a server serves; a file listing more is refused (the list is for tools that run several). */
export function servedExperiment(file: ExperimentsFile): Experiment {
  if (file.experiments.length === 1) return file.experiments[0]
  throw new RecError('INVALID_ARGUMENT', `${file.path}: experiments: lists ${file.experiments.length} experiments (${file.experiments.map((e) => e.id).join(', ')}); a server serves one`, {hint: 'keep one entry, or start one server per experiment'})
}

/** The mixer config with the arm's overrides; each knob is tried alone first, so that a failure names its own field. */
function overridden(config: MixerConfig, overrides: MixerOverrides, field: string, at: (field: string, error: unknown) => never): MixerConfig {
  for (const [knob, value] of Object.entries(overrides)) {
    if (value === undefined) continue
    const single: [string, MixerOverrides][] = knob === 'quotas' ? Object.entries(value as Record<string, number>).map(([id, quota]) => [`quotas.${id}`, {quotas: {[id]: quota}}]) : [[knob, {[knob]: value}]]
    for (const [name, one] of single) {
      try {
        applyOverrides(config, one)
      } catch (error) {
        at(`${field}.${name}`, error)
      }
    }
  }
  return applyOverrides(config, overrides)
}

function defined(overrides: MixerOverrides): MixerOverrides {
  return Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined))
}

/** `experiments[0].arms[1].percent` from zod's ['experiments', 0, 'arms', 1, 'percent']. */
function fieldOf(path: readonly PropertyKey[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`)).join('')
}

const KEYS = {file: Object.keys(ExperimentsFileSchema.shape), experiment: Object.keys(ExperimentObject.shape), arm: Object.keys(ArmObject.shape), guardrail: Object.keys(GuardrailSchema.shape)}

/** The keys an object at `path` may hold, for an unknown-key message. */
function knownKeys(path: readonly PropertyKey[]): string[] {
  if (path.length === 0) return KEYS.file
  if (path.at(-1) === 'guardrail') return KEYS.guardrail
  return path.at(-2) === 'arms' ? KEYS.arm : KEYS.experiment
}

/** The first issue, except that a missing key beside an unknown one is a misspelling: the unknown key names it. */
function firstIssue(issues: z.core.$ZodIssue[]): z.core.$ZodIssue {
  const first = issues[0]
  if (first.input !== undefined || first.code === 'custom') return first
  const parent = first.path.slice(0, -1).join('.')
  return issues.find((issue) => issue.code === 'unrecognized_keys' && issue.path.join('.') === parent) ?? first
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `${fieldOf([...issue.path, issue.keys[0]])}: unknown key (known: ${knownKeys(issue.path).join(', ')})`
  const field = issue.path.length > 0 ? fieldOf(issue.path) : 'file'
  if (issue.input === undefined && issue.code !== 'custom') return `${field}: is required`
  return `${field}: ${issue.message}`
}
