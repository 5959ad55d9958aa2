// The retrieval training config: one flat map whose keys are also the flag names of `rec train retrieval`.
// A key with a .describe() is a flag too (its text is the --help line, see src/commands/_cli/schema-flags.ts);
// a key with only a comment is YAML-only.
import {z} from 'zod'

export const RetrievalConfigSchema = z
  .object({
    dim: z.number().int().min(2).max(1024).default(64).describe('Embedding dimension.'),
    'user-encoder': z.enum(['mean', 'gru', 'attention', 'transformer']).default('mean').describe('History encoder of the user tower.'),
    // transformer only: trained on every position of the window (next-item targets), see training/sequence-*.ts
    blocks: z.number().int().min(1).max(12).default(2).describe('Transformer blocks (--user-encoder transformer).'),
    heads: z.number().int().min(1).max(16).default(1).describe('Attention heads per transformer block; must divide dim.'),
    dropout: z.number().min(0).max(0.9).default(0.2).describe('Transformer dropout rate (inputs, attention and FFN outputs).'),
    // full: every next-item target is scored against the whole catalogue; sampled: against the batch's
    // targets plus sampled-negatives drawn items, logQ corrected when logq is on; auto: full up to full-softmax-max-items
    softmax: z.enum(['auto', 'full', 'sampled']).default('auto').describe('Transformer loss: full softmax over the catalogue, sampled softmax, or auto.'),
    'full-softmax-max-items': z.number().int().min(2).default(20000),
    'sampled-negatives': z.number().int().min(1).default(256).describe('Negatives drawn per batch for the sampled softmax (transformer).'),
    'negative-sampler': z.enum(['uniform', 'popularity', 'mixed']).default('uniform').describe('How sampled-softmax negatives are drawn: uniform, by train frequency, or half each.'),
    'history-length': z.number().int().min(0).max(1000).default(50).describe('Most recent history items read by the user tower.'),
    /** A user-id embedding; without it the tower depends on history and features only (cold users work). */
    'user-id': z.boolean().default(true),
    // applied to both towers' pooled input
    'tower-layers': z.array(z.number().int().positive()).default([]).describe('Comma-separated MLP hidden sizes of both towers ("" = none).'),
    'user-features': z.boolean().default(true),
    'item-features': z.boolean().default(true),
    epochs: z.number().int().min(1).max(10000).default(20).describe('Maximum epochs.'),
    'batch-size': z.number().int().min(2).default(1024).describe('Examples per step (also the in-batch negatives).'),
    lr: z.number().positive().default(0.01).describe('Adam learning rate.'),
    'weight-decay': z.number().min(0).default(0).describe('L2 weight decay.'),
    // logits are cosine / temperature
    temperature: z.number().positive().default(0.05).describe('Softmax temperature.'),
    // subtracts log(sampling probability) of in-batch items, estimated from train frequency
    logq: z.boolean().default(true).describe('logQ correction of in-batch sampling.'),
    'random-negatives': z.number().int().min(0).default(0).describe('Extra uniform negatives per batch.'),
    'hard-negatives': z.number().int().min(0).default(0).describe('Hard negatives per example, mined each epoch from the model top items.'),
    patience: z.number().int().min(1).default(3).describe('Epochs without val NDCG@10 improvement before stopping.'),
    seed: z.number().int().default(42).describe('Seed for initialisation, shuffling and negatives.'),
    /** Events counted as positives and their example weights; default: the dataset's positives. */
    positives: z.record(z.string(), z.number().positive()).optional(),
    /** Interactions with a smaller weight column value are not positives (ratings: 4). */
    'positive-min-weight': z.number().optional(),
    /** Cut-offs reported on val each epoch. */
    ks: z.array(z.number().int().positive()).default([10, 50, 100]),
    backend: z.enum(['auto', 'node', 'wasm', 'cpu']).default('auto').describe('Tensor backend.'),
    // 1 = this thread only; 'auto' starts threads only when the run is long enough to repay them (see resolveWorkers)
    workers: z
      .union([z.literal('auto'), z.number().int().min(1).max(16)], {error: 'must be "auto" or an integer from 1 to 16'})
      .default('auto')
      .describe('Threads training in data parallel, or "auto": 2 on a multi-core machine when train examples x epochs >= 100k, else 1. Same seed and workers give the same bytes.'),
  })
  .strict()

export type RetrievalConfig = z.infer<typeof RetrievalConfigSchema>
