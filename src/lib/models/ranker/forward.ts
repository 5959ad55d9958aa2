// The ranker's forward pass in tfjs: [B, slots*dim] embeddings + [B, dense] features -> [B, heads] logits.
import * as tf from '@tensorflow/tfjs'

import {dense, mlp} from '../../engine/dense.js'
import {matMul} from '../../engine/matmul.js'
import {pairwiseDots} from './interactions.js'
import type {RankerModel} from './model.js'

/** All hidden layers ReLU (the shared representation is an activation, read by the towers). */
function hidden(x: tf.Tensor2D, layers: RankerModel['bottom']): tf.Tensor2D {
  return layers.reduce((h, layer) => dense(h, layer, 'relu'), x)
}

/** The shared representation [B, width] the towers read. */
export function shared(model: RankerModel, emb: tf.Tensor2D, features: tf.Tensor2D | undefined): tf.Tensor2D {
  const b = emb.shape[0]
  if (model.config.arch === 'dlrm') {
    const vectors: tf.Tensor3D[] = [tf.reshape(emb, [b, model.slots.length, model.dim]) as tf.Tensor3D]
    let bottom: tf.Tensor2D | undefined
    if (features && model.bottom.length > 0) {
      // Bottom MLP: hidden layers ReLU, output linear (a vector in embedding space).
      bottom = mlp(features, model.bottom)
      vectors.push(tf.reshape(bottom, [b, 1, model.dim]) as tf.Tensor3D)
    }
    const all = vectors.length > 1 ? (tf.concat(vectors, 1) as tf.Tensor3D) : vectors[0]
    const dots = pairwiseDots(all, model.selectors!)
    const top = bottom ? (tf.concat([dots, bottom], 1) as tf.Tensor2D) : dots
    return hidden(top, model.top)
  }
  const x0 = features ? (tf.concat([emb, features], 1) as tf.Tensor2D) : emb
  // DCN-v2 cross layers: x_{l+1} = x0 * (x_l W + b) + x_l.
  let x = x0
  for (const layer of model.crossNet) x = tf.add(tf.mul(x0, dense(x, layer)), x) as tf.Tensor2D
  return hidden(x, model.bottom)
}

/** The towers of all heads as one computation: first kernels side by side [width, H * t], output weights [H, t]. */
interface FusedTowers {
  first: tf.Tensor2D
  firstBias: tf.Tensor1D
  /** Undefined for linear heads (tower-width 0). */
  out?: tf.Tensor2D
  outBias?: tf.Tensor1D
}

/** Concatenates the per-head tower weights (inside a gradient tape the gradient flows back to each head). */
function fuseTowers(model: RankerModel): FusedTowers {
  const first = tf.concat(model.towers.map((tower) => tower[0].kernel), 1) as tf.Tensor2D
  const firstBias = tf.concat(model.towers.map((tower) => tower[0].bias)) as tf.Tensor1D
  if (model.config['tower-width'] === 0) return {first, firstBias}
  // [t, 1] kernels side by side -> [t, H] -> [H, t].
  const out = tf.transpose(tf.concat(model.towers.map((tower) => tower[1].kernel), 1)) as tf.Tensor2D
  const outBias = tf.concat(model.towers.map((tower) => tower[1].bias)) as tf.Tensor1D
  return {first, firstBias, out, outBias}
}

/**
 * Per-head logits [B, H] from the shared representation h [B, width]: one product for all heads'
 * hidden layers, then each head's output weights by a reshape and a sum (a fixed handful of ops
 * for any number of heads, instead of four per head).
 */
function towerLogits(h: tf.Tensor2D, towers: FusedTowers): tf.Tensor2D {
  const z = tf.add(matMul(h, towers.first), towers.firstBias) as tf.Tensor2D
  if (!towers.out) return z
  const [heads, t] = towers.out.shape
  const a = tf.reshape(tf.relu(z), [-1, heads, t])
  return tf.add(tf.sum(tf.mul(a, towers.out), 2), towers.outBias!) as tf.Tensor2D
}

/**
 * logreg: logit_h = sum over slots of the slot's weight for head h (a table row holds one weight
 * per head) + features . w_h + b_h, every head's linear layer fused into one [dense, H] product.
 */
function logregLogits(model: RankerModel, emb: tf.Tensor2D, features: tf.Tensor2D): tf.Tensor2D {
  const b = emb.shape[0]
  const slots = tf.sum(tf.reshape(emb, [b, model.slots.length, model.heads.length]), 1) as tf.Tensor2D
  return tf.add(towerLogits(features, fuseTowers(model)), slots) as tf.Tensor2D
}

/** Per-head logits [B, H]; the towers are fused here, inside the tape when training. */
export function rankerLogits(model: RankerModel, emb: tf.Tensor2D, features: tf.Tensor2D | undefined): tf.Tensor2D {
  if (model.config.arch === 'logreg') return logregLogits(model, emb, features!)
  return towerLogits(shared(model, emb, features), fuseTowers(model))
}
