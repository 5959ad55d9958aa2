// Test data for index tests: seeded random unit vectors and a naive brute-force reference.
import {Rng} from '../../src/lib/random/rng.js'

/** [n, dim] rows drawn from N(0, 1) and scaled to unit norm. */
export function randomUnitRows(seed: number, n: number, dim: number): Float32Array {
  const rng = new Rng(seed)
  const out = new Float32Array(n * dim)
  for (let i = 0; i < n; i++) {
    let sum = 0
    for (let j = 0; j < dim; j++) {
      out[i * dim + j] = rng.normal()
      sum += out[i * dim + j] ** 2
    }
    for (let j = 0; j < dim; j++) out[i * dim + j] /= Math.sqrt(sum)
  }
  return out
}

/** Every row scored by a plain loop, sorted by score desc then row asc, first k kept. */
export function bruteForce(matrix: Float32Array, dim: number, query: Float32Array, k: number, skip: (row: number) => boolean = () => false): number[] {
  const scored: {row: number; score: number}[] = []
  for (let row = 0; row < matrix.length / dim; row++) {
    if (skip(row)) continue
    let score = 0
    for (let j = 0; j < dim; j++) score += query[j] * matrix[row * dim + j]
    scored.push({row, score})
  }
  scored.sort((a, b) => b.score - a.score || a.row - b.row)
  return scored.slice(0, k).map((s) => s.row)
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0
  for (let j = 0; j < a.length; j++) s += a[j] * b[j]
  return s
}

/** Fraction of `expected` found in `found`. */
export function overlap(found: ArrayLike<number>, expected: number[]): number {
  const set = new Set(expected)
  let hits = 0
  for (let i = 0; i < found.length; i++) if (set.has(found[i])) hits++
  return hits / expected.length
}

/** ids[row] = 1000 + 7 * row: distinct from rows so that a row/id mix-up shows. */
export function itemIds(n: number): BigInt64Array {
  return BigInt64Array.from({length: n}, (_, row) => BigInt(1000 + 7 * row))
}
