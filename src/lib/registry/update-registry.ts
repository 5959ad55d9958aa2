// Read-modify-write of registry.json under registry.lock, written atomically (temp file + rename).
import {mkdir} from 'node:fs/promises'
import {join, resolve} from 'node:path'

import {RecError} from '../errors.js'
import {writeFileAtomic} from '../io/atomic.js'
import {type LockOptions, withFileLock} from './file-lock.js'
import {readRegistry} from './read-registry.js'
import {LOCK_FILE, type Registry, REGISTRY_FILE, RegistrySchema} from './schema.js'

export interface UpdateOptions extends LockOptions {
  /** Create the directory and an empty registry when absent (register only; other edits need one). */
  create?: boolean
}

/** The exact bytes of registry.json for a registry. */
export function serializeRegistry(registry: Registry): string {
  return JSON.stringify(registry, null, 2) + '\n'
}

/**
 * Runs `mutate` on a freshly read registry while holding the lock, so two writers at once never lose
 * an update. `mutate` edits the registry in place and returns its result; if it changed nothing the
 * file is not rewritten, otherwise `revision` is bumped. A throw from the read or from `mutate`
 * leaves the file as it was.
 */
export async function updateRegistry<T>(dir: string, mutate: (registry: Registry) => T | Promise<T>, options: UpdateOptions = {}): Promise<T> {
  const root = resolve(dir)
  if (options.create) {
    await mkdir(root, {recursive: true}).catch((error: Error) => {
      throw new RecError('INVALID_ARGUMENT', `cannot create registry directory ${root} (${error.message})`, {cause: error})
    })
  } else {
    await readRegistry(dir)
  }
  return withFileLock(
    join(root, LOCK_FILE),
    async () => {
      const registry = await readRegistry(dir, {allowMissing: options.create})
      const before = serializeRegistry(registry)
      const result = await mutate(registry)
      if (serializeRegistry(registry) !== before) {
        registry.revision += 1
        // Never write a file the next read would reject; a failure here is a bug, not bad input.
        RegistrySchema.parse(registry)
        await writeFileAtomic(join(root, REGISTRY_FILE), serializeRegistry(registry))
      }
      return result
    },
    options,
  )
}
