// The documented shape of `rec eval --json` and report.json (zod): what scripts and dashboards may rely on.
import {z} from 'zod'

import {FeatureWeightsSchema} from '../models/ranker/logreg-weights.js'

export const EVAL_REPORT_FORMAT = 'rec-eval-report/1'

/** Metric name ("recall@10", "mrr", "sampled_ndcg@10", "coverage@10", ...) -> mean over evaluated users. */
const MetricMap = z.record(z.string(), z.number())

const SegmentSchema = z.object({name: z.string(), users: z.number().int().nonnegative(), metrics: MetricMap})

/** B - A of one per-user metric over the same users: paired bootstrap interval and p-value. */
const MetricComparisonSchema = z.object({meanA: z.number(), meanB: z.number(), delta: z.number(), ciLow: z.number(), ciHigh: z.number(), pValue: z.number()})

/** What a stage entry adds: how much of its parent's list it read and what it gained over it. */
const StageSchema = z.object({
  /** Items of the parent's list the stage read per user; null when it read the scored list (the longest K). */
  depth: z.number().int().positive().nullable(),
  /** The re-ranking depth N and the mean candidates per user actually re-ranked; null when the stage reports none. */
  candidates: z.object({depth: z.number().int().positive(), meanPerUser: z.number().nonnegative()}).nullable(),
  /** recall@N of the candidates (same metric code): no order of them can recall more, the stage's ceiling. */
  candidateRecall: z.number().min(0).max(1).nullable(),
  /** Stage minus parent on the first K's ndcg and recall (paired bootstrap over the evaluated users, the report's seed). */
  delta: z.record(z.string(), MetricComparisonSchema),
  resamples: z.number().int().positive(),
})

/** One ranker head on the evaluated split's labelled pairs (weighted as in training validation). */
const HeadMetricsSchema = z.object({
  examples: z.number().int().nonnegative(),
  /** Weighted share of positive labels. */
  baseRate: z.number().min(0).max(1),
  auc: z.number().min(0).max(1),
  prAuc: z.number().min(0).max(1),
  /** Mean binary cross-entropy, nats. */
  logloss: z.number().nonnegative(),
  /** Relative cross-entropy: 100 * (1 - logloss / logloss of predicting the base rate); 0 = no better than it. */
  rce: z.number(),
  /** Expected calibration error over 10 equal-width probability bins. */
  ece: z.number().min(0).max(1),
})

/** `--ranker`: the ranking checkpoint behind the "> ranker" stage rows, and its heads as classifiers. */
const RankerSchema = z.object({
  path: z.string(),
  /** Path + "@" + manifest createdAt. */
  id: z.string(),
  arch: z.string(),
  createdAt: z.string(),
  /** Dataset fingerprint the ranker was trained on, and its vocabulary fingerprint. */
  trainedOn: z.string(),
  vocabFingerprint: z.string(),
  /** Retrieval candidates re-ranked per user (--candidates). */
  candidates: z.number().int().positive(),
  /** Splits whose engagements feed the ranker's cross statistics: those before the evaluated one. */
  statsSplits: z.array(z.enum(['train', 'val'])),
  /** Each user's request time: the first interaction in the evaluated split; candidates created after it are dropped. */
  requestTime: z.string(),
  /** The retrieval checkpoint whose score the ranker reads as a feature; null when it reads none. */
  retrievalScore: z.string().nullable(),
  /** Fusion weight per head: the stage orders candidates by sum_h fusion[h] * p_h. */
  fusion: z.record(z.string(), z.number()),
  /** arch logreg: every feature's weight per head, by name. */
  featureWeights: FeatureWeightsSchema.optional(),
  heads: z.object({
    split: z.enum(['val', 'test']),
    /** Labelled pairs of the split (with their sampled negatives on logs without impressions). */
    examples: z.number().int().nonnegative(),
    labelling: z.string(),
    /** Head name -> metrics; heads without both classes in the split are listed in `skipped` instead. */
    metrics: z.record(z.string(), HeadMetricsSchema),
    skipped: z.array(z.string()),
    /** Means over the scored heads ("auc", "rce"); empty when none was scored. */
    mean: z.record(z.string(), z.number()),
  }),
})

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
  /** Stage entries: depth, candidates, ceiling and the paired delta against the parent. */
  stage: StageSchema.optional(),
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
    /** Later stages applied to every model's lists, in order (empty without --ranker). */
    stages: z.array(z.object({id: z.string(), depth: z.number().int().positive().nullable(), description: z.string()})),
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
  /**
   * delta = B - A per user-level metric, paired bootstrap over users. `--compare A B`: the two models;
   * one model with a stage (`--ckpt RET --ranker RANK`): A = the model, B = its first stage.
   */
  comparison: z
    .object({
      a: z.string(),
      b: z.string(),
      resamples: z.number().int().positive(),
      confidence: z.number(),
      seed: z.number().int(),
      metrics: z.record(z.string(), MetricComparisonSchema),
    })
    .nullable(),
  ranker: RankerSchema.nullable(),
  /** Loud notes: fingerprint mismatch with matching ids, different positive rules, untuned ItemKNN. */
  warnings: z.array(z.string()),
  timings: z.object({
    totalSeconds: z.number(),
    datasetSeconds: z.number(),
    /** Model key -> seconds to load or build it and to rank and score it (a stage: 0 and its re-ranking + scoring). */
    models: z.record(z.string(), z.object({buildSeconds: z.number(), rankSeconds: z.number()})),
    /** --ranker: loading the checkpoint and its statistics, and scoring its heads on the labelled pairs. */
    ranker: z.object({loadSeconds: z.number(), headsSeconds: z.number()}).optional(),
  }),
})

export type EvalReport = z.infer<typeof EvalReportSchema>
export type EvalModelEntry = z.infer<typeof EvalModelSchema>
export type StageSummary = z.infer<typeof StageSchema>
export type RankerSection = z.infer<typeof RankerSchema>
