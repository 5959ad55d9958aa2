// Adam hyper-parameters shared by the sparse (row-wise) and dense optimizers, validated once.
import {RecError} from '../errors.js'

/**
 * Update rule (PyTorch and tf.train.adam form), per parameter, t = this parameter's step count:
 *   g += l2 * w;  m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
 *   w -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 * l2 is classic L2 regularisation folded into the gradient (not AdamW's decoupled decay).
 */
export interface AdamConfig {
  learningRate: number
  beta1: number
  beta2: number
  epsilon: number
  l2: number
}

export const DEFAULT_ADAM: AdamConfig = {learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, l2: 0}

/** Fills defaults and rejects values outside the ranges where Adam is defined. */
export function resolveAdamConfig(partial: Partial<AdamConfig> = {}): AdamConfig {
  const config = {...DEFAULT_ADAM, ...partial}
  function bad(key: keyof AdamConfig, why: string): never {
    throw new RecError('INVALID_ARGUMENT', `adam ${key} = ${config[key]} ${why}`)
  }
  if (!(config.learningRate > 0 && Number.isFinite(config.learningRate))) bad('learningRate', 'must be a positive number')
  if (!(config.beta1 >= 0 && config.beta1 < 1)) bad('beta1', 'must be in [0, 1)')
  if (!(config.beta2 >= 0 && config.beta2 < 1)) bad('beta2', 'must be in [0, 1)')
  if (!(config.epsilon > 0 && Number.isFinite(config.epsilon))) bad('epsilon', 'must be a positive number')
  if (!(config.l2 >= 0 && Number.isFinite(config.l2))) bad('l2', 'must be >= 0')
  return config
}

/**
 * The update rule above on `length` parameters: w, m and v from `at`, gradients from `gradAt`;
 * c1 = 1 - b1^t and c2 = 1 - b2^t for the parameters' step count t.
 */
export function adamUpdate(
  config: AdamConfig,
  c1: number,
  c2: number,
  state: {w: Float32Array; m: Float32Array; v: Float32Array},
  at: number,
  grads: Float32Array,
  gradAt: number,
  length: number,
): void {
  const {learningRate: lr, beta1: b1, beta2: b2, epsilon: eps, l2} = config
  const {w, m, v} = state
  for (let j = 0, p = at, q = gradAt; j < length; j++, p++, q++) {
    const g = grads[q] + l2 * w[p]
    m[p] = b1 * m[p] + (1 - b1) * g
    v[p] = b2 * v[p] + (1 - b2) * g * g
    w[p] -= (lr * (m[p] / c1)) / (Math.sqrt(v[p] / c2) + eps)
  }
}
