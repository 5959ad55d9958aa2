// Reads a users or items file (CSV/TSV/Parquet): one id column plus feature columns of inferred kind.
import {RecError} from '../../errors.js'
import type {Reporter} from '../../reporter.js'
import type {ColumnTable} from '../columns.js'
import {type Cell, cellText, parseId} from './cells.js'
import {toFeatureColumn} from './feature-column.js'
import {Growable} from './growable.js'
import {headerError, inputError, showValue} from './location.js'
import {scanTabular, type TabularHeader} from './tabular.js'

export interface FeatureTableOptions {
  /** The id column in the file (e.g. "user_id", or "uid" with --users-id-col uid). */
  idColumn: string
  /** The id column's name in the dataset: "user_id" or "item_id". */
  outIdColumn: 'user_id' | 'item_id'
  /** Columns whose cells are "|"-separated lists (multi-categorical); names absent from the file are ignored. */
  multiColumns?: readonly string[]
  reporter?: Reporter
}

/**
 * The table with the id column first (renamed to `outIdColumn`), then every other column in file
 * order. Fails on a missing id column, an unparsable or duplicate id, NaN in a numeric column or a
 * file without rows.
 */
export async function readFeatureTable(path: string, options: FeatureTableOptions): Promise<ColumnTable> {
  const ids = new Growable(BigInt64Array)
  const positions = new Growable(Int32Array)
  const firstSeen = new Map<bigint, number>()
  let header: TabularHeader | undefined
  let idIndex = -1
  let cells: Cell[][] = []

  const rows = await scanTabular(path, options.reporter, (h) => {
    header = h
    idIndex = h.columns.indexOf(options.idColumn)
    const flag = options.outIdColumn === 'user_id' ? '--users-id-col' : '--items-id-col'
    if (idIndex < 0) throw headerError(path, h.unit, `no id column "${options.idColumn}" (columns: ${h.columns.join(', ')})`, `name it with ${flag}`)
    const clash = h.columns.findIndex((c, i) => c === options.outIdColumn && i !== idIndex)
    if (clash >= 0) throw headerError(path, h.unit, `column "${options.outIdColumn}" is not the id column "${options.idColumn}" but would collide with it`)
    cells = h.columns.map(() => [])
    return (row, position) => {
      const id = parseId(row[idIndex])
      if (id === undefined) throw inputError(path, h.unit, position, `column "${options.idColumn}" value ${showValue(cellText(row[idIndex]))} is not an int64 id`)
      const first = firstSeen.get(id)
      if (first !== undefined) throw inputError(path, h.unit, position, `duplicate ${options.idColumn} ${id} (first at ${h.unit} ${first})`)
      firstSeen.set(id, position)
      ids.push(id)
      positions.push(position)
      for (let c = 0; c < row.length; c++) if (c !== idIndex) cells[c].push(row[c])
    }
  })
  if (rows === 0) throw new RecError('EMPTY', `${path} holds no rows (only a header)`)

  const table: ColumnTable = {[options.outIdColumn]: {type: 'int64', values: ids.finish()}}
  const at = positions.finish()
  const multi = new Set(options.multiColumns ?? [])
  header!.columns.forEach((name, c) => {
    if (c === idIndex) return
    const column = toFeatureColumn(cells[c], multi.has(name))
    if ('row' in column) {
      throw inputError(path, header!.unit, at[column.row], `column "${name}" value ${showValue(cellText(cells[c][column.row]))} ${column.message}`)
    }
    table[name] = column
  })
  return table
}
