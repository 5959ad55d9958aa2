// Persona presets (config/personas.yaml): each a small change to the shared response model's coefficients or to a user's interests.
import {fileURLToPath} from 'node:url'

import {z} from 'zod'

import {loadConfig} from '../config/load-config.js'
import {BEHAVIOUR, DEFAULT_MODEL, type ResponseModel} from '../dataset/synthetic/behaviour.js'
import {RecError} from '../errors.js'

/** The presets shipped with rec (the default of --personas-config). */
export const DEFAULT_PERSONAS_FILE = fileURLToPath(new URL('../../../config/personas.yaml', import.meta.url))

const coefficient = z.number().finite()
const COEFFICIENTS = z.strictObject(Object.fromEntries(Object.keys(BEHAVIOUR).map((key) => [key, coefficient.optional()])) as Record<keyof typeof BEHAVIOUR, z.ZodOptional<typeof coefficient>>)

const PersonaSchema = z.strictObject({
  description: z.string().default(''),
  /** Share of the other topics' interest moved to the user's top topic, in [0, 1]. */
  focus: z.number().min(0).max(1).default(0),
  /** Attraction logit lost per earlier slot of the same true topic shown in this session. */
  'repeat-fatigue': z.number().min(0).max(10).default(0),
  'examine-slots': z.number().int().min(1).optional(),
  'unsafe-hide': z.number().min(0).max(1).default(0),
  coefficients: COEFFICIENTS.default({}),
})

export const PersonasFileSchema = z.strictObject({
  personas: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), PersonaSchema).refine((p) => Object.keys(p).length > 0, 'at least one persona'),
  default: z.array(z.string()).optional(),
})

/** A persona ready to simulate: its response model and how it reshapes a user's interests. */
export interface Persona {
  name: string
  description: string
  model: Readonly<ResponseModel>
  focus: number
  repeatFatigue: number
}

function toPersona(name: string, p: z.infer<typeof PersonaSchema>): Persona {
  const model: ResponseModel = {...DEFAULT_MODEL, ...(p.coefficients as Partial<ResponseModel>), unsafeHide: p['unsafe-hide'], examineSlots: p['examine-slots'] ?? Infinity}
  return {name, description: p.description, model: Object.freeze(model), focus: p.focus, repeatFatigue: p['repeat-fatigue']}
}

/**
 * The personas named in `names` (comma-separated list already split; empty: the file's `default`, else all of them),
 * from `file` (default config/personas.yaml). An unknown name is INVALID_ARGUMENT naming the known ones.
 */
export async function loadPersonas(names: string[] = [], file: string = DEFAULT_PERSONAS_FILE): Promise<Persona[]> {
  const parsed = await loadConfig(PersonasFileSchema, file, {})
  const known = Object.keys(parsed.personas)
  const chosen = names.length > 0 ? names : (parsed.default ?? known)
  const unknown = chosen.find((name) => !parsed.personas[name])
  if (unknown !== undefined) throw new RecError('INVALID_ARGUMENT', `unknown persona "${unknown}" (in ${file}: ${known.join(', ')})`, {hint: 'pass --personas with names from that file'})
  if (new Set(chosen).size !== chosen.length) throw new RecError('INVALID_ARGUMENT', `--personas names a persona twice: ${chosen.join(',')}`)
  return chosen.map((name) => toPersona(name, parsed.personas[name]))
}

/** The user's interests as the persona holds them: `focus` of every other topic's weight moved to the top one (rows still sum to 1). */
export function personaInterest(persona: Persona, interest: Float32Array): Float32Array {
  const out = Float32Array.from(interest)
  if (persona.focus === 0 || out.length === 0) return out
  let top = 0
  for (let z = 1; z < out.length; z++) if (out[z] > out[top]) top = z
  let moved = 0
  for (let z = 0; z < out.length; z++) {
    if (z === top) continue
    const take = out[z] * persona.focus
    out[z] -= take
    moved += take
  }
  out[top] += moved
  return out
}
