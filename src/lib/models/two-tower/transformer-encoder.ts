// SASRec-style causal transformer over the history window: learned positions, N pre-LayerNorm blocks, dropout.
import * as tf from '@tensorflow/tfjs'

import {batchMatMul} from '../../engine/batch-matmul.js'
import {createDense, dense, type DenseLayer} from '../../engine/dense.js'
import {layerNorm} from '../../engine/layer-norm.js'
import {RecError} from '../../errors.js'
import type {Rng} from '../../random/rng.js'
import {type HistoryEncoder, sequenceBackward, sequenceInput, type TransformerShape, variablesOf} from './history-encoders.js'

/** LayerNorm weights: gamma 1, beta 0. */
interface NormLayer {
  name: string
  gamma: tf.Variable<tf.Rank.R1>
  beta: tf.Variable<tf.Rank.R1>
}

interface Block {
  norm1: NormLayer
  query: DenseLayer
  key: DenseLayer
  value: DenseLayer
  out: DenseLayer
  norm2: NormLayer
  ffn1: DenseLayer
  ffn2: DenseLayer
}

function createNorm(name: string, dim: number): NormLayer {
  return tf.tidy(() => ({name, gamma: tf.variable(tf.ones([dim]) as tf.Tensor1D), beta: tf.variable(tf.zeros([dim]) as tf.Tensor1D)}))
}

function normVariables(norms: NormLayer[]): Record<string, tf.Variable> {
  return Object.fromEntries(norms.flatMap((n) => [[`${n.name}.gamma`, n.gamma as tf.Variable], [`${n.name}.beta`, n.beta as tf.Variable]]))
}

// GELU as x sigmoid(1.702 x): wasm's tanh (the exact form's) with its gradient costs ~4x a sigmoid.
function gelu(x: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(x, tf.sigmoid(tf.mul(x, 1.702))) as tf.Tensor2D
}

/**
 * Causal self-attention encoder trained on every position (SASRec, Kang & McAuley 2018; pre-norm as
 * in the peer and in gSASRec). Per block, on rows x [B*L, d]:
 *   x = x + drop(Wo attn(LN1(x)))      attn: h heads, causal, PAD keys masked
 *   x = x + drop(W2 drop(gelu(W1 LN2(x))))
 * then a final LayerNorm. Input: item rows + learned position rows (right-aligned windows: the most
 * recent item is always at position L-1), dropped out and zeroed at PAD. A fully masked query row
 * (PAD positions before the first item) attends uniformly through the finite -1e9 mask instead of
 * producing NaN; those rows never reach a loss or the user vector. encode() is the last position's
 * output without dropout: the user vector of eval, index and serving.
 */
