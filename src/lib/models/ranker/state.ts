// What a ranking checkpoint stores beside its weights (manifest config "ranker"): enough to rebuild inputs exactly.
import {z} from 'zod'

import {FeatureWeightsSchema} from './logreg-weights.js'

const NumericStateSchema = z.object({names: z.array(z.string()), mean: z.array(z.number()), std: z.array(z.number())})

export const RankerStateSchema = z.object({
  heads: z.array(z.object({name: z.string(), events: z.array(z.string())})),
  /** Cross feature names with the train statistics that standardise them. */
  cross: NumericStateSchema,
  /** Standardisation of the user and item numeric columns (fitted on the entity tables). */
  featureState: z.object({user: NumericStateSchema, item: NumericStateSchema}),
  /** Which events count as engagements in the cross statistics, and from which splits (codes). */
  statsRule: z.object({events: z.record(z.string(), z.number()), minWeight: z.number().optional()}),
  statsSplits: z.array(z.number().int()),
  /** Label columns of the safety heads, when trained. */
  safetyLabels: z.array(z.string()).default([]),
  /** Trained on sampled negatives: scores add the sampler's log(k q(item)) (tensor negatives.log_q). */
  samplingCorrection: z.boolean().default(false),
  /** The retrieval checkpoint behind the retrieval_score feature, when used. */
  retrieval: z.string().optional(),
  /** logreg only: every feature's weight per head, by name (read back for reports; the tensors are the weights). */
  featureWeights: FeatureWeightsSchema.optional(),
})
export type RankerState = z.infer<typeof RankerStateSchema>
