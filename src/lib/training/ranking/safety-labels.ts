// Moderation labels of items (columns of kind "label", null where unpublished) as a masked label matrix.
import type {Dataset} from '../../dataset/store.js'
import {getColumn} from '../../dataset/columns.js'
import {type IdVocab, OOV_ROW} from '../../features/vocab.js'

export interface SafetyLabels {
  names: string[]
  /** Item rows with at least one published label. */
  items: Int32Array
  /** [items.length, names.length]: label value 0/1, and 1 where it is published. */
  values: Float32Array
  mask: Float32Array
}

/** Undefined when the items table has no label column or no item carries a label. */
export function readSafetyLabels(dataset: Dataset, items: IdVocab): SafetyLabels | undefined {
  const specs = dataset.manifest.features.items
  const names = Object.keys(specs)
    .filter((name) => specs[name].kind === 'label' && dataset.items[name])
    .sort()
  if (names.length === 0) return undefined
  const rows = items.rows(getColumn(dataset.items, 'item_id', 'int64').values)
  const columns = names.map((name) => dataset.items[name])
  const picked: number[] = []
  const values: number[] = []
  const mask: number[] = []
  for (let i = 0; i < rows.length; i++) {
    if (rows[i] === OOV_ROW) continue
    const cells = columns.map((c) => {
      if (c.type === 'dict' || c.type === 'utf8' || c.type === 'list_utf8') return undefined
      if (c.nulls?.[i]) return undefined
      const v = Number(c.values[i])
      return Number.isFinite(v) ? (v > 0 ? 1 : 0) : undefined
    })
    if (cells.every((v) => v === undefined)) continue
    picked.push(rows[i])
    for (const v of cells) {
      values.push(v ?? 0)
      mask.push(v === undefined ? 0 : 1)
    }
  }
  if (picked.length === 0) return undefined
  return {names, items: Int32Array.from(picked), values: Float32Array.from(values), mask: Float32Array.from(mask)}
}

/** Rows [lo, hi) of the labels, as a new set (a train or val part). */
export function sliceSafetyLabels(labels: SafetyLabels, order: ArrayLike<number>): SafetyLabels {
  const l = labels.names.length
  const n = order.length
  const out: SafetyLabels = {names: labels.names, items: new Int32Array(n), values: new Float32Array(n * l), mask: new Float32Array(n * l)}
  for (let j = 0; j < n; j++) {
    const r = order[j]
    out.items[j] = labels.items[r]
    out.values.set(labels.values.subarray(r * l, r * l + l), j * l)
    out.mask.set(labels.mask.subarray(r * l, r * l + l), j * l)
  }
  return out
}
