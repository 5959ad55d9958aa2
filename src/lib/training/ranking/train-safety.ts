// Trains the safety heads on labelled items (a seeded share held out) and keeps the epoch with the best val AUC.
import * as tf from '@tensorflow/tfjs'

import {DenseAdam} from '../../engine/dense-adam.js'
import type {SafeTensor} from '../../engine/safetensors.js'
import type {EntityFeatures} from '../../features/entity-features.js'
import {evaluateClassification} from '../../metrics/classification.js'
import {createSafetyModel, exportSafety, predictSafety, safetyInputs, safetyLogits, type SafetyModel, scatterSafetyGradients} from '../../models/ranker/safety-model.js'
import type {Rng} from '../../random/rng.js'
import type {Reporter} from '../../reporter.js'
import {weightedBinaryCrossEntropy} from './binary-loss.js'
import {type SafetyLabels, sliceSafetyLabels} from './safety-labels.js'

const BATCH = 256
const LR = 0.01

export interface SafetyOptions {
  dim: number
  epochs: number
  valFrac: number
}

export interface SafetyResult {
  model: SafetyModel
  tensors: Record<string, SafeTensor>
  /** "safety.auc/nsfw", "safety.prauc/nsfw", "safety.precision@recall0.9/nsfw", "safety.base-rate/nsfw". */
  metrics: Record<string, number>
  trainItems: number
  valItems: number
  bestEpoch: number
}

/** Mean-AUC-best safety model, or undefined when no label has both classes in the held-out items. */
export function trainSafety(labels: SafetyLabels, features: EntityFeatures, options: SafetyOptions, rng: Rng, reporter: Reporter): SafetyResult | undefined {
  const order = rng.shuffle(Int32Array.from({length: labels.items.length}, (_, i) => i))
  const nVal = Math.max(1, Math.round(labels.items.length * options.valFrac))
  const val = sliceSafetyLabels(labels, order.subarray(0, nVal))
  const train = sliceSafetyLabels(labels, order.subarray(nVal))
  if (train.items.length === 0) return undefined
  const model = createSafetyModel(labels.names, features, options.dim, LR, rng.fork(1))
  const adam = new DenseAdam({learningRate: LR})
  const variables = model.layers.flatMap((layer) => [layer.kernel as tf.Variable, layer.bias as tf.Variable])
  const width = model.fields.length * model.dim + features.numeric.names.length
  const l = labels.names.length
  let best: {epoch: number; auc: number; tensors: Record<string, SafeTensor>; metrics: Record<string, number>} | undefined
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const perm = rng.fork(epoch).shuffle(Int32Array.from({length: train.items.length}, (_, i) => i))
    for (let start = 0; start < perm.length; start += BATCH) {
      const batch = sliceSafetyLabels(train, perm.subarray(start, start + BATCH))
      const b = batch.items.length
      let maskSum = 0
      for (const m of batch.mask) maskSum += m
      if (maskSum === 0) continue
      const input = tf.tensor2d(safetyInputs(model, batch.items), [b, width])
      const x = tf.variable(input)
      input.dispose()
      const y = tf.tensor2d(batch.values, [b, l])
      const w = tf.tensor2d(batch.mask, [b, l])
      const {value, grads} = tf.variableGrads(() => weightedBinaryCrossEntropy(safetyLogits(model, x), y, w, maskSum), [x, ...variables])
      scatterSafetyGradients(model, batch.items, grads[x.name].dataSync() as Float32Array)
      for (const {table} of model.fields) table.step()
      adam.step(variables.map((variable) => ({variable, grad: grads[variable.name]})))
      tf.dispose([value, x, y, w, ...Object.values(grads)])
    }
    const metrics = evaluateSafety(model, val)
    const aucs = labels.names.map((name) => metrics[`safety.auc/${name}`]).filter((v) => v !== undefined)
    if (aucs.length === 0) break
    const auc = aucs.reduce((s, v) => s + v, 0) / aucs.length
    if (!best || auc > best.auc) best = {epoch, auc, tensors: exportSafety(model), metrics}
  }
  adam.dispose()
  if (!best) return undefined
  reporter.info(`safety: ${labels.names.join(', ')} on ${train.items.length} labelled items (${val.items.length} held out), best epoch ${best.epoch}: ${summary(best.metrics, labels.names)}`)
  return {model, tensors: best.tensors, metrics: best.metrics, trainItems: train.items.length, valItems: val.items.length, bestEpoch: best.epoch}
}

/** Per label with both classes among the held-out items: AUC, PR-AUC, precision at 90% recall and the base rate. */
export function evaluateSafety(model: SafetyModel, val: SafetyLabels): Record<string, number> {
  const l = val.names.length
  const p = predictSafety(model, val.items)
  const metrics: Record<string, number> = {}
  val.names.forEach((name, k) => {
    const labels: number[] = []
    const scores: number[] = []
    for (let i = 0; i < val.items.length; i++) {
      if (!val.mask[i * l + k]) continue
      labels.push(val.values[i * l + k])
      scores.push(p[i * l + k])
    }
    const positives = labels.reduce((s, v) => s + v, 0)
    if (positives === 0 || positives === labels.length) return
    const report = evaluateClassification({labels, scores}, {recall: 0.9})
    metrics[`safety.auc/${name}`] = report.auc
    metrics[`safety.prauc/${name}`] = report.prAuc
    metrics[`safety.precision@recall0.9/${name}`] = report.precisionAtRecall.precision
    metrics[`safety.base-rate/${name}`] = report.baseRate
  })
  return metrics
}

function summary(metrics: Record<string, number>, names: string[]): string {
  return names
    .filter((n) => metrics[`safety.auc/${n}`] !== undefined)
    .map((n) => `${n} auc ${metrics[`safety.auc/${n}`].toFixed(3)} p@r0.9 ${metrics[`safety.precision@recall0.9/${n}`].toFixed(3)} (base ${metrics[`safety.base-rate/${n}`].toFixed(3)})`)
    .join('; ')
}
