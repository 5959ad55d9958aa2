// Feature specs -> per-entity model inputs: embedding "bags" per categorical field and a numeric block.
import {type ColumnTable, getColumn} from '../dataset/columns.js'
import type {FeatureSpec} from '../dataset/manifest.js'
import {CategoryVocab, type IdVocab, OOV_ROW} from './vocab.js'

/**
 * One categorical or multi-categorical field as CSR over entity rows: entity r uses embedding rows
 * rows[offsets[r]..offsets[r+1]) with weights (1 for categorical, 1/n for an n-valued multi-hot).
 */
export interface EmbeddingField {
  name: string
  vocab: CategoryVocab
  offsets: Int32Array // [nEntities + 1]
  rows: Int32Array
  weights: Float32Array
}

/** Numeric features standardised with stored statistics; nulls become 0 (the mean). */
export interface NumericBlock {
  names: string[]
  mean: number[]
  std: number[]
  values: Float32Array // [nEntities, names.length]
}

export interface EntityFeatures {
  fields: EmbeddingField[]
  numeric: NumericBlock
}

/** Statistics and vocabularies learned once, stored in the checkpoint, reused at eval and serve time. */
export interface FeatureState {
  categories: Record<string, string[]>
  numeric: {names: string[]; mean: number[]; std: number[]}
}

function cellStrings(table: ColumnTable, name: string, i: number): string[] {
  const column = table[name]
  switch (column.type) {
    case 'dict':
      return [column.dictionary[column.codes[i]]]
    case 'list_utf8':
      return column.values[i]
    case 'utf8':
      return [column.values[i]]
    default:
      return column.nulls?.[i] ? [] : [String(column.values[i])]
  }
}

function numericCell(table: ColumnTable, name: string, i: number): number | undefined {
  const column = table[name]
  if (column.type === 'dict' || column.type === 'utf8' || column.type === 'list_utf8') return undefined
  if (column.nulls?.[i]) return undefined
  const v = Number(column.values[i])
  return Number.isFinite(v) ? v : undefined
}

/** The model-input columns of a spec map: categorical/id/multi-categorical embed; numeric standardise. */
export function inputColumns(specs: Record<string, FeatureSpec>): {embedded: string[]; numeric: string[]} {
  const embedded: string[] = []
  const numeric: string[] = []
  for (const [name, spec] of Object.entries(specs).sort(([a], [b]) => a.localeCompare(b))) {
    if (spec.kind === 'categorical' || spec.kind === 'multi-categorical' || spec.kind === 'id') embedded.push(name)
    else if (spec.kind === 'numeric') numeric.push(name)
  }
  return {embedded, numeric}
}

/** Learns vocabularies and numeric statistics from an entity table (side information, not interactions). */
export function fitFeatureState(table: ColumnTable, specs: Record<string, FeatureSpec>): FeatureState {
  const {embedded, numeric} = inputColumns(specs)
  const n = Object.values(table)[0] ? getLength(table) : 0
  const categories: Record<string, string[]> = {}
  for (const name of embedded) {
    const seen = new Set<string>()
    for (let i = 0; i < n; i++) for (const v of cellStrings(table, name, i)) seen.add(v)
    categories[name] = [...seen].sort()
  }
  const mean: number[] = []
  const std: number[] = []
  for (const name of numeric) {
    let sum = 0
    let sq = 0
    let count = 0
    for (let i = 0; i < n; i++) {
      const v = numericCell(table, name, i)
      if (v === undefined) continue
      sum += v
      sq += v * v
      count++
    }
    const m = count ? sum / count : 0
    mean.push(m)
    std.push(count ? Math.sqrt(Math.max(sq / count - m * m, 0)) || 1 : 1)
  }
  return {categories, numeric: {names: numeric, mean, std}}
}

function getLength(table: ColumnTable): number {
  const first = Object.values(table)[0]
  return first.type === 'dict' ? first.codes.length : first.values.length
}

/**
 * Encodes every entity of `vocab` (row r = vocab row; row 0 = OOV gets only OOV rows) from `table`,
 * whose `idColumn` holds the ids. Entities absent from the table also get OOV rows.
 */
export function encodeEntities(table: ColumnTable, idColumn: string, vocab: IdVocab, state: FeatureState): EntityFeatures {
  const ids = getColumn(table, idColumn, 'int64').values
  const sourceRow = new Int32Array(vocab.size).fill(-1)
  for (let i = 0; i < ids.length; i++) {
    const r = vocab.row(ids[i])
    if (r !== OOV_ROW) sourceRow[r] = i
  }
  const fields: EmbeddingField[] = Object.entries(state.categories).map(([name, values]) => {
    const fieldVocab = new CategoryVocab(values)
    const offsets = new Int32Array(vocab.size + 1)
    const rows: number[] = []
    const weights: number[] = []
    for (let r = 0; r < vocab.size; r++) {
      const src = sourceRow[r]
      const cells = src >= 0 && table[name] ? cellStrings(table, name, src) : []
      if (cells.length === 0) {
        rows.push(OOV_ROW)
        weights.push(1)
      } else {
        for (const v of cells) {
          rows.push(fieldVocab.row(v))
          weights.push(1 / cells.length)
        }
      }
      offsets[r + 1] = rows.length
    }
    return {name, vocab: fieldVocab, offsets, rows: Int32Array.from(rows), weights: Float32Array.from(weights)}
  })
  const {names, mean, std} = state.numeric
  const values = new Float32Array(vocab.size * names.length)
  for (let r = 0; r < vocab.size; r++) {
    const src = sourceRow[r]
    if (src < 0) continue
    for (let j = 0; j < names.length; j++) {
      const v = table[names[j]] ? numericCell(table, names[j], src) : undefined
      if (v !== undefined) values[r * names.length + j] = (v - mean[j]) / std[j]
    }
  }
  return {fields, numeric: {names, mean, std, values}}
}
