// `promote best`: points an alias at the registered version of a kind with the best value of a metric.
import type {CheckpointKind} from '../checkpoint/manifest.js'
import {RecError} from '../errors.js'
import type {GuardOptions} from './guardrail.js'
import {type MoveResult, moveAlias} from './move-alias.js'
import type {Registry, VersionEntry} from './schema.js'

export interface BestOptions extends GuardOptions {
  kind: CheckpointKind
  /** Flat metric key as in the checkpoint manifest, e.g. "val.ndcg@10". */
  metric: string
  /** For loss-like metrics. */
  lowerIsBetter?: boolean
  lockTimeoutMs?: number
}

/** The best version of `kind` by `metric`; on a tie the earliest wins, so a re-run never churns the alias. */
export function pickBest(registry: Registry, registryDir: string, options: Pick<BestOptions, 'kind' | 'metric' | 'lowerIsBetter'>): VersionEntry {
  const sign = options.lowerIsBetter ? -1 : 1
  let best: VersionEntry | undefined
  for (const entry of registry.versions) {
    const value = entry.metrics[options.metric]
    if (entry.kind !== options.kind || value === undefined) continue
    if (!best || sign * value > sign * best.metrics[options.metric]) best = entry
  }
  if (!best) {
    const ofKind = registry.versions.filter((v) => v.kind === options.kind)
    const seen = [...new Set(ofKind.flatMap((v) => Object.keys(v.metrics)))].sort()
    const detail = ofKind.length === 0 ? `no ${options.kind} versions are registered` : `metrics seen: ${seen.join(', ') || 'none'}`
    throw new RecError('NOT_FOUND', `no ${options.kind} version in registry ${registryDir} has metric "${options.metric}" (${detail})`)
  }
  return best
}

/** Moves `alias` to pickBest(...) and remembers the metric on the alias for the guardrail of later moves. */
export async function promoteBest(registryDir: string, alias: string, options: BestOptions): Promise<MoveResult> {
  return moveAlias(registryDir, alias, (registry) => pickBest(registry, registryDir, options), {
    ...options,
    metric: {name: options.metric, lowerIsBetter: Boolean(options.lowerIsBetter)},
  })
}
