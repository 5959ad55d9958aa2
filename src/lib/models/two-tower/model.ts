// The two-tower model: user tower (id + features + history encoder) and item tower (id + features).
import * as tf from '@tensorflow/tfjs'

import {createDense, createMlp, dense, type DenseLayer, mlp} from '../../engine/dense.js'
import {l2Normalize} from '../../engine/l2-normalize.js'
import {matMul} from '../../engine/matmul.js'
import {PAD} from '../../engine/mean-pool.js'
import {SparseEmbedding} from '../../engine/sparse-embedding.js'
import type {EntityFeatures} from '../../features/entity-features.js'
import type {Rng} from '../../random/rng.js'
import type {RetrievalConfig} from './config.js'
import {accumulateFieldGradients, addFieldEmbeddings, type BoundField, gatherMatrixRows} from './field-pool.js'
import {createHistoryEncoder, type HistoryEncoder, type HistoryInput} from './history-encoders.js'

/** One tower's trainable parts: embedding tables (sparse) and dense layers. */
export interface Tower {
  ids?: SparseEmbedding
  fields: BoundField[]
  features: EntityFeatures
  numeric?: DenseLayer
  mlp: DenseLayer[]
}

export interface TwoTowerModel {
  config: RetrievalConfig
  dim: number
  user: Tower
  item: Tower
  /** The item-id table: the item tower's id embedding, also read by the user's history encoder. */
  items: SparseEmbedding
  encoder: HistoryEncoder
}

/** JS-side inputs of the user tower for a batch: [B, dim] base, [B, nNumeric], history. */
export interface UserBatchInput {
  rows: Int32Array
  history: Int32Array // [B, L] right-aligned, PAD-filled
  base: Float32Array
  numeric: Float32Array
  encoded: HistoryInput
}

export interface ItemBatchInput {
  rows: Int32Array
  base: Float32Array
  numeric: Float32Array
}

/**
 * Where sparse tables live. Default: fresh random weights in private memory. `shared`: fresh
 * weights in SharedArrayBuffers, so that worker threads read them without copies. `tables`: the
 * given weights by table name (a worker's view of the main thread's shared tables), not redrawn.
 */
export interface TableStorage {
  shared?: boolean
  tables?: Record<string, Float32Array>
}

function makeTable(name: string, rows: number, config: RetrievalConfig, rng: Rng, storage: TableStorage): SparseEmbedding {
  const adam = {learningRate: config.lr, l2: config['weight-decay']}
  const given = storage.tables?.[name]
  if (given) return new SparseEmbedding(given, config.dim, {name, adam})
  return SparseEmbedding.create(rows, config.dim, rng, {name, adam, shared: storage.shared})
}

function createTower(name: 'user' | 'item', vocabSize: number, features: EntityFeatures, config: RetrievalConfig, rng: Rng, useIds: boolean, useFeatures: boolean, storage: TableStorage, ids?: SparseEmbedding): Tower {
  const dim = config.dim
  const fields = useFeatures ? features.fields.map((field, i) => ({field, table: makeTable(`${name}.${field.name}.embedding`, field.vocab.size, config, rng.fork(100 + i), storage)})) : []
  const nNumeric = useFeatures ? features.numeric.names.length : 0
  return {
    ids: useIds ? (ids ?? makeTable(`${name}_id.embedding`, vocabSize, config, rng.fork(1), storage)) : undefined,
    fields,
    features: useFeatures ? features : {fields: [], numeric: {names: [], mean: [], std: [], values: new Float32Array(0)}},
    numeric: nNumeric > 0 ? createDense(`${name}_numeric`, nNumeric, dim, rng.fork(2)) : undefined,
    mlp: config['tower-layers'].length > 0 ? createMlp(`${name}_tower`, [dim, ...config['tower-layers'], dim], rng.fork(3)) : [],
  }
}

export function createTwoTower(config: RetrievalConfig, nUsers: number, nItems: number, userFeatures: EntityFeatures, itemFeatures: EntityFeatures, rng: Rng, storage: TableStorage = {}): TwoTowerModel {
  const items = makeTable('item_id.embedding', nItems, config, rng.fork(10), storage)
  return {
    config,
    dim: config.dim,
    user: createTower('user', nUsers, userFeatures, config, rng.fork(11), config['user-id'], config['user-features'], storage),
    item: createTower('item', nItems, itemFeatures, config, rng.fork(12), true, config['item-features'], storage, items),
    items,
    encoder: createHistoryEncoder(config['user-encoder'], config.dim, Math.max(config['history-length'], 1), rng.fork(13), config),
  }
}

