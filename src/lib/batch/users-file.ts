// The users of rec recommend --users FILE: a text or CSV file of user ids (one a line) or a Parquet file with a user_id column.
import {readFile} from 'node:fs/promises'

import {decodeParquet} from '../dataset/parquet.js'
import {RecError} from '../errors.js'

export interface UserList {
  /** Distinct ids in file order (a repeated id keeps its first place). */
  ids: BigInt64Array
  /** Repeated ids left out. */
  duplicates: number
}

const INT64 = /^[+-]?\d{1,19}$/
const MIN = -(2n ** 63n)
const MAX = 2n ** 63n - 1n

/**
 * Text: one id per line; blank lines are skipped; a first line that is not an id is a header. A CSV line
 * takes the header's user_id column (else the first). Parquet (by the PAR1 magic): its user_id column,
 * int64 or int32. NOT_FOUND for a missing file, BAD_DATA naming the line of a value that is no int64,
 * BAD_SCHEMA for a Parquet file without user_id, EMPTY for a file with no ids.
 */
export async function readUserList(path: string): Promise<UserList> {
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch {
    throw new RecError('NOT_FOUND', `--users file ${path} does not exist or cannot be read`, {hint: 'give a text file of user ids, one a line, a Parquet file with a user_id column, or --users all'})
  }
  const ids = bytes.subarray(0, 4).toString('latin1') === 'PAR1' ? parquetIds(bytes, path) : textIds(bytes.toString('utf8'), path)
  if (ids.length === 0) throw new RecError('EMPTY', `--users file ${path} holds no user ids`)
  const distinct = [...new Set(ids)]
  return {ids: BigInt64Array.from(distinct), duplicates: ids.length - distinct.length}
}

function parquetIds(bytes: Uint8Array, path: string): bigint[] {
  const column = decodeParquet(bytes, path).user_id
  if (column?.type === 'int64') return Array.from(column.values)
  if (column?.type === 'int32') return Array.from(column.values, BigInt)
  throw new RecError('BAD_SCHEMA', `${path}: ${column ? `column "user_id" is ${column.type}, expected int64` : 'no column "user_id"'}`)
}

function textIds(text: string, path: string): bigint[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  const ids: bigint[] = []
  const header = lines.findIndex((line) => line.trim() !== '')
  let field = 0
  lines.forEach((line, i) => {
    if (line.trim() === '') return
    const cells = line.split(',').map((cell) => cell.trim().replace(/^"(.*)"$/, '$1'))
    if (i === header && !INT64.test(cells[0])) {
      field = Math.max(0, cells.indexOf('user_id'))
      return
    }
    const cell = cells[field] ?? ''
    const id = INT64.test(cell) ? BigInt(cell) : undefined
    if (id === undefined || id < MIN || id > MAX) throw new RecError('BAD_DATA', `${path}:${i + 1}: "${cell}" is not a user id (an int64)`)
    ids.push(id)
  })
  return ids
}

