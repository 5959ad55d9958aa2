// Error messages that point at one place in an input file: "<file> line 17: column "rating" ...".
import {RecError, type RecErrorCode} from '../../errors.js'

/** Text files count lines (1-based, header included); Parquet files count rows (1-based). */
export type PositionUnit = 'line' | 'row'

/** A RecError naming the file and the line or row; `code` defaults to BAD_DATA. */
export function inputError(file: string, unit: PositionUnit, index: number, message: string, code: RecErrorCode = 'BAD_DATA', hint?: string): RecError {
  return new RecError(code, `${file} ${unit} ${index}: ${message}`, hint === undefined ? {} : {hint})
}

/** Quotes a cell for a message, cut to 40 characters so one bad line stays one line. */
export function showValue(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value)
  const flat = text.replace(/[\r\n]+/g, ' ')
  return JSON.stringify(flat.length > 40 ? flat.slice(0, 37) + '...' : flat)
}

/** A BAD_SCHEMA error about the header: line 1 of a text file, the schema of a Parquet file. */
export function headerError(file: string, unit: PositionUnit, message: string, hint?: string): RecError {
  if (unit === 'line') return inputError(file, 'line', 1, message, 'BAD_SCHEMA', hint)
  return new RecError('BAD_SCHEMA', `${file}: ${message}`, hint === undefined ? {} : {hint})
}
