// The heavy ranker: embedding slots + dense features -> shared layers (mlp | dlrm | dcn) -> one tower per head.
import * as tf from '@tensorflow/tfjs'

import {createDense, createMlp, type DenseLayer} from '../../engine/dense.js'
import {SparseEmbedding} from '../../engine/sparse-embedding.js'
import type {EmbeddingField, EntityFeatures} from '../../features/entity-features.js'
import type {Standardizer} from '../../features/cross/standardize.js'
import {RecError} from '../../errors.js'
import type {Rng} from '../../random/rng.js'
import {effectiveRankingConfig, type RankingConfig} from './config.js'
import type {HeadSpec} from './heads.js'
import {interactionSelectors} from './interactions.js'

/**
 * One embedding vector per example: an id row, the weighted bag of a categorical field of the user
 * or item, or (side "history") the mean item-id embedding of the user's last engagements before t.
 */
export interface Slot {
  side: 'user' | 'item' | 'history'
  table: SparseEmbedding
  /** Undefined for id and history slots (row = the entity's vocabulary row). */
  field?: EmbeddingField
}

export interface RankerModel {
  /** As effectiveRankingConfig resolves it (logreg: no layers, no history slot). */
  config: RankingConfig
  heads: HeadSpec[]
  /** Width of every table row: config.dim, or the number of heads for logreg (one weight per head). */
  dim: number
  slots: Slot[]
  userFeatures: EntityFeatures
  itemFeatures: EntityFeatures
  /** Dense input = [user numeric, item numeric, standardised cross features]. */
  denseNames: string[]
  cross: Standardizer
  bottom: DenseLayer[]
  top: DenseLayer[]
  crossNet: DenseLayer[]
  /** Per head: [hidden] with tower-width > 0, then the output layer [.., 1]. */
  towers: DenseLayer[][]
  /** dlrm: [K, P] 0/1 matrices picking the first and second vector of each pair; disposed with the model. */
  selectors?: {first: tf.Tensor2D; second: tf.Tensor2D; pairs: number}
  /** Fusion weight per head (config or learned): fused = sum_h fusion[h] * p_h. */
  fusion: Float32Array
  /**
   * Trained on sampled negatives: log(k q(item)) per item row, added to every head's logit when
   * scoring candidates (never in training or validation, whose negatives are sampled the same way).
   */
  logQ?: Float32Array
}

/** Width of the representation the towers read. */
function sharedWidth(config: RankingConfig, slots: number, dense: number): number {
  if (config.arch === 'logreg') return dense
  if (config.arch === 'dlrm') {
    const k = slots + (dense > 0 ? 1 : 0)
    const interactions = (k * (k - 1)) / 2 + (dense > 0 ? config.dim : 0)
    return config['top-layers'].length > 0 ? config['top-layers'].at(-1)! : interactions
  }
  const input = slots * config.dim + dense
  return config['bottom-layers'].length > 0 ? config['bottom-layers'].at(-1)! : input
}

