// Finds a version or an alias in a parsed registry, or throws one line saying what exists instead.
import {RecError} from '../errors.js'
import {ALIAS_PATTERN, type AliasState, type Registry, type VersionEntry} from './schema.js'

/** Parses a version number as typed on a command line: a positive integer, nothing else. */
export function parseVersion(text: string): number {
  if (!/^\s*\d+\s*$/.test(text) || Number(text) < 1) {
    throw new RecError('INVALID_ARGUMENT', `version "${text}" is not a positive integer`, {hint: 'see rec promote list'})
  }
  return Number(text)
}

export function getVersion(registry: Registry, version: number, registryDir: string): VersionEntry {
  const entry = Number.isInteger(version) ? registry.versions[version - 1] : undefined
  if (!entry) {
    const range = registry.versions.length === 0 ? 'none are registered' : `registered: 1..${registry.versions.length}`
    throw new RecError('NOT_FOUND', `version ${version} is not in registry ${registryDir} (${range})`)
  }
  return entry
}

export function getAlias(registry: Registry, alias: string, registryDir: string): AliasState {
  const state = Object.hasOwn(registry.aliases, alias) ? registry.aliases[alias] : undefined
  if (!state) {
    const names = Object.keys(registry.aliases).sort()
    const known = names.length === 0 ? 'no aliases are set' : `aliases: ${names.join(', ')}`
    throw new RecError('NOT_FOUND', `alias "${alias}" is not set in registry ${registryDir} (${known})`)
  }
  return state
}

export function assertAliasName(alias: string): void {
  if (!ALIAS_PATTERN.test(alias)) {
    throw new RecError('INVALID_ARGUMENT', `alias "${alias}" is not a valid name`, {hint: 'start with a letter; then letters, digits, ".", "_" or "-", at most 64 characters'})
  }
}
