// Resolves what an experiment arm names, an alias or a version number, to a registered checkpoint of the kind it needs.
import type {CheckpointKind} from '../checkpoint/manifest.js'
import {RecError} from '../errors.js'
import {getAlias, getVersion} from './lookup.js'
import {readRegistry} from './read-registry.js'
import type {Registry, VersionEntry} from './schema.js'
import {verifyEntry} from './verify-entry.js'

/** An alias (followed: it may move) or a version number (fixed). */
export type ModelRef = string | number

export interface ResolvedRef {
  /** Set when the ref is an alias. */
  alias?: string
  version: number
  /** Absolute checkpoint directory. */
  path: string
  entry: VersionEntry
}

/** The entry `ref` names in a parsed registry: NOT_FOUND for an unknown alias or version, MISMATCH for a checkpoint of another kind. */
export function findRef(registry: Registry, ref: ModelRef, registryDir: string, kind: CheckpointKind): ResolvedRef {
  const alias = typeof ref === 'string' ? ref : undefined
  const entry = alias === undefined ? getVersion(registry, ref as number, registryDir) : registry.versions[getAlias(registry, alias, registryDir).version - 1]
  if (entry.kind !== kind) {
    const what = alias === undefined ? `version ${entry.version}` : `alias "${alias}" (version ${entry.version})`
    throw new RecError('MISMATCH', `${what} is a ${entry.kind} checkpoint, not a ${kind} one`, {hint: `name a registered ${kind} checkpoint`})
  }
  return {...(alias === undefined ? {} : {alias}), version: entry.version, path: entry.path, entry}
}

/** `ref` resolved in the registry at `registryDir`, its files checked against the registered hash. */
export async function resolveRef(registryDir: string, ref: ModelRef, kind: CheckpointKind): Promise<ResolvedRef> {
  const resolved = findRef(await readRegistry(registryDir), ref, registryDir, kind)
  await verifyEntry(resolved.entry)
  return resolved
}
