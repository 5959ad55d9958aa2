// `promote rollback`: moves an alias back to the version it pointed at before its last move.
import {RecError} from '../errors.js'
import {assertAliasName, getAlias} from './lookup.js'
import {readRegistry} from './read-registry.js'
import type {AliasEvent, Registry, VersionEntry} from './schema.js'
import {updateRegistry} from './update-registry.js'
import {verifyEntry} from './verify-entry.js'

export interface RollbackResult {
  alias: string
  version: number
  /** The version the alias pointed at before the rollback. */
  from: number
  /** Versions still available to further rollbacks, oldest first. */
  history: number[]
  entry: VersionEntry
  /** What was appended to the alias's events. */
  event: AliasEvent
}

export interface RollbackOptions {
  lockTimeoutMs?: number
  /** Recorded with the rollback in the alias's events. */
  reason?: string
  /** Figures recorded with it (JSON values). */
  details?: Record<string, unknown>
}

function previousEntry(registry: Registry, alias: string, registryDir: string): VersionEntry {
  const state = getAlias(registry, alias, registryDir)
  const version = state.history.at(-1)
  if (version === undefined) {
    throw new RecError('NOT_FOUND', `alias "${alias}" has no earlier version to roll back to (it points at version ${state.version})`, {
      hint: 'use rec promote set to point it elsewhere',
    })
  }
  return registry.versions[version - 1]
}

/**
 * Pops the alias's history: the version it leaves is dropped, so two rollbacks in a row walk back two
 * moves (v1 -> v2 -> v3, rollback -> v2, rollback -> v1). The guardrail does not apply (the target
 * held this alias before); the content-hash check does. Each rollback appends an event (when, from,
 * to, and the optional reason and details) to the alias's `events`.
 */
export async function rollbackAlias(registryDir: string, alias: string, options: RollbackOptions = {}): Promise<RollbackResult> {
  assertAliasName(alias)
  const first = previousEntry(await readRegistry(registryDir), alias, registryDir)
  await verifyEntry(first)
  return updateRegistry(
    registryDir,
    async (registry) => {
      const target = previousEntry(registry, alias, registryDir)
      if (target.version !== first.version) await verifyEntry(target)
      const state = registry.aliases[alias]
      const from = state.version
      state.history.pop()
      state.version = target.version
      state.updatedAt = new Date().toISOString()
      const event: AliasEvent = {at: state.updatedAt, action: 'rollback', from, to: target.version, ...(options.reason === undefined ? {} : {reason: options.reason}), ...(options.details === undefined ? {} : {details: options.details})}
      state.events = [...(state.events ?? []), event]
      return {alias, version: target.version, from, history: [...state.history], entry: target, event}
    },
    {timeoutMs: options.lockTimeoutMs},
  )
}
