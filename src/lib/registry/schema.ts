// registry.json of a registry directory (ARCHITECTURE section 4): versions, aliases, alias history and rollback events.
import {z} from 'zod'

import {CheckpointKindSchema} from '../checkpoint/manifest.js'

export const REGISTRY_FORMAT = 'rec-registry/1'
export const REGISTRY_FILE = 'registry.json'
export const LOCK_FILE = 'registry.lock'

/** Letters first so an alias can never be mistaken for a version number on the command line. */
export const ALIAS_PATTERN = /^[A-Za-z][A-Za-z0-9._-]{0,63}$/

export const ContentHashSchema = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be "sha256:" + 64 hex digits')

/** One registered checkpoint; entries are never edited or removed once written. */
export const VersionEntrySchema = z.object({
  version: z.number().int().positive(),
  /** Absolute path of the checkpoint directory. */
  path: z.string().min(1),
  kind: CheckpointKindSchema,
  arch: z.string(),
  /** Flat val metrics from the checkpoint manifest ("val.ndcg@10": 0.12). */
  metrics: z.record(z.string(), z.number()),
  /** The checkpoint's own created_at (manifest.createdAt). */
  createdAt: z.string(),
  registeredAt: z.string(),
  /** sha256 over every file of the directory, sorted by relative path (see content-hash.ts). */
  hash: ContentHashSchema,
  files: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
})
export type VersionEntry = z.infer<typeof VersionEntrySchema>

/** The metric an alias was last moved by, so a later `set` can apply the same guardrail. */
export const AliasMetricSchema = z.object({name: z.string().min(1), lowerIsBetter: z.boolean()})
export type AliasMetric = z.infer<typeof AliasMetricSchema>

/** One recorded move of an alias with why it was made: every rollback (by hand or by an experiment guardrail) appends one. */
export const AliasEventSchema = z.object({
  at: z.string(),
  action: z.literal('rollback'),
  from: z.number().int().positive(),
  to: z.number().int().positive(),
  /** Why, in words ("guardrail home/treatment: ctr 0.0500 < 0.0900 = control 0.1000 x (1 - 0.1)"). */
  reason: z.string().optional(),
  /** The figures behind it (a guardrail's per-arm counts and rates). */
  details: z.record(z.string(), z.unknown()).optional(),
})
export type AliasEvent = z.infer<typeof AliasEventSchema>

export const AliasStateSchema = z.object({
  version: z.number().int().positive(),
  /** Versions the alias pointed at before, oldest first; rollback pops the last one. */
  history: z.array(z.number().int().positive()),
  metric: AliasMetricSchema.optional(),
  updatedAt: z.string(),
  /** Rollbacks of this alias, oldest first; absent in registries written before it existed. */
  events: z.array(AliasEventSchema).optional(),
})
export type AliasState = z.infer<typeof AliasStateSchema>

export const RegistrySchema = z
  .object({
    format: z.literal(REGISTRY_FORMAT),
    /** Bumped on every write: a poller compares it to notice any change. */
    revision: z.number().int().nonnegative(),
    versions: z.array(VersionEntrySchema),
    aliases: z.record(z.string().regex(ALIAS_PATTERN, 'is not a valid alias name'), AliasStateSchema),
  })
  .superRefine((registry, ctx) => {
    registry.versions.forEach((entry, i) => {
      if (entry.version !== i + 1) {
        ctx.addIssue({code: 'custom', path: ['versions', i, 'version'], message: `is ${entry.version}, expected ${i + 1} (versions are 1, 2, 3 ... in order)`})
      }
    })
    for (const [name, state] of Object.entries(registry.aliases)) {
      for (const v of [state.version, ...state.history]) {
        if (v > registry.versions.length) {
          ctx.addIssue({code: 'custom', path: ['aliases', name], message: `refers to version ${v}, which is not registered`})
        }
      }
    }
  })
export type Registry = z.infer<typeof RegistrySchema>

export function emptyRegistry(): Registry {
  return {format: REGISTRY_FORMAT, revision: 0, versions: [], aliases: {}}
}
