// The retrieval training config: one flat map whose keys are also the flag names of `rec train retrieval`.
import {z} from 'zod'

export const RetrievalConfigSchema = z
  .object({
    /** Embedding and output dimension. */
    dim: z.number().int().min(2).max(1024).default(64),
    'user-encoder': z.enum(['mean', 'gru', 'attention']).default('mean'),
    /** Most recent history items the user tower reads. */
    'history-length': z.number().int().min(0).max(1000).default(50),
    /** A user-id embedding; without it the tower depends on history and features only (cold users work). */
    'user-id': z.boolean().default(true),
    /** Hidden sizes of the MLP applied to both towers' pooled input (empty = no MLP). */
    'tower-layers': z.array(z.number().int().positive()).default([]),
    'user-features': z.boolean().default(true),
    'item-features': z.boolean().default(true),
    epochs: z.number().int().min(1).max(10000).default(20),
    'batch-size': z.number().int().min(2).default(1024),
    lr: z.number().positive().default(0.01),
    'weight-decay': z.number().min(0).default(0),
    /** Softmax temperature: logits are cosine / temperature. */
    temperature: z.number().positive().default(0.05),
    /** Subtract log(sampling probability) of in-batch items, estimated from train frequency. */
    logq: z.boolean().default(true),
    'random-negatives': z.number().int().min(0).default(0),
    'hard-negatives': z.number().int().min(0).default(0),
    /** Epochs without val NDCG@10 improvement before stopping. */
    patience: z.number().int().min(1).default(3),
    seed: z.number().int().default(42),
    /** Events counted as positives and their example weights; default: the dataset's positives. */
    positives: z.record(z.string(), z.number().positive()).optional(),
    /** Interactions with a smaller weight column value are not positives (ratings: 4). */
    'positive-min-weight': z.number().optional(),
    /** Cut-offs reported on val each epoch. */
    ks: z.array(z.number().int().positive()).default([10, 50, 100]),
    backend: z.enum(['auto', 'node', 'wasm', 'cpu']).default('auto'),
    /**
     * Threads that train in data parallel (1 = this thread only). 'auto': min(2, cores) when the run
     * is long enough to repay starting them (see resolveWorkers), else 1.
     */
    workers: z.union([z.literal('auto'), z.number().int().min(1).max(16)], {error: 'must be "auto" or an integer from 1 to 16'}).default('auto'),
  })
  .strict()

export type RetrievalConfig = z.infer<typeof RetrievalConfigSchema>