export function transformerEncoder(dim: number, length: number, shape: TransformerShape, rng: Rng): HistoryEncoder {
  const {blocks: nBlocks, heads, dropout} = shape
  if (dim % heads !== 0) throw new RecError('INVALID_ARGUMENT', `transformer: dim ${dim} is not divisible by heads ${heads}`, {hint: 'choose heads among the divisors of dim'})
  const position = tf.tidy(() => tf.variable(tf.randomNormal([length, dim], 0, 0.05, 'float32', rng.fork(3).nextU32())))
  const blocks: Block[] = Array.from({length: nBlocks}, (_, i) => {
    const name = `encoder.transformer.block.${i}`
    const r = rng.fork(10 + i)
    return {
      norm1: createNorm(`${name}.norm1`, dim),
      query: createDense(`${name}.attention.query`, dim, dim, r.fork(1)),
      key: createDense(`${name}.attention.key`, dim, dim, r.fork(2)),
      value: createDense(`${name}.attention.value`, dim, dim, r.fork(3)),
      out: createDense(`${name}.attention.out`, dim, dim, r.fork(4)),
      norm2: createNorm(`${name}.norm2`, dim),
      ffn1: createDense(`${name}.ffn.0`, dim, dim, r.fork(5)),
      ffn2: createDense(`${name}.ffn.1`, dim, dim, r.fork(6)),
    }
  })
  const final = createNorm('encoder.transformer.norm', dim)
  const dh = dim / heads
  // [1, 1, L, L]: 0 on and below the diagonal, -1e9 above (a query never reads a later position).
  const causalValues = new Float32Array(length * length)
  for (let i = 0; i < length; i++) for (let j = i + 1; j < length; j++) causalValues[i * length + j] = -1e9

  function encodeSequence([xIn]: tf.Tensor[], [maskIn]: tf.Tensor[], options: {dropoutSeed?: number}): tf.Tensor3D {
    const x3 = xIn as tf.Tensor3D
    const mask = maskIn as tf.Tensor2D // [B, L], 1 = real item
    const [b, l, d] = x3.shape
    let site = 0
    const drop = <T extends tf.Tensor>(t: T): T => (options.dropoutSeed === undefined || dropout === 0 ? t : (tf.dropout(t, dropout, undefined, options.dropoutSeed + 7919 * site++) as T))
    const keep = tf.reshape(mask, [b * l, 1])
    const p = tf.slice(position, [length - l, 0], [l, d])
    let h = tf.mul(drop(tf.reshape(tf.add(x3, p), [b * l, d])), keep) as tf.Tensor2D // [B*L, d]
    // [B, 1, L, L] additive mask: causal plus PAD keys.
    const causal = tf.tensor4d(causalValues, [1, 1, length, length]).slice([0, 0, length - l, length - l], [1, 1, l, l])
    const attnMask = tf.add(causal, tf.reshape(tf.mul(tf.sub(1, mask), -1e9), [b, 1, 1, l]))
    const split = (t: tf.Tensor2D) => tf.reshape(tf.transpose(tf.reshape(t, [b, l, heads, dh]), [0, 2, 1, 3]), [b * heads, l, dh]) as tf.Tensor3D
    for (const block of blocks) {
      const a = layerNorm(h, block.norm1.gamma, block.norm1.beta)
      const q = split(tf.mul(dense(a, block.query), 1 / Math.sqrt(dh)) as tf.Tensor2D)
      const k = split(dense(a, block.key))
      const v = split(dense(a, block.value))
      const scores = tf.add(tf.reshape(batchMatMul(q, tf.transpose(k, [0, 2, 1])), [b, heads, l, l]), attnMask)
      const weights = tf.reshape(tf.softmax(scores), [b * heads, l, l]) as tf.Tensor3D
      const attended = tf.reshape(tf.transpose(tf.reshape(batchMatMul(weights, v), [b, heads, l, dh]), [0, 2, 1, 3]), [b * l, d]) as tf.Tensor2D
      h = tf.add(h, drop(dense(attended, block.out))) as tf.Tensor2D
      const f = layerNorm(h, block.norm2.gamma, block.norm2.beta)
      h = tf.add(h, drop(dense(drop(gelu(dense(f, block.ffn1))), block.ffn2))) as tf.Tensor2D
    }
    return tf.reshape(layerNorm(h, final.gamma, final.beta), [b, l, d]) as tf.Tensor3D
  }

  return {
    kind: 'transformer',
    variables: {
      'encoder.transformer.position': position,
      ...normVariables([...blocks.flatMap((bl) => [bl.norm1, bl.norm2]), final]),
      ...variablesOf(blocks.flatMap((bl) => [bl.query, bl.key, bl.value, bl.out, bl.ffn1, bl.ffn2])),
    },
    prepare: sequenceInput,
    backward: sequenceBackward,
    encodeSequence,
    encode(parts, constants) {
      const seq = encodeSequence(parts, constants, {})
      const [b, l, d] = seq.shape
      const last = tf.reshape(tf.slice(seq, [0, l - 1, 0], [b, 1, d]), [b, d])
      // A user with no history gets a zero vector, as under mean-pooling.
      const hasHistory = tf.cast(tf.greater(tf.sum(constants[0], 1, true), 0), 'float32')
      return tf.mul(last, hasHistory) as tf.Tensor2D
    },
  }
}
