// Ranking examples: (user, item, time) with one 0/1 label per head and an example weight, in time order.
import type {HeadSpec} from '../../models/ranker/heads.js'

export interface RankingExamples {
  heads: HeadSpec[]
  user: Int32Array
  item: Int32Array
  /** The moment of the impression (or event): cross features read only what happened before it. */
  ts: Float64Array
  /** TRAIN / VAL / TEST codes. */
  split: Uint8Array
  weight: Float32Array
  /** [n, heads.length] row-major. */
  labels: Uint8Array
}

/** Rows `rows` of the examples, in that order. */
export function selectExamples(examples: RankingExamples, rows: ArrayLike<number>): RankingExamples {
  const h = examples.heads.length
  const n = rows.length
  const out = emptyExamples(examples.heads, n)
  for (let j = 0; j < n; j++) {
    const r = rows[j]
    out.user[j] = examples.user[r]
    out.item[j] = examples.item[r]
    out.ts[j] = examples.ts[r]
    out.split[j] = examples.split[r]
    out.weight[j] = examples.weight[r]
    for (let k = 0; k < h; k++) out.labels[j * h + k] = examples.labels[r * h + k]
  }
  return out
}

export function emptyExamples(heads: HeadSpec[], n: number): RankingExamples {
  return {
    heads,
    user: new Int32Array(n),
    item: new Int32Array(n),
    ts: new Float64Array(n),
    split: new Uint8Array(n),
    weight: new Float32Array(n),
    labels: new Uint8Array(n * heads.length),
  }
}

/** Rows whose split code is `split`. */
export function rowsOfSplit(examples: RankingExamples, split: number): Int32Array {
  const rows: number[] = []
  for (let i = 0; i < examples.split.length; i++) if (examples.split[i] === split) rows.push(i)
  return Int32Array.from(rows)
}

/** Concatenation of example sets with the same heads. */
export function concatExamples(parts: RankingExamples[]): RankingExamples {
  const heads = parts[0].heads
  const out = emptyExamples(heads, parts.reduce((s, p) => s + p.user.length, 0))
  let at = 0
  for (const p of parts) {
    out.user.set(p.user, at)
    out.item.set(p.item, at)
    out.ts.set(p.ts, at)
    out.split.set(p.split, at)
    out.weight.set(p.weight, at)
    out.labels.set(p.labels, at * heads.length)
    at += p.user.length
  }
  return out
}

/** Weighted positives per head, e.g. for "head X has no positive in train" checks and logs. */
export function headPositives(examples: RankingExamples): number[] {
  const h = examples.heads.length
  const counts = new Array<number>(h).fill(0)
  for (let i = 0; i < examples.user.length; i++) for (let k = 0; k < h; k++) counts[k] += examples.labels[i * h + k]
  return counts
}
