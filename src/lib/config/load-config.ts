// YAML config files parsed once with zod; unknown keys are errors, flags override file values.
import {readFile} from 'node:fs/promises'
import {parse as parseYaml} from 'yaml'
import type {z} from 'zod'

import {RecError} from '../errors.js'

/**
 * Reads `path` (optional), overlays `overrides` (flags that were given), and validates with `schema`.
 * Errors name the file and the key.
 */
export async function loadConfig<S extends z.ZodType>(schema: S, path: string | undefined, overrides: Record<string, unknown>): Promise<z.infer<S>> {
  const fromFile = path ? await readYamlMapping(path) : {}
  const merged = {...fromFile}
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) merged[key] = value
  const result = schema.safeParse(merged)
  if (!result.success) {
    const issue = result.error.issues[0]
    const where = path ? `${path}: ` : ''
    if (issue.code === 'unrecognized_keys') {
      throw new RecError('INVALID_ARGUMENT', `${where}unknown config key "${issue.keys.join('", "')}"`)
    }
    throw new RecError('INVALID_ARGUMENT', `${where}config key "${issue.path.join('.')}": ${issue.message}`)
  }
  return result.data
}

/** The YAML mapping in `path`: NOT_FOUND for a missing file, BAD_DATA for a syntax error, BAD_SCHEMA for a non-mapping; each one line naming the file. */
export async function readYamlMapping(path: string): Promise<Record<string, unknown>> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    throw new RecError('NOT_FOUND', `config file ${path} does not exist`)
  }
  let parsed: unknown
  try {
    parsed = parseYaml(text)
  } catch (error) {
    throw new RecError('BAD_DATA', `${path}: not valid YAML: ${(error as Error).message.split('\n')[0]}`)
  }
  if (parsed !== null && parsed !== undefined && (typeof parsed !== 'object' || Array.isArray(parsed))) {
    throw new RecError('BAD_SCHEMA', `${path}: expected a mapping of keys to values`)
  }
  return (parsed ?? {}) as Record<string, unknown>
}
