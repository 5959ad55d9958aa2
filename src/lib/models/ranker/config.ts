// The ranking training config: one flat map whose keys are also the flag names of `rec train ranking`.
// A key with a .describe() is a flag too (its text is the --help line, see src/commands/_cli/schema-flags.ts);
// a key with only a comment is YAML-only.
import {z} from 'zod'

export const RANKING_ARCHS = ['mlp', 'dlrm', 'dcn', 'logreg'] as const
export type RankingArch = (typeof RANKING_ARCHS)[number]

/**
 * Default fusion weights, heavy-ranker style: deeper engagements weigh more, the negative head
 * (skip/hide/report) subtracts. A head absent here gets weight 1 (e.g. "rating" on MovieLens).
 */
export const DEFAULT_FUSION_WEIGHTS: Record<string, number> = {
  click: 1,
  dwell: 1,
  like: 2,
  repost: 3,
  reply: 3,
  share: 3,
  follow_author: 4,
  negative: -8,
}

export const RankingConfigSchema = z
  .object({
    // mlp: shared bottom + per-head towers; dlrm: pairwise dot interactions + top MLP; dcn: cross network + MLP;
    // logreg: no shared network, one linear layer per head (see logisticConfig)
    arch: z.enum(RANKING_ARCHS).default('mlp').describe('Shared network: mlp, dlrm, dcn, or logreg (logistic regression: one linear layer per head).'),
    // ids and categorical fields alike
    dim: z.number().int().min(2).max(512).default(16).describe('Embedding dimension of every slot.'),
    // the dlrm bottom MLP's output is `dim`
    'bottom-layers': z.array(z.number().int().positive()).default([128, 32]).describe('Comma-separated hidden sizes of the shared (mlp/dcn) or dense bottom (dlrm) MLP.'),
    // the MLP over [interactions, bottom output]
    'top-layers': z.array(z.number().int().positive()).default([64]).describe('Comma-separated hidden sizes of the dlrm top MLP.'),
    // x_{l+1} = x0 * (x_l W + b) + x_l
    'cross-layers': z.number().int().min(1).max(8).default(2).describe('Cross layers of dcn.'),
    'tower-width': z.number().int().min(0).max(1024).default(8).describe('Hidden width of each head tower (0 = linear heads).'),
    // config: fused = sum of fusion-weights x head probability; learned: weights refitted on val (see --help)
    fusion: z.enum(['config', 'learned']).default('config').describe('Fusion weights: from the config, or refitted on val.'),
    'fusion-weights': z.record(z.string(), z.number()).default(DEFAULT_FUSION_WEIGHTS),
    'id-embeddings': z.boolean().default(true),
    /** A slot pooling the item embeddings of the user's last N train engagements before the example (0 = none; needs id-embeddings). */
    'history-length': z.number().int().min(0).max(1000).default(20),
    'user-features': z.boolean().default(true),
    'item-features': z.boolean().default(true),
    'cross-features': z.boolean().default(true).describe('Use cross features.'),
    epochs: z.number().int().min(1).max(10000).default(10).describe('Maximum epochs.'),
    'batch-size': z.number().int().min(2).default(1024).describe('Examples per step.'),
    lr: z.number().positive().default(0.003).describe('Adam learning rate.'),
    'weight-decay': z.number().min(0).default(0).describe('L2 weight decay.'),
    patience: z.number().int().min(1).default(2).describe('Epochs without val mean AUC improvement before stopping.'),
    seed: z.number().int().default(42).describe('Seed for initialisation, shuffling and sampling.'),
    // impressions without any response are negatives: ignored at the top counts most
    'position-decay': z.number().min(0).max(4).default(0.5).describe('Ignored impressions weigh (1 + position)^-decay.'),
    /** A dwell event counts for the dwell head when its dwell_ms is at least this (null dwell_ms: counts). */
    'long-dwell-ms': z.number().min(0).default(10_000),
    'negatives-per-positive': z.number().int().min(0).max(1000).default(4).describe('Sampled negatives per positive (datasets without impressions).'),
    'negative-power': z.number().min(0).max(2).default(0.75).describe('Sampled negatives are drawn by (train positives + 1)^power (0 = uniform).'),
    /** Events that make heads on datasets without impressions, and their weights; default: the dataset's positives. */
    positives: z.record(z.string(), z.number().positive()).optional(),
    // ratings: 4
    'positive-min-weight': z.number().optional().describe('Interactions with a lower weight (rating) are negatives (datasets without impressions).'),
    // only the id embeddings: no score feature
    'init-from-retrieval': z.string().optional().describe('Retrieval checkpoint whose id embeddings initialise the ranker (matched by id).'),
    /**
     * Retrieval checkpoint whose score becomes the retrieval_score cross feature. It must have been
     * trained on a dataset whose train and val interactions end before this dataset's train split
     * starts (checked, refused otherwise): one trained on the ranker's own train split scores the
     * ranker's training pairs with memorised confidence, and the ranker learns to over-trust it.
     */
    retrieval: z.string().optional().describe('Retrieval checkpoint whose score becomes a cross feature; trained on data ending before this train split.'),
    // nsfw/toxicity heads, on items with moderation labels (columns of kind "label")
    safety: z.boolean().default(true).describe('Train safety heads on labelled items.'),
    'safety-epochs': z.number().int().min(1).max(1000).default(40),
    /** Share of labelled items held out to validate the safety heads. */
    'safety-val-frac': z.number().gt(0).lt(1).default(0.25),
    backend: z.enum(['auto', 'node', 'wasm', 'cpu']).default('auto').describe('Tensor backend.'),
  })
  .strict()

export type RankingConfig = z.infer<typeof RankingConfigSchema>

/**
 * The config as the model uses it. logreg is logistic regression over the ranker's features: every
 * categorical value (ids included) gets one weight per head (its tables have one column per head,
 * zero-initialised; `dim` then sizes only the safety heads), every dense feature one weight per head;
 * nothing is shared or hidden, so the layer keys are cleared and the history slot (a mean of item
 * weights, tied to the item's own) is left out. Weight decay is its L2 penalty. Other archs as given.
 */
export function effectiveRankingConfig(config: RankingConfig): RankingConfig {
  if (config.arch !== 'logreg') return config
  return {...config, 'bottom-layers': [], 'top-layers': [], 'tower-width': 0, 'history-length': 0}
}
