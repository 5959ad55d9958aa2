// Adam for tf.Variables with the same config and L2 rule as the sparse tables; disposes all it creates.
import * as tf from '@tensorflow/tfjs'

import {RecError} from '../errors.js'
import {type AdamConfig, resolveAdamConfig} from './adam-config.js'

interface Moments {
  m: tf.Variable
  v: tf.Variable
}

/**
 * Dense Adam (see AdamConfig for the rule); one global step counter, as every variable gets a
 * gradient every step. Equals tf.train.adam when l2 = 0; exists so that dense and sparse
 * parameters share one config and so that moments can be released with dispose().
 */
export class DenseAdam {
  readonly config: AdamConfig
  private t = 0
  private readonly moments = new Map<tf.Variable, Moments>()

  constructor(config: Partial<AdamConfig> = {}) {
    this.config = resolveAdamConfig(config)
  }

  /** One update of every variable from its gradient (same shape); the gradients are not disposed. */
  step(updates: Array<{variable: tf.Variable; grad: tf.Tensor}>): void {
    this.t++
    const {learningRate: lr, beta1: b1, beta2: b2, epsilon: eps, l2} = this.config
    const c1 = 1 - Math.pow(b1, this.t)
    const c2 = 1 - Math.pow(b2, this.t)
    for (const {variable, grad} of updates) {
      if (!tf.util.arraysEqual(variable.shape, grad.shape)) {
        throw new RecError('MISMATCH', `adam: gradient shape [${grad.shape}] differs from variable ${variable.name} [${variable.shape}]`)
      }
      const state = this.moments.get(variable) ?? this.createMoments(variable)
      tf.tidy(() => {
        const g = l2 > 0 ? tf.add(grad, tf.mul(variable, l2)) : grad
        const m = tf.add(tf.mul(state.m, b1), tf.mul(g, 1 - b1))
        const v = tf.add(tf.mul(state.v, b2), tf.mul(tf.square(g), 1 - b2))
        state.m.assign(m)
        state.v.assign(v)
        const update = tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), eps))
        variable.assign(tf.sub(variable, tf.mul(update, lr)))
      })
    }
  }

  /** Releases the moment tensors (not the variables being trained). */
  dispose(): void {
    for (const {m, v} of this.moments.values()) tf.dispose([m, v])
    this.moments.clear()
  }

  /** Step count and moments of `variables` (by the caller's names), for resuming training. */
  exportState(variables: Record<string, tf.Variable>): {t: number; moments: Record<string, {m: Float32Array; v: Float32Array}>} {
    const moments: Record<string, {m: Float32Array; v: Float32Array}> = {}
    for (const [name, variable] of Object.entries(variables)) {
      const state = this.moments.get(variable)
      if (state) moments[name] = {m: Float32Array.from(state.m.dataSync() as Float32Array), v: Float32Array.from(state.v.dataSync() as Float32Array)}
    }
    return {t: this.t, moments}
  }

  /** Restores exportState's output onto the same-named variables. */
  importState(variables: Record<string, tf.Variable>, state: {t: number; moments: Record<string, {m: Float32Array; v: Float32Array}>}): void {
    this.t = state.t
    for (const [name, variable] of Object.entries(variables)) {
      const saved = state.moments[name]
      if (!saved) continue
      const moments = this.moments.get(variable) ?? this.createMoments(variable)
      tf.tidy(() => {
        moments.m.assign(tf.tensor(saved.m, variable.shape))
        moments.v.assign(tf.tensor(saved.v, variable.shape))
      })
    }
  }

  private createMoments(variable: tf.Variable): Moments {
    const state = tf.tidy(() => ({m: tf.variable(tf.zerosLike(variable), false), v: tf.variable(tf.zerosLike(variable), false)}))
    this.moments.set(variable, state)
    return state
  }
}