function towerBase(tower: Tower, rows: Int32Array, dim: number): Float32Array {
  const base = tower.ids ? tower.ids.gatherRows(rows) : new Float32Array(rows.length * dim)
  addFieldEmbeddings(tower.fields, rows, dim, base)
  return base
}

/** Builds the user tower's JS-side inputs; `history` is [B, L] (L = config history-length, at least 1). */
export function prepareUsers(model: TwoTowerModel, rows: Int32Array, history: Int32Array): UserBatchInput {
  const length = history.length / rows.length
  return {
    rows,
    history,
    base: towerBase(model.user, rows, model.dim),
    numeric: gatherMatrixRows(model.user.features.numeric.values, model.user.features.numeric.names.length, rows),
    encoded: model.encoder.prepare(model.items, history, length),
  }
}

export function prepareItems(model: TwoTowerModel, rows: Int32Array): ItemBatchInput {
  return {
    rows,
    base: towerBase(model.item, rows, model.dim),
    numeric: gatherMatrixRows(model.item.features.numeric.values, model.item.features.numeric.names.length, rows),
  }
}

function finishTower(tower: Tower, x: tf.Tensor2D, numeric: tf.Tensor2D | undefined): tf.Tensor2D {
  let h = x
  if (tower.numeric && numeric) h = tf.add(h, dense(numeric, tower.numeric)) as tf.Tensor2D
  if (tower.mlp.length > 0) h = mlp(h, tower.mlp)
  // L2-normalised so that logits are cosines (scaled by 1 / temperature).
  return l2Normalize(h)
}

/** The user tower after its encoder: [n, dim] rows of base + encoded history -> numeric features, MLP, L2 norm. */
export function finishUserTower(model: TwoTowerModel, x: tf.Tensor2D, numeric: tf.Tensor2D | undefined): tf.Tensor2D {
  return finishTower(model.user, x, numeric)
}

/** [B, dim] user embeddings from tensors of the prepared inputs (inside a tape or tidy). */
export function userTower(model: TwoTowerModel, base: tf.Tensor2D, history: tf.Tensor[], historyConstants: tf.Tensor[], numeric: tf.Tensor2D | undefined): tf.Tensor2D {
  const encoded = model.encoder.encode(history, historyConstants)
  return finishTower(model.user, tf.add(base, encoded) as tf.Tensor2D, numeric)
}

export function itemTower(model: TwoTowerModel, base: tf.Tensor2D, numeric: tf.Tensor2D | undefined): tf.Tensor2D {
  return finishTower(model.item, base, numeric)
}

/** Every dense variable by checkpoint name. */
export function denseVariablesByName(model: TwoTowerModel): Record<string, tf.Variable> {
  const out: Record<string, tf.Variable> = {...model.encoder.variables}
  for (const tower of [model.user, model.item]) {
    for (const layer of [...(tower.numeric ? [tower.numeric] : []), ...tower.mlp]) {
      out[`${layer.name}.kernel`] = layer.kernel as tf.Variable
      out[`${layer.name}.bias`] = layer.bias as tf.Variable
    }
  }
  return out
}

/** Every sparse table by checkpoint name (the item-id table once). */
export function sparseTablesByName(model: TwoTowerModel): Record<string, SparseEmbedding> {
  const out: Record<string, SparseEmbedding> = {[model.items.name]: model.items}
  for (const tower of [model.user, model.item]) {
    if (tower.ids) out[tower.ids.name] = tower.ids
    for (const {table} of tower.fields) out[table.name] = table
  }
  return out
}

/** Applies the pending gradient of every sparse table. */
export function stepSparse(model: TwoTowerModel): void {
  for (const table of Object.values(sparseTablesByName(model))) table.step()
}

/** Adds gradients w.r.t. the tower bases into the tables' pending rows. */
export function backwardBase(tower: Tower, rows: Int32Array, dim: number, grad: Float32Array): void {
  if (tower.ids) for (let b = 0; b < rows.length; b++) tower.ids.accumulateRow(rows[b], grad, b * dim, 1)
  accumulateFieldGradients(tower.fields, rows, dim, grad)
}

/** Cosine scores of users x items, no gradient: matMul of normalised embeddings. */
export function scoreMatrix(users: tf.Tensor2D, items: tf.Tensor2D): tf.Tensor2D {
  return matMul(users, tf.transpose(items))
}

export {PAD}
