// Compressed sparse rows: per key (a user or item row) a list of rows, the shape of histories, targets and categories.
import {RecError} from '../errors.js'

/**
 * Lists of rows per key: key `u` owns `rows[offsets[u] .. offsets[u + 1])`.
 * `offsets` has nKeys + 1 entries, starts at 0, never decreases and ends at rows.length.
 */
export interface Csr {
  offsets: Int32Array
  rows: Int32Array
}

/** Number of keys the CSR covers. */
export function csrKeys(csr: Csr): number {
  return csr.offsets.length - 1
}

/** Builds a CSR from one array of rows per key. */
export function csrFromLists(lists: readonly ArrayLike<number>[]): Csr {
  const offsets = new Int32Array(lists.length + 1)
  for (let i = 0; i < lists.length; i++) offsets[i + 1] = offsets[i] + lists[i].length
  const rows = new Int32Array(offsets[lists.length])
  for (let i = 0; i < lists.length; i++) rows.set(Array.from(lists[i]), offsets[i])
  return {offsets, rows}
}

/** Groups parallel (key, row) pairs by key, keeping pair order within a key; nKeys fixes the key range. */
export function csrFromPairs(keys: ArrayLike<number>, rows: ArrayLike<number>, nKeys: number): Csr {
  if (keys.length !== rows.length) {
    throw new RecError('MISMATCH', `csrFromPairs: ${keys.length} keys but ${rows.length} rows`)
  }
  const offsets = new Int32Array(nKeys + 1)
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]
    if (!(Number.isInteger(key) && key >= 0 && key < nKeys)) {
      throw new RecError('BAD_DATA', `csrFromPairs: key ${key} at position ${i} is outside [0, ${nKeys})`)
    }
    offsets[key + 1]++
  }
  for (let k = 0; k < nKeys; k++) offsets[k + 1] += offsets[k]
  const cursor = offsets.slice(0, nKeys)
  const out = new Int32Array(keys.length)
  for (let i = 0; i < keys.length; i++) out[cursor[keys[i]]++] = rows[i]
  return {offsets, rows: out}
}

/**
 * Throws unless `csr` is well formed, covers at least `minKeys` keys and every row lies in [0, nRows).
 * `name` says which input it is ("exclude", "targets") in the message.
 */
export function checkCsr(csr: Csr, name: string, minKeys: number, nRows: number): void {
  const {offsets, rows} = csr
  if (offsets.length < 1 || offsets[0] !== 0 || offsets[offsets.length - 1] !== rows.length) {
    throw new RecError('BAD_DATA', `${name}: offsets must start at 0 and end at rows.length (${rows.length})`)
  }
  if (offsets.length - 1 < minKeys) {
    throw new RecError('INVALID_ARGUMENT', `${name}: covers ${offsets.length - 1} keys but key ${minKeys - 1} is used`, {
      hint: 'build the CSR over every user row, not only the evaluated users',
    })
  }
  for (let k = 0; k + 1 < offsets.length; k++) {
    if (offsets[k + 1] < offsets[k]) throw new RecError('BAD_DATA', `${name}: offsets decrease at key ${k}`)
  }
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]
    if (r < 0 || r >= nRows) throw new RecError('BAD_DATA', `${name}: row ${r} at position ${i} is outside [0, ${nRows})`)
  }
}

/** The largest of `keys` (-1 when empty): the CSRs indexed by these keys must cover it. Throws on a negative key. */
export function maxKey(keys: Int32Array, name: string): number {
  let max = -1
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] < 0) throw new RecError('INVALID_ARGUMENT', `${name}: row ${keys[i]} at position ${i} is negative`)
    if (keys[i] > max) max = keys[i]
  }
  return max
}
