// Resolves an alias to its checkpoint directory, refusing a checkpoint whose files changed.
import {assertAliasName, getAlias} from './lookup.js'
import {readRegistry} from './read-registry.js'
import type {VersionEntry} from './schema.js'
import {verifyEntry} from './verify-entry.js'

export interface ResolvedAlias {
  alias: string
  version: number
  /** Absolute checkpoint directory. */
  path: string
  entry: VersionEntry
  /** registry.json revision the answer was read from. */
  revision: number
}

export interface ResolveOptions {
  /** Re-hash the checkpoint (default true); false skips it for a caller that has just verified it. */
  verify?: boolean
}

/** NOT_FOUND for an unknown alias, MISMATCH / NOT_FOUND if the checkpoint changed or vanished. */
export async function resolveAlias(registryDir: string, alias: string, options: ResolveOptions = {}): Promise<ResolvedAlias> {
  assertAliasName(alias)
  const registry = await readRegistry(registryDir)
  const state = getAlias(registry, alias, registryDir)
  const entry = registry.versions[state.version - 1]
  if (options.verify ?? true) await verifyEntry(entry)
  return {alias, version: entry.version, path: entry.path, entry, revision: registry.revision}
}
