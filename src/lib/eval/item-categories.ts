// The item feature intra-list diversity is measured on: the first categorical or multi-categorical item column.
import {type ColumnTable, getColumn, tableLength} from '../dataset/columns.js'
import type {Dataset} from '../dataset/store.js'
import type {IdVocab} from '../features/vocab.js'
import {type Csr, csrFromLists} from '../metrics/csr.js'

export interface ItemCategories {
  /** Column name in items.parquet, e.g. "topic" or "genres". */
  feature: string
  kind: 'categorical' | 'multi-categorical'
  /** Item row -> category ids (0..nCategories-1); rows without a value (and the OOV row 0) have none. */
  csr: Csr
  nCategories: number
}

/**
 * Picks the first item feature, in dataset.json order, whose kind is categorical or
 * multi-categorical; undefined when the dataset has none (diversity@K is then not reported).
 */
export function itemCategories(dataset: Dataset, items: IdVocab): ItemCategories | undefined {
  const entry = Object.entries(dataset.manifest.features.items).find(([name, spec]) => (spec.kind === 'categorical' || spec.kind === 'multi-categorical') && dataset.items[name])
  if (!entry) return undefined
  const [feature, spec] = entry
  const ids = getColumn(dataset.items, 'item_id', 'int64').values
  const categoryIds = new Map<string, number>()
  const lists: number[][] = Array.from({length: items.size}, () => [])
  for (let r = 0; r < tableLength(dataset.items); r++) {
    const row = items.row(ids[r])
    if (row === 0) continue
    for (const value of cellValues(dataset.items, feature, r)) {
      let id = categoryIds.get(value)
      if (id === undefined) {
        id = categoryIds.size
        categoryIds.set(value, id)
      }
      lists[row].push(id)
    }
  }
  return {feature, kind: spec.kind as ItemCategories['kind'], csr: csrFromLists(lists), nCategories: categoryIds.size}
}

function cellValues(table: ColumnTable, name: string, r: number): string[] {
  const column = table[name]
  switch (column.type) {
    case 'dict':
      return [column.dictionary[column.codes[r]]]
    case 'list_utf8':
      return column.values[r]
    case 'utf8':
      return [column.values[r]]
    default:
      return column.nulls?.[r] ? [] : [String(column.values[r])]
  }
}
