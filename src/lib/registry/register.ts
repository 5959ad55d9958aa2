// Registers a checkpoint directory as the next version; the same content registered again keeps its version.
import {stat} from 'node:fs/promises'
import {join, resolve} from 'node:path'

import {readCheckpointManifest, WEIGHTS_FILE} from '../checkpoint/checkpoint-io.js'
import {RecError} from '../errors.js'
import {hashCheckpointDir} from './content-hash.js'
import type {VersionEntry} from './schema.js'
import {updateRegistry} from './update-registry.js'

export interface RegisterOptions {
  lockTimeoutMs?: number
}

export interface RegisterResult {
  entry: VersionEntry
  /** False when a version with the same content hash already existed (that version is returned). */
  created: boolean
}

async function assertCheckpointDir(dir: string): Promise<void> {
  const st = await stat(dir).catch(() => undefined)
  if (!st?.isDirectory()) throw new RecError('NOT_FOUND', `checkpoint directory ${dir} does not exist`, {hint: 'train one with rec train retrieval|ranking'})
  const weights = await stat(join(dir, WEIGHTS_FILE)).catch(() => undefined)
  if (!weights?.isFile()) throw new RecError('NOT_FOUND', `${join(dir, WEIGHTS_FILE)} is missing: ${dir} is not a complete checkpoint`)
}

/**
 * Records `checkpointDir` (absolute path, kind, arch, val metrics, created_at, content hash) in the
 * registry at `registryDir`, creating it if needed. Versions count 1, 2, 3 ... per registry.
 * The hash is computed before taking the lock so a large weights file does not block other writers.
 */
export async function registerCheckpoint(registryDir: string, checkpointDir: string, options: RegisterOptions = {}): Promise<RegisterResult> {
  const dir = resolve(checkpointDir)
  await assertCheckpointDir(dir)
  const manifest = await readCheckpointManifest(dir)
  const content = await hashCheckpointDir(dir)
  return updateRegistry(
    registryDir,
    (registry) => {
      const existing = registry.versions.find((v) => v.hash === content.hash)
      if (existing) return {entry: existing, created: false}
      const entry: VersionEntry = {
        version: registry.versions.length + 1,
        path: dir,
        kind: manifest.kind,
        arch: manifest.arch,
        metrics: manifest.metrics,
        createdAt: manifest.createdAt,
        registeredAt: new Date().toISOString(),
        ...content,
      }
      registry.versions.push(entry)
      return {entry, created: true}
    },
    {create: true, timeoutMs: options.lockTimeoutMs},
  )
}
