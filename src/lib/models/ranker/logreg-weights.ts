// The weights of a logreg ranker by feature name: what the checkpoint's manifest and rec eval --ranker list.
import {z} from 'zod'

import type {RankerModel} from './model.js'

/** Vocabularies up to this size list every value's weights; larger ones (ids) only their spread. */
const LIST_VALUES_UP_TO = 50

const PerHead = z.record(z.string(), z.number())

export const FeatureWeightsSchema = z.object({
  heads: z.array(z.string()),
  /** Head bias (the logit at every input 0: mean numeric features, all slot weights 0). */
  bias: PerHead,
  /** Dense inputs are standardised: a weight is the logit change per standard deviation of the feature. */
  dense: z.array(z.object({feature: z.string(), weights: PerHead})),
  /** One weight per value and head: every value of a small vocabulary, else the spread (std over the values). */
  categorical: z.array(
    z.object({
      feature: z.string(),
      values: z.number().int(),
      spread: PerHead,
      weights: z.array(z.object({value: z.string(), weights: PerHead})).optional(),
    }),
  ),
})
export type FeatureWeights = z.infer<typeof FeatureWeightsSchema>

const round = (x: number) => Math.round(x * 1e6) / 1e6

/** Slot names as the ranker's tensors call them: user_id, item_id, users.<column>, items.<column>. */
function slotName(slot: RankerModel['slots'][number]): string {
  if (!slot.field) return slot.side === 'user' ? 'user_id' : 'item_id'
  return `${slot.side === 'user' ? 'users' : 'items'}.${slot.field.name}`
}

/** Reads the weights out of a logreg model (rounded to 6 decimals, so that the manifest stays readable). */
export function logregFeatureWeights(model: RankerModel): FeatureWeights {
  const heads = model.heads.map((head) => head.name)
  const h = heads.length
  const perHead = (value: (k: number) => number) => Object.fromEntries(heads.map((name, k) => [name, round(value(k))]))
  const kernels = model.towers.map(([layer]) => layer.kernel.dataSync())
  const biases = model.towers.map(([layer]) => layer.bias.dataSync()[0])
  const dense = model.denseNames.map((feature, j) => ({feature, weights: perHead((k) => kernels[k][j])}))
  const categorical = model.slots.map((slot) => {
    const w = slot.table.weights
    const rows = slot.table.rows
    // row 0 is the out-of-vocabulary row: never trained on a known value
    const values = rows - 1
    const spread = perHead((k) => {
      let sum = 0
      let sq = 0
      for (let r = 1; r < rows; r++) {
        sum += w[r * h + k]
        sq += w[r * h + k] ** 2
      }
      const mean = sum / Math.max(1, values)
      return Math.sqrt(Math.max(0, sq / Math.max(1, values) - mean * mean))
    })
    const names = slot.field?.vocab.values
    const listed = names && values <= LIST_VALUES_UP_TO ? names.map((value, i) => ({value, weights: perHead((k) => w[(i + 1) * h + k])})) : undefined
    return {feature: slotName(slot), values, spread, ...(listed ? {weights: listed} : {})}
  })
  return {heads, bias: perHead((k) => biases[k]), dense, categorical}
}
