// `promote list`: every version with the aliases pointing at it.
import {readRegistry} from './read-registry.js'
import type {AliasState, VersionEntry} from './schema.js'

export interface ListedVersion extends VersionEntry {
  /** Aliases currently pointing at this version, sorted. */
  aliases: string[]
}

export interface RegistryListing {
  revision: number
  versions: ListedVersion[]
  aliases: Record<string, AliasState>
}

/** Reads the registry (no lock, no hashing) and joins aliases onto versions. */
export async function listRegistry(registryDir: string): Promise<RegistryListing> {
  const registry = await readRegistry(registryDir)
  const byVersion = new Map<number, string[]>()
  for (const name of Object.keys(registry.aliases).sort()) {
    const v = registry.aliases[name].version
    byVersion.set(v, [...(byVersion.get(v) ?? []), name])
  }
  return {
    revision: registry.revision,
    versions: registry.versions.map((entry) => ({...entry, aliases: byVersion.get(entry.version) ?? []})),
    aliases: registry.aliases,
  }
}
