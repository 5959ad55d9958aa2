// Reference implementations for the metric tests: full sorts and direct definitions, slow and obviously right.
import {type ScoreProvider} from '../../src/lib/eval/engine/score-provider.js'
import {type Csr} from '../../src/lib/metrics/csr.js'
import {type Rng} from '../../src/lib/random/rng.js'

/** Top-k by sorting every non-excluded item: score descending, then item row ascending; -1 padded. */
export function bruteTopK(scores: Float32Array, nItems: number, users: Int32Array, k: number, exclude?: Csr): Int32Array {
  const out = new Int32Array(users.length * k).fill(-1)
  for (let j = 0; j < users.length; j++) {
    const u = users[j]
    const banned = new Set<number>()
    if (exclude) for (let e = exclude.offsets[u]; e < exclude.offsets[u + 1]; e++) banned.add(exclude.rows[e])
    const rows: number[] = []
    for (let i = 0; i < nItems; i++) if (!banned.has(i)) rows.push(i)
    rows.sort((a, b) => scores[u * nItems + b] - scores[u * nItems + a] || a - b)
    for (let p = 0; p < Math.min(k, rows.length); p++) out[j * k + p] = rows[p]
  }
  return out
}

/** Dense [nUsers, nItems] inner products, rounded to float32 like the provider's output. */
export function denseScores(users: Float32Array, items: Float32Array, dim: number): Float32Array {
  const nUsers = users.length / dim
  const nItems = items.length / dim
  const out = new Float32Array(nUsers * nItems)
  for (let u = 0; u < nUsers; u++) {
    for (let i = 0; i < nItems; i++) {
      let s = 0
      for (let d = 0; d < dim; d++) s += users[u * dim + d] * items[i * dim + d]
      out[u * nItems + i] = s
    }
  }
  return out
}

/** Vectors with entries drawn from {-1, 0, 1} (when `coarse`) or N(0, 1): coarse ones make many exact ties. */
export function randomVectors(rng: Rng, n: number, dim: number, coarse: boolean): Float32Array {
  const out = new Float32Array(n * dim)
  for (let i = 0; i < out.length; i++) out[i] = coarse ? rng.int(3) - 1 : rng.normal()
  return out
}

/** A random history per user: each item row with probability p. */
export function randomExclusions(rng: Rng, nUsers: number, nItems: number, p: number): Csr {
  const lists: number[][] = []
  for (let u = 0; u < nUsers; u++) {
    const list: number[] = []
    for (let i = 0; i < nItems; i++) if (rng.bernoulli(p)) list.push(i)
    lists.push(rng.shuffle(list))
  }
  const offsets = new Int32Array(nUsers + 1)
  for (let u = 0; u < nUsers; u++) offsets[u + 1] = offsets[u] + lists[u].length
  return {offsets, rows: Int32Array.from(lists.flat())}
}

export function range(n: number): Int32Array {
  return Int32Array.from({length: n}, (_, i) => i)
}

/** A provider over a dense [nUsers, nItems] score matrix, for hand-made scores. */
export function matrixProvider(scores: Float32Array, nItems: number): ScoreProvider {
  return {
    nItems,
    scoreBlock(userRows, out) {
      for (let j = 0; j < userRows.length; j++) out.set(scores.subarray(userRows[j] * nItems, (userRows[j] + 1) * nItems), j * nItems)
    },
  }
}

/** Accuracy metrics straight from their definitions on one list (-1 padded) and a target set. */
export function bruteAccuracy(list: ArrayLike<number>, targets: ReadonlySet<number>, k: number): Record<string, number> {
  const top = Array.from(list).slice(0, k)
  const isHit = top.map((item) => item >= 0 && targets.has(item))
  const hits = isHit.filter(Boolean).length
  const gain = (p: number) => 1 / Math.log2(p + 2)
  const dcg = isHit.reduce((s, h, p) => s + (h ? gain(p) : 0), 0)
  let ideal = 0
  for (let p = 0; p < Math.min(targets.size, k); p++) ideal += gain(p)
  let ap = 0
  isHit.forEach((h, p) => {
    if (h) ap += isHit.slice(0, p + 1).filter(Boolean).length / (p + 1)
  })
  const first = isHit.indexOf(true)
  return {
    recall: hits / targets.size,
    ndcg: dcg / ideal,
    hitrate: hits > 0 ? 1 : 0,
    precision: hits / k,
    map: ap / Math.min(targets.size, k),
    rr: first >= 0 ? 1 / (first + 1) : 0,
  }
}
