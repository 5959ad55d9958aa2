// dataset.json: the manifest of a dataset directory (ARCHITECTURE section 1), parsed once with zod.
import {z} from 'zod'

export const DATASET_FORMAT = 'rec-dataset/1'

/** Where each column's meaning is declared, so models build inputs from specs rather than code. */
export const FeatureSpecSchema = z.object({
  /**
   * categorical / multi-categorical / numeric / text are model inputs; `id` references another table
   * (an item's author is a user id); `label` is a target that must never be an input (moderation labels).
   */
  kind: z.enum(['categorical', 'multi-categorical', 'numeric', 'text', 'id', 'label']),
  /** Distinct values seen (categorical kinds). */
  vocabSize: z.number().int().nonnegative().optional(),
})
export type FeatureSpec = z.infer<typeof FeatureSpecSchema>

export const SplitSpecSchema = z.object({
  method: z.enum(['leave-last-out', 'temporal-global']),
  valFrac: z.number().optional(),
  testFrac: z.number().optional(),
  /** temporal-global: first ts (ms) of val and of test. */
  valStartMs: z.number().optional(),
  testStartMs: z.number().optional(),
})
export type SplitSpec = z.infer<typeof SplitSpecSchema>

/** Provenance of a dataset cut from another by `rec data window`: it holds fromMs <= ts < untilMs. */
export const WindowSpecSchema = z.object({
  /** The dataset the window was cut from. */
  source: z.object({name: z.string(), fingerprint: z.string()}),
  /** The bounds as given (ISO time, epoch ms or a quantile "q0.5"); absent = open. */
  from: z.string().optional(),
  until: z.string().optional(),
  /** The bounds resolved to epoch ms; absent = open (also --until q1, which lies past the last interaction). */
  fromMs: z.number().optional(),
  untilMs: z.number().optional(),
})
export type WindowSpec = z.infer<typeof WindowSpecSchema>

export const DatasetManifestSchema = z.object({
  format: z.literal(DATASET_FORMAT),
  name: z.string(),
  createdBy: z.string(),
  source: z.object({
    kind: z.enum(['generator', 'movielens', 'csv', 'rss', 'export']),
    params: z.record(z.string(), z.unknown()),
    seed: z.number().int().optional(),
  }),
  split: SplitSpecSchema,
  /** Only on datasets written by `rec data window`; older manifests have none. */
  window: WindowSpecSchema.optional(),
  counts: z.object({
    users: z.number().int(),
    items: z.number().int(),
    interactions: z.number().int(),
    follows: z.number().int(),
    train: z.number().int(),
    val: z.number().int(),
    test: z.number().int(),
  }),
  events: z.array(z.string()),
  features: z.object({
    users: z.record(z.string(), FeatureSpecSchema),
    items: z.record(z.string(), FeatureSpecSchema),
  }),
  /** Positive events and their default weights for training; configs may override. */
  positives: z.record(z.string(), z.number()),
  hasImpressions: z.boolean(),
  /** sha256 over the table files: a checkpoint records it, and eval refuses a different dataset. */
  fingerprint: z.string(),
})
export type DatasetManifest = z.infer<typeof DatasetManifestSchema>
