// Strict cell parsers: ids through BigInt (never Number, so ids above 2^53 stay exact) and finite numbers.

/** One cell as read: CSV gives text, Parquet gives typed values; lists come from Parquet list columns. */
export type Cell = string | number | bigint | null | string[]

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
const INTEGER = /^[+-]?\d+$/
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/
const NOT_A_NUMBER = /^[+-]?(nan|inf|infinity)$/i

/** An int64 id, or undefined when the cell is empty, not an integer or out of the int64 range. */
export function parseId(cell: Cell): bigint | undefined {
  if (typeof cell === 'bigint') return cell
  if (typeof cell === 'number') return Number.isSafeInteger(cell) ? BigInt(cell) : undefined
  if (typeof cell !== 'string') return undefined
  const text = cell.trim()
  if (!INTEGER.test(text)) return undefined
  const id = BigInt(text)
  return id < INT64_MIN || id > INT64_MAX ? undefined : id
}

/** A finite number, or undefined for empty text, "NaN", "inf", "1,5", "0x10" and non-finite values. */
export function parseNumber(cell: Cell): number | undefined {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : undefined
  if (typeof cell === 'bigint') return Number(cell)
  if (typeof cell !== 'string') return undefined
  const text = cell.trim()
  if (!DECIMAL.test(text)) return undefined
  const value = Number(text)
  return Number.isFinite(value) ? value : undefined
}

/** True for the spellings of NaN and infinity ("NaN", "-inf", "Infinity") and non-finite numbers. */
export function isNotANumber(cell: Cell): boolean {
  if (typeof cell === 'number') return !Number.isFinite(cell)
  return typeof cell === 'string' && NOT_A_NUMBER.test(cell.trim())
}

/** Empty text and nulls are missing values. */
export function isBlank(cell: Cell): boolean {
  return cell === null || (typeof cell === 'string' && cell.trim() === '')
}

/** The cell as display or category text. */
export function cellText(cell: Cell): string {
  if (cell === null) return ''
  if (Array.isArray(cell)) return cell.join('|')
  return typeof cell === 'string' ? cell.trim() : String(cell)
}
