// Inner products: one row against many of one table (keeping each one's maximum), one vector against scattered rows.

/**
 * max[r] = max(max[r], <v_b, v_r>) for each r in rows[0 .. m), over rows of one float64 table [n, d]
 * (row r at r * d, v_b at b). Two rows per pass share the loads of v_b (MMR at 60 x 32 went from
 * ~82 to ~50 us), each dot with four partial sums added left to right: one running sum makes it a
 * chain of 32 dependent adds (~3x slower). The last bits may differ from a plain loop, which only
 * matters for exact ties between distinct vectors.
 */
export function raiseMaxDots(v: Float64Array, b: number, rows: Int32Array, m: number, d: number, max: Float64Array): void {
  let p = 0
  for (; p + 1 < m; p += 2) {
    const rx = rows[p]
    const ry = rows[p + 1]
    const x = rx * d
    const y = ry * d
    let x0 = 0
    let x1 = 0
    let x2 = 0
    let x3 = 0
    let y0 = 0
    let y1 = 0
    let y2 = 0
    let y3 = 0
    let j = 0
    for (; j + 3 < d; j += 4) {
      const q0 = v[b + j]
      const q1 = v[b + j + 1]
      const q2 = v[b + j + 2]
      const q3 = v[b + j + 3]
      x0 += q0 * v[x + j]
      x1 += q1 * v[x + j + 1]
      x2 += q2 * v[x + j + 2]
      x3 += q3 * v[x + j + 3]
      y0 += q0 * v[y + j]
      y1 += q1 * v[y + j + 1]
      y2 += q2 * v[y + j + 2]
      y3 += q3 * v[y + j + 3]
    }
    for (; j < d; j++) {
      x0 += v[b + j] * v[x + j]
      y0 += v[b + j] * v[y + j]
    }
    const sx = x0 + x1 + x2 + x3
    const sy = y0 + y1 + y2 + y3
    if (sx > max[rx]) max[rx] = sx
    if (sy > max[ry]) max[ry] = sy
  }
  if (p < m) {
    const r = rows[p]
    const x = r * d
    let x0 = 0
    let x1 = 0
    let x2 = 0
    let x3 = 0
    let j = 0
    for (; j + 3 < d; j += 4) {
      x0 += v[b + j] * v[x + j]
      x1 += v[b + j + 1] * v[x + j + 1]
      x2 += v[b + j + 2] * v[x + j + 2]
      x3 += v[b + j + 3] * v[x + j + 3]
    }
    for (; j < d; j++) x0 += v[b + j] * v[x + j]
    const sx = x0 + x1 + x2 + x3
    if (sx > max[r]) max[r] = sx
  }
}

/**
 * out[i] = <query, table[rows[i] * d ..]>, each summed in j order exactly as a plain loop would
 * (bit-identical). Four rows share one pass over j so that their cache misses overlap: ~450 rows
 * scattered over a 100k x 32 table (12.8 MB) took ~100 us one row at a time and ~40 us four at a time.
 */
export function gatherDots(query: Float32Array, table: Float32Array, rows: Int32Array, d: number, out = new Float64Array(rows.length)): Float64Array {
  let i = 0
  for (; i + 3 < rows.length; i += 4) {
    const o0 = rows[i] * d
    const o1 = rows[i + 1] * d
    const o2 = rows[i + 2] * d
    const o3 = rows[i + 3] * d
    let d0 = 0
    let d1 = 0
    let d2 = 0
    let d3 = 0
    for (let j = 0; j < d; j++) {
      const q = query[j]
      d0 += q * table[o0 + j]
      d1 += q * table[o1 + j]
      d2 += q * table[o2 + j]
      d3 += q * table[o3 + j]
    }
    out[i] = d0
    out[i + 1] = d1
    out[i + 2] = d2
    out[i + 3] = d3
  }
  for (; i < rows.length; i++) {
    const o = rows[i] * d
    let s = 0
    for (let j = 0; j < d; j++) s += query[j] * table[o + j]
    out[i] = s
  }
  return out
}
