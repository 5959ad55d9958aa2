// One row visitor over CSV, TSV or Parquet files, so importers read every format through one path.
import {extname} from 'node:path'

import {RecError} from '../../errors.js'
import type {Reporter} from '../../reporter.js'
import type {Column, ColumnType} from '../columns.js'
import {readParquetFile} from '../parquet.js'
import type {Cell} from './cells.js'
import {readCsvRecords} from './csv-reader.js'
import {checkInputFile} from './line-reader.js'
import {inputError, type PositionUnit} from './location.js'

export type TabularFormat = {kind: 'text'; delimiter: string} | {kind: 'parquet'}

/** The format from the extension: .csv, .tsv/.tab or .parquet/.pq. */
export function tabularFormat(path: string): TabularFormat {
  const ext = extname(path).toLowerCase()
  if (ext === '.csv') return {kind: 'text', delimiter: ','}
  if (ext === '.tsv' || ext === '.tab') return {kind: 'text', delimiter: '\t'}
  if (ext === '.parquet' || ext === '.pq') return {kind: 'parquet'}
  throw new RecError('INVALID_ARGUMENT', `${path}: cannot tell the format from the extension "${ext}"`, {hint: 'use .csv, .tsv or .parquet'})
}

/** What a reader learns from the header before the rows: names, how positions count, Parquet types. */
export interface TabularHeader {
  file: string
  columns: string[]
  unit: PositionUnit
  /** Parquet column types; undefined for text files, whose cells are all strings. */
  types?: ColumnType[]
}

/** Called per data row with the cells in header order and the row's line (text) or row (Parquet) number. */
export type RowVisitor = (cells: Cell[], position: number) => void

function parquetCell(column: Column, row: number): Cell {
  if ('nulls' in column && column.nulls?.[row]) return null
  switch (column.type) {
    case 'dict':
      return column.dictionary[column.codes[row]]
    case 'utf8':
    case 'list_utf8':
    case 'int64':
      return column.values[row]
    default:
      return Number(column.values[row])
  }
}

/**
 * Reads `path`, calls `begin(header)` once (it validates columns and returns the row visitor), then
 * the visitor per row. Text rows with a field count unlike the header's fail with their line number.
 * Returns the number of data rows.
 */
export async function scanTabular(path: string, reporter: Reporter | undefined, begin: (header: TabularHeader) => RowVisitor): Promise<number> {
  const format = tabularFormat(path)
  await checkInputFile(path)
  if (format.kind === 'parquet') {
    const table = await readParquetFile(path)
    const names = Object.keys(table)
    const columns = names.map((name) => table[name])
    const visit = begin({file: path, columns: names, unit: 'row', types: columns.map((c) => c.type)})
    const rows = columns.length === 0 ? 0 : columns[0].type === 'dict' ? columns[0].codes.length : columns[0].values.length
    for (let row = 0; row < rows; row++) visit(columns.map((c) => parquetCell(c, row)), row + 1)
    return rows
  }
  let visit: RowVisitor | undefined
  let width = 0
  let rows = 0
  await readCsvRecords(path, {delimiter: format.delimiter, reporter}, (fields, lineNo) => {
    if (!visit) {
      const names = fields.map((f) => f.trim())
      const dup = names.find((name, i) => names.indexOf(name) !== i)
      if (dup !== undefined) throw inputError(path, 'line', lineNo, `the header names column "${dup}" twice`, 'BAD_SCHEMA')
      width = names.length
      visit = begin({file: path, columns: names, unit: 'line'})
      return
    }
    if (fields.length !== width) throw inputError(path, 'line', lineNo, `${fields.length} fields, but the header has ${width}`)
    rows++
    visit(fields, lineNo)
  })
  if (!visit) throw new RecError('EMPTY', `${path} holds no header line`)
  return rows
}
