// Reads registry.json without a lock (writes are atomic renames, so a reader sees a whole file).
import {readFile} from 'node:fs/promises'
import {join, resolve} from 'node:path'

import {RecError} from '../errors.js'
import {emptyRegistry, type Registry, REGISTRY_FILE, RegistrySchema} from './schema.js'

export interface ReadRegistryOptions {
  /** Return an empty registry instead of failing when registry.json does not exist yet. */
  allowMissing?: boolean
}

const LEFT_ALONE = 'the file was left untouched; fix or restore it by hand'

/**
 * Parses `<dir>/registry.json` once with zod. Cheap and lock-free, so a server may poll it:
 * compare `revision` (bumped on every write) or an alias's version between two reads.
 * A corrupted file throws BAD_DATA / BAD_SCHEMA naming the file and field; nothing ever rewrites it.
 */
export async function readRegistry(dir: string, options: ReadRegistryOptions = {}): Promise<Registry> {
  const path = join(resolve(dir), REGISTRY_FILE)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' && options.allowMissing) return emptyRegistry()
    if (code === 'ENOENT') {
      throw new RecError('NOT_FOUND', `registry ${dir} has no ${REGISTRY_FILE}`, {hint: 'register a checkpoint first: rec promote register CKPT --registry ' + dir})
    }
    throw new RecError('NOT_FOUND', `cannot read ${path}: ${(error as Error).message}`, {cause: error})
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    // V8 quotes the text around the fault, newlines included: keep the error on one line.
    const why = (error as Error).message.replace(/\s+/g, ' ')
    throw new RecError('BAD_DATA', `${path} is not valid JSON (${why})`, {hint: LEFT_ALONE, cause: error})
  }
  const parsed = RegistrySchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = issue.path.length > 0 ? `field "${issue.path.join('.')}" ` : ''
    throw new RecError('BAD_SCHEMA', `${path}: ${field}${issue.message}`, {hint: LEFT_ALONE})
  }
  return parsed.data
}
