// Points an alias at a version chosen by `pick`: verifies its content, applies the guardrail, keeps history.
import {checkGuardOptions, checkRegression, type GuardOptions} from './guardrail.js'
import {assertAliasName} from './lookup.js'
import {readRegistry} from './read-registry.js'
import type {AliasMetric, Registry, VersionEntry} from './schema.js'
import {updateRegistry} from './update-registry.js'
import {verifyEntry} from './verify-entry.js'

export interface MoveOptions extends GuardOptions {
  /** Metric for the guardrail, remembered on the alias for later moves; defaults to the remembered one. */
  metric?: AliasMetric
  lockTimeoutMs?: number
}

export interface MoveResult {
  alias: string
  version: number
  /** The version the alias pointed at before, if any. */
  previous?: number
  /** False when the alias already pointed at this version (only a newly given metric is recorded). */
  changed: boolean
  entry: VersionEntry
}

/**
 * Moves `alias` to `pick(registry)`. The target is hashed before taking the lock (hashing a large
 * checkpoint must not block other writers); under the lock the choice is made again on the fresh
 * registry and, if it changed meanwhile, the new target is verified too.
 */
export async function moveAlias(registryDir: string, alias: string, pick: (registry: Registry) => VersionEntry, options: MoveOptions = {}): Promise<MoveResult> {
  assertAliasName(alias)
  checkGuardOptions(options)
  const first = pick(await readRegistry(registryDir))
  await verifyEntry(first)
  return updateRegistry(
    registryDir,
    async (registry) => {
      const target = pick(registry)
      if (target.version !== first.version || target.hash !== first.hash) await verifyEntry(target)
      const state = Object.hasOwn(registry.aliases, alias) ? registry.aliases[alias] : undefined
      const metric = options.metric ?? state?.metric
      if (state?.version === target.version) {
        if (options.metric) state.metric = options.metric
        return {alias, version: target.version, previous: state.history.at(-1), changed: false, entry: target}
      }
      const current = state ? registry.versions[state.version - 1] : undefined
      checkRegression(alias, current, target, metric, options)
      registry.aliases[alias] = {
        version: target.version,
        history: state ? [...state.history, state.version] : [],
        ...(metric ? {metric} : {}),
        updatedAt: new Date().toISOString(),
        ...(state?.events ? {events: state.events} : {}),
      }
      return {alias, version: target.version, previous: state?.version, changed: true, entry: target}
    },
    {timeoutMs: options.lockTimeoutMs},
  )
}
