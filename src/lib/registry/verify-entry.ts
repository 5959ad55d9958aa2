// Re-hashes a registered checkpoint and refuses it if its files changed since registration.
import {RecError} from '../errors.js'
import {hashCheckpointDir} from './content-hash.js'
import type {VersionEntry} from './schema.js'

/** Throws NOT_FOUND if the directory is gone, MISMATCH if its content hash differs from the registered one. */
export async function verifyEntry(entry: VersionEntry): Promise<void> {
  let actual: string
  try {
    actual = (await hashCheckpointDir(entry.path)).hash
  } catch (error) {
    const gone = (error instanceof RecError && error.code === 'NOT_FOUND') || (error as NodeJS.ErrnoException).code === 'ENOENT'
    const what = gone ? 'no longer exists' : `cannot be read (${(error as Error).message})`
    throw new RecError('NOT_FOUND', `checkpoint ${entry.path} of version ${entry.version} ${what}`, {
      hint: 'restore it, or register and promote another version',
      cause: error,
    })
  }
  if (actual !== entry.hash) {
    throw new RecError('MISMATCH', `checkpoint ${entry.path} of version ${entry.version} changed since it was registered (${actual.slice(0, 19)} != ${entry.hash.slice(0, 19)})`, {
      hint: 'register the changed directory as a new version, or restore the original files',
    })
  }
}
