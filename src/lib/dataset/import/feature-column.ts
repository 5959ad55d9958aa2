// Feature cells -> one typed column: numeric when every value is a number, else categorical or a list.
import {type Column, toDict} from '../columns.js'
import {type Cell, cellText, isBlank, isNotANumber, parseNumber} from './cells.js'

/** Splits multi-categorical cells ("Action|Comedy"). */
export const MULTI_SEPARATOR = '|'

/** Why the cell at 0-based `row` cannot be used; the caller names the file, position and value. */
export interface CellProblem {
  row: number
  message: string
}

/**
 * Blank cells are missing values: null in a numeric column, "" in a categorical one, [] in a list.
 * A column is numeric (float64) when every non-blank cell parses as a finite number; NaN or
 * infinity among numbers or blanks is a problem rather than a reason to call the column categorical. `multi`
 * columns and Parquet list columns become list_utf8 (multi-categorical).
 */
export function toFeatureColumn(cells: readonly Cell[], multi: boolean): Column | CellProblem {
  const n = cells.length
  if (multi || cells.some((c) => Array.isArray(c))) {
    const values = cells.map((c) => {
      if (Array.isArray(c)) return c
      if (isBlank(c)) return []
      return cellText(c)
        .split(MULTI_SEPARATOR)
        .map((v) => v.trim())
        .filter((v) => v !== '')
    })
    return {type: 'list_utf8', values}
  }
  let numbers = 0
  let notANumber = -1
  for (let row = 0; row < n; row++) {
    if (isBlank(cells[row])) continue
    if (parseNumber(cells[row]) !== undefined) numbers++
    else if (isNotANumber(cells[row])) notANumber = notANumber < 0 ? row : notANumber
    else return categorical(cells)
  }
  if (notANumber >= 0) return {row: notANumber, message: 'is not finite, in a column of numbers'}
  if (numbers === 0) return categorical(cells)
  const values = new Float64Array(n)
  const nulls = new Uint8Array(n)
  let anyNull = false
  for (let row = 0; row < n; row++) {
    const value = parseNumber(cells[row])
    if (value === undefined) {
      nulls[row] = 1
      anyNull = true
    } else values[row] = value
  }
  return anyNull ? {type: 'float64', values, nulls} : {type: 'float64', values}
}

function categorical(cells: readonly Cell[]): Column {
  return toDict(cells.map(cellText))
}
