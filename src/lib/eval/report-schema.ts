// The documented shape of `rec eval --json` and report.json (zod): what scripts and dashboards may rely on.
import {z} from 'zod'

export const EVAL_REPORT_FORMAT = 'rec-eval-report/1'

/** Metric name ("recall@10", "mrr", "sampled_ndcg@10", "coverage@10", ...) -> mean over evaluated users. */
const MetricMap = z.record(z.string(), z.number())

const SegmentSchema = z.object({name: z.string(), users: z.number().int().nonnegative(), metrics: MetricMap})

export const EvalModelSchema = z.object({
  /** Unique within the report; the key of metrics, segments, popularityBias and timings. */
  key: z.string(),
  /** Checkpoint path + "@" + manifest createdAt, "model:NAME" for a baseline, "<key> > <stage>" for a stage. */
  id: z.string(),
  kind: z.enum(['checkpoint', 'baseline', 'stage']),
  /** Short display name (column header). */
  label: z.string(),
  path: z.string().optional(),
  createdAt: z.string().optional(),
  arch: z.string().optional(),
  /** Dataset fingerprint the checkpoint was trained on. */
  trainedOn: z.string().optional(),
  /** ItemKNN: the neighbourhood size used and how it was chosen. */
  neighbours: z
    .object({
      chosen: z.number().int().positive(),
      tunedOn: z.literal('val').nullable(),
      metric: z.string(),
      grid: z.array(z.object({neighbours: z.number().int().positive(), value: z.number()})),
    })
    .optional(),
  seed: z.number().int().optional(),
  /** Stage entries: the key of the model whose lists the stage received. */
  parent: z.string().optional(),
})

export const EvalReportSchema = z.object({
  format: z.literal(EVAL_REPORT_FORMAT),
  protocol: z.object({
    split: z.enum(['val', 'test']),
    /** What is excluded from the ranking and read as history. */
    history: z.enum(['train', 'train+val']),
    /** "full": every item but the history is ranked; "sampled": each target among `negatives` random items. */
    kind: z.enum(['full', 'sampled']),
    negatives: z.number().int().positive().optional(),
    ks: z.array(z.number().int().positive()),
    /** Items in the catalogue (the OOV row not counted). */
    items: z.number().int().positive(),
    usersEvaluated: z.number().int().positive(),
    usersSkipped: z.object({
      /** Users with no positive in the split. */
      noTarget: z.number().int().nonnegative(),
      /** Users whose every positive in the split was already in their history. */
      onlySeenTargets: z.number().int().nonnegative(),
      total: z.number().int().nonnegative(),
    }),
    /** Distinct (user, item) targets evaluated. */
    targets: z.number().int().positive(),
    /** Held-out positives dropped because the item was already in the user's history. */
    targetsDroppedSeen: z.number().int().nonnegative(),
    positives: z.object({events: z.record(z.string(), z.number()), minWeight: z.number().optional()}),
    tieBreak: z.literal('smaller item row first'),
    /** Item feature used for diversity@K, null when the dataset has no categorical item feature. */
    diversityFeature: z.string().nullable(),
    /** Seed of random scores, sampled negatives and bootstrap resamples. */
    seed: z.number().int(),
    /** The human protocol line printed above the table. */
    line: z.string(),
  }),
  dataset: z.object({path: z.string(), name: z.string(), fingerprint: z.string()}),
  models: z.array(EvalModelSchema).min(1),
  /** Model key -> metric means. */
  metrics: z.record(z.string(), MetricMap),
  segments: z.object({
    definitions: z.object({
      userActivity: z.string(),
      targetPopularity: z.string(),
      coldMax: z.number().int(),
      heavyMin: z.number().int(),
      items: z.object({head: z.number().int(), torso: z.number().int(), tail: z.number().int()}),
    }),
    /** Model key -> segment means of recall@K and ndcg@K (sampled_hitrate@K and sampled_ndcg@K when sampled). */
    models: z.record(z.string(), z.object({userActivity: z.array(SegmentSchema), targetPopularity: z.array(SegmentSchema)})),
  }),
  /** Model key -> share of recommended slots per popularity-percentile decile at K (full ranking only). */
  popularityBias: z.record(z.string(), z.object({k: z.number().int().positive(), bins: z.array(z.number()).length(10)})),
  /** Present for `--compare A B`: delta = B - A per user-level metric, paired bootstrap over users. */
  comparison: z
    .object({
      a: z.string(),
      b: z.string(),
      resamples: z.number().int().positive(),
      confidence: z.number(),
      seed: z.number().int(),
      metrics: z.record(z.string(), z.object({meanA: z.number(), meanB: z.number(), delta: z.number(), ciLow: z.number(), ciHigh: z.number(), pValue: z.number()})),
    })
    .nullable(),
  /** Loud notes: fingerprint mismatch with matching ids, different positive rules, untuned ItemKNN. */
  warnings: z.array(z.string()),
  timings: z.object({
    totalSeconds: z.number(),
    datasetSeconds: z.number(),
    /** Model key -> seconds to load or build it and to rank and score it. */
    models: z.record(z.string(), z.object({buildSeconds: z.number(), rankSeconds: z.number()})),
  }),
})

export type EvalReport = z.infer<typeof EvalReportSchema>
export type EvalModelEntry = z.infer<typeof EvalModelSchema>
