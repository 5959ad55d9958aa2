// manifest.json of a checkpoint directory (ARCHITECTURE section 2), parsed once with zod.
import {z} from 'zod'

import {type ColumnTable, getColumn} from '../dataset/columns.js'

export const CHECKPOINT_FORMAT = 'rec-checkpoint/1'

export const CheckpointKindSchema = z.enum(['retrieval', 'ranking', 'content'])
export type CheckpointKind = z.infer<typeof CheckpointKindSchema>

/** Metrics of one epoch on the val split, by name ("ndcg@10", "recall@50", "auc/like", ...). */
export const EpochMetricsSchema = z.object({
  epoch: z.number().int(),
  loss: z.number(),
  metrics: z.record(z.string(), z.number()),
})

export const CheckpointManifestSchema = z.object({
  format: z.literal(CHECKPOINT_FORMAT),
  kind: CheckpointKindSchema,
  /** Model architecture: "two-tower" for retrieval; "mlp" | "dlrm" | "dcn" | "logreg" for ranking; "tfidf" for content. */
  arch: z.string(),
  /** The fully resolved training config, so a run can be repeated from the manifest alone. */
  config: z.record(z.string(), z.unknown()),
  /** Tensor backend the weights were trained on ("tensorflow", "wasm", "cpu"). */
  backend: z.string(),
  dataset: z.object({path: z.string(), name: z.string(), fingerprint: z.string()}),
  /** Fingerprint of the id vocabularies in vocab/: equal fingerprints mean rows line up. */
  vocabFingerprint: z.string(),
  /** Best-epoch metrics on val, flat ("val.ndcg@10": 0.12), what the registry promotes by. */
  metrics: z.record(z.string(), z.number()),
  history: z.array(EpochMetricsSchema),
  bestEpoch: z.number().int(),
  seed: z.number().int(),
  parents: z.array(z.object({path: z.string(), weight: z.number()})).default([]),
  recVersion: z.string(),
  /**
   * ISO time of the newest interaction in the training dataset (a merge: the newest of its inputs'),
   * not the wall clock: the same inputs and seed give byte-identical checkpoints and content hashes.
   */
  createdAt: z.string(),
})
export type CheckpointManifest = z.infer<typeof CheckpointManifestSchema>

/** createdAt of a checkpoint trained on `interactions`: its newest ts, or the epoch for an empty table. */
export function dataCreatedAt(interactions: ColumnTable): string {
  const ts = getColumn(interactions, 'ts', 'timestamp_ms').values
  let newest = 0
  for (let i = 0; i < ts.length; i++) if (ts[i] > newest) newest = ts[i]
  return new Date(newest).toISOString()
}
