// Recency-decayed popularity: each positive counts weight * 2^(-age / half-life) at the world clock.
import type {Positives} from '../features/positives.js'

/** [size] decayed engagement counts per item row. */
export function decayedPopularity(positives: Positives, size: number, clock: number, halfLifeMs: number): Float32Array {
  const out = new Float32Array(size)
  for (let i = 0; i < positives.itemRow.length; i++) {
    const age = Math.max(0, clock - positives.ts[i])
    out[positives.itemRow[i]] += positives.weight[i] * 2 ** (-age / halfLifeMs)
  }
  return out
}

/** The `limit` best rows by score among those `keep` accepts and that scored above 0, best first (ties: smaller row). */
export function topByScore(scores: Float32Array, limit: number, keep: (row: number) => boolean): {rows: Int32Array; scores: Float32Array} {
  const rows: number[] = []
  for (let row = 1; row < scores.length; row++) if (scores[row] > 0 && keep(row)) rows.push(row)
  rows.sort((a, b) => scores[b] - scores[a] || a - b)
  const top = Int32Array.from(rows.slice(0, limit))
  return {rows: top, scores: Float32Array.from(top, (row) => scores[row])}
}
