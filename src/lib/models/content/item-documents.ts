// The items table -> one "document" of term counts per item row: words of the text columns, "column=value" tokens of the categorical ones.
import {type Column, type ColumnTable, getColumn, tableLength} from '../../dataset/columns.js'
import {RecError} from '../../errors.js'
import type {IdVocab} from '../../features/vocab.js'
import type {ContentConfig} from './config.js'
import type {TermCounts} from './tfidf.js'
import {categoryToken, ENGLISH_STOP_WORDS, pushWords} from './tokenize.js'

export interface ItemDocuments {
  /** Row r is item row r of `items` (row 0, the out-of-vocabulary item, is empty). */
  docs: TermCounts
  /** The configured columns the table has, and those it lacks (skipped). */
  textColumns: string[]
  tokenColumns: string[]
  missing: string[]
}

/** Cell strings of row i: one for a scalar, every element of a list, none for a null or "". */
function cellValues(column: Column, i: number): string[] {
  switch (column.type) {
    case 'utf8':
      return column.values[i] === '' ? [] : [column.values[i]]
    case 'dict': {
      const v = column.dictionary[column.codes[i]]
      return v === '' || v === undefined ? [] : [v]
    }
    case 'list_utf8':
      return column.values[i]
    default:
      return column.nulls?.[i] ? [] : [String(column.values[i])]
  }
}

const TEXT_TYPES = new Set(['utf8', 'dict', 'list_utf8'])

/**
 * Tokenises every item. Term counts are weighted by column-weights (default 1). Throws BAD_SCHEMA
 * for a text column that holds no strings, INVALID_ARGUMENT when none of the configured columns exists.
 */
export function buildItemDocuments(table: ColumnTable, items: IdVocab, config: ContentConfig, file: string): ItemDocuments {
  const textColumns = config['text-columns'].filter((c) => table[c] !== undefined && c !== 'item_id')
  const tokenColumns = config['token-columns'].filter((c) => table[c] !== undefined && c !== 'item_id')
  const missing = [...config['text-columns'], ...config['token-columns']].filter((c) => table[c] === undefined)
  if (textColumns.length + tokenColumns.length === 0) {
    throw new RecError('INVALID_ARGUMENT', `${file} has none of the configured content columns (${[...config['text-columns'], ...config['token-columns']].join(', ')}); it has ${Object.keys(table).join(', ')}`, {
      hint: 'set --text-columns and --token-columns to item columns',
    })
  }
  for (const c of textColumns) {
    if (!TEXT_TYPES.has(table[c].type)) throw new RecError('BAD_SCHEMA', `${file}: text column "${c}" is ${table[c].type}, not strings`, {hint: 'list it in --token-columns instead'})
  }
  const stop = config['stop-words'] === 'english' ? ENGLISH_STOP_WORDS : undefined
  const weights = config['column-weights']
  const ids = getColumn(table, 'item_id', 'int64').values
  const n = tableLength(table)

  // --- one term list per item, in item-row order
  const rowOfTable = new Int32Array(items.size).fill(-1)
  for (let i = 0; i < n; i++) rowOfTable[items.row(ids[i])] = i
  const index = new Map<string, number>()
  const names: string[] = []
  let scratch = new Float64Array(1024)
  const touched: number[] = []
  const offsets = new Int32Array(items.size + 1)
  const outIds: number[] = []
  const outCounts: number[] = []
  const words: string[] = []
  const add = (term: string, weight: number) => {
    let id = index.get(term)
    if (id === undefined) {
      id = names.push(term) - 1
      index.set(term, id)
      if (id >= scratch.length) {
        const grown = new Float64Array(scratch.length * 2)
        grown.set(scratch)
        scratch = grown
      }
    }
    if (scratch[id] === 0) touched.push(id)
    scratch[id] += weight
  }
  for (let row = 1; row < items.size; row++) {
    const i = rowOfTable[row]
    if (i >= 0) {
      for (const c of textColumns) {
        words.length = 0
        for (const text of cellValues(table[c], i)) pushWords(text, stop, words)
        const w = weights[c] ?? 1
        for (const word of words) add(word, w)
      }
      for (const c of tokenColumns) {
        const w = weights[c] ?? 1
        for (const value of cellValues(table[c], i)) if (value.trim() !== '') add(categoryToken(c, value), w)
      }
    }
    touched.sort((a, b) => a - b)
    for (const id of touched) {
      outIds.push(id)
      outCounts.push(scratch[id])
      scratch[id] = 0
    }
    touched.length = 0
    offsets[row + 1] = outIds.length
  }
  return {docs: {offsets, ids: Int32Array.from(outIds), counts: Float64Array.from(outCounts), names}, textColumns, tokenColumns, missing}
}
