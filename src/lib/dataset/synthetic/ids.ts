// Dense rows -> int64 ids without a BigInt per row (10M BigInt() calls take about 2 s; this takes 30 ms).

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

/** ids[j] = base + rows[j], for base + row below 2^53. */
export function toIds(rows: ArrayLike<number>, base: number): BigInt64Array {
  const n = rows.length
  const ids = new BigInt64Array(n)
  if (!LITTLE_ENDIAN) {
    for (let j = 0; j < n; j++) ids[j] = BigInt(base + rows[j])
    return ids
  }
  // Each int64 is two int32 words, low word first on little-endian hosts.
  const words = new Int32Array(ids.buffer)
  for (let j = 0; j < n; j++) {
    const v = base + rows[j]
    const high = Math.floor(v / 4_294_967_296)
    words[2 * j] = (v - high * 4_294_967_296) | 0
    words[2 * j + 1] = high
  }
  return ids
}

/** base, base + 1, ..., base + n - 1. */
export function sequentialIds(n: number, base: number): BigInt64Array {
  const rows = new Int32Array(n)
  for (let j = 0; j < n; j++) rows[j] = j
  return toIds(rows, base)
}

/** Ids of item rows: a catalogue's own ids (gen-data --items-from) or base + row. */
export function itemIds(items: {count: number; ids?: BigInt64Array}, base: number): BigInt64Array {
  return items.ids ? items.ids.slice() : sequentialIds(items.count, base)
}

/** The ids of item rows `rows` (an interactions column): catalogue ids when given, else base + row. */
export function itemRowIds(rows: Int32Array, ids: BigInt64Array | undefined, base: number): BigInt64Array {
  if (!ids) return toIds(rows, base)
  const out = new BigInt64Array(rows.length)
  for (let j = 0; j < rows.length; j++) out[j] = ids[rows[j]]
  return out
}