export function createRanker(
  given: RankingConfig,
  heads: HeadSpec[],
  entities: {nUsers: number; nItems: number; user: EntityFeatures; item: EntityFeatures},
  cross: Standardizer,
  rng: Rng,
): RankerModel {
  const config = effectiveRankingConfig(given)
  const logreg = config.arch === 'logreg'
  // logreg: a table row is one weight per head, starting at 0 (a convex problem: no symmetry to break)
  const d = logreg ? heads.length : config.dim
  const adam = {learningRate: config.lr, l2: config['weight-decay']}
  const table = (name: string, rows: number, salt: number) => SparseEmbedding.create(rows, d, rng.fork(salt), {name, adam, scale: logreg ? 0 : 0.05})
  const empty: EntityFeatures = {fields: [], numeric: {names: [], mean: [], std: [], values: new Float32Array(0)}}
  const userFeatures = config['user-features'] ? entities.user : empty
  const itemFeatures = config['item-features'] ? entities.item : empty
  const slots: Slot[] = []
  if (config['id-embeddings']) {
    slots.push({side: 'user', table: table('user_id.embedding', entities.nUsers, 1)})
    slots.push({side: 'item', table: table('item_id.embedding', entities.nItems, 2)})
    // Shares the item-id table: an item read in a history moves the same row as the item itself.
    if (config['history-length'] > 0) slots.push({side: 'history', table: slots[1].table})
  }
  userFeatures.fields.forEach((field, i) => slots.push({side: 'user', field, table: table(`users.${field.name}.embedding`, field.vocab.size, 100 + i)}))
  itemFeatures.fields.forEach((field, i) => slots.push({side: 'item', field, table: table(`items.${field.name}.embedding`, field.vocab.size, 200 + i)}))
  const denseNames = [...userFeatures.numeric.names.map((n) => `users.${n}`), ...itemFeatures.numeric.names.map((n) => `items.${n}`), ...cross.names.map((n) => `cross.${n}`)]
  const nDense = denseNames.length
  if (logreg && nDense === 0) {
    throw new RecError('INVALID_ARGUMENT', 'logreg has no dense feature to weigh: user and item numeric features and cross features are all off or absent', {hint: 'enable --cross-features'})
  }
  const input = slots.length * d + nDense
  const model: RankerModel = {config, heads, dim: d, slots, userFeatures, itemFeatures, denseNames, cross, bottom: [], top: [], crossNet: [], towers: [], fusion: new Float32Array(heads.length)}
  if (config.arch === 'dlrm') {
    if (nDense > 0) model.bottom = createMlp('bottom', [nDense, ...config['bottom-layers'], d], rng.fork(10))
    const k = slots.length + (nDense > 0 ? 1 : 0)
    model.selectors = interactionSelectors(k)
    const topIn = model.selectors.pairs + (nDense > 0 ? d : 0)
    if (config['top-layers'].length > 0) model.top = createMlp('top', [topIn, ...config['top-layers']], rng.fork(11))
  } else if (!logreg) {
    if (config.arch === 'dcn') model.crossNet = Array.from({length: config['cross-layers']}, (_, l) => createDense(`cross.${l}`, input, input, rng.fork(20 + l)))
    if (config['bottom-layers'].length > 0) model.bottom = createMlp('bottom', [input, ...config['bottom-layers']], rng.fork(10))
  }
  const width = sharedWidth(config, slots.length, nDense)
  const t = config['tower-width']
  model.towers = heads.map((head, h) =>
    t > 0 ? [createDense(`head.${head.name}.0`, width, t, rng.fork(300 + h)), createDense(`head.${head.name}.1`, t, 1, rng.fork(400 + h))] : [createDense(`head.${head.name}.0`, width, 1, rng.fork(300 + h))],
  )
  if (logreg) for (const [layer] of model.towers) tf.tidy(() => layer.kernel.assign(tf.zerosLike(layer.kernel)))
  heads.forEach((head, h) => (model.fusion[h] = config['fusion-weights'][head.name] ?? 1))
  return model
}

/** Every dense layer, for naming, optimizers and checkpoints. */
export function rankerLayers(model: RankerModel): DenseLayer[] {
  return [...model.crossNet, ...model.bottom, ...model.top, ...model.towers.flat()]
}

export function rankerVariables(model: RankerModel): tf.Variable[] {
  return rankerLayers(model).flatMap((layer) => [layer.kernel as tf.Variable, layer.bias as tf.Variable])
}

/** Sparse tables by checkpoint name. */
export function rankerTables(model: RankerModel): Record<string, SparseEmbedding> {
  return Object.fromEntries(model.slots.map((slot) => [slot.table.name, slot.table]))
}

/** Releases the model's tensors (variables and dlrm selectors). */
export function disposeRanker(model: RankerModel): void {
  tf.dispose(rankerVariables(model))
  if (model.selectors) tf.dispose([model.selectors.first, model.selectors.second])
}
