// Each tuned kernel against the plain loop it replaces, on the shapes its callers run, interleaved in one run.
// Usage: node bench/kernels.bench.js [--rounds 5]
import {parseArgs} from 'node:util'

import {gatherDots, raiseMaxDots} from '../dist/lib/kernels/dot.js'
import {scoreDotBlock} from '../dist/lib/kernels/dot-block.js'
import {BoundedTopK, pushDots, TopKSelector} from '../dist/lib/kernels/top-k.js'
import {Rng} from '../dist/lib/random/rng.js'

const {values} = parseArgs({options: {rounds: {type: 'string', default: '5'}}})
const rng = new Rng(1)
const table = (n) => Float32Array.from({length: n}, () => rng.next() - 0.5)

function plainDot(a, ia, b, ib, d) {
  let s = 0
  for (let j = 0; j < d; j++) s += a[ia + j] * b[ib + j]
  return s
}

// --- cases: [name, tuned, plain], each a closure over its own data; both return a number so nothing is dead code
const cases = []
{
  // exact index: one 64-d query against 100k rows
  const d = 64, n = 100_000, m = table(n * d), q = table(d)
  const heap = new BoundedTopK(10)
  cases.push(['pushDots: top 10 of a 64-d query x 100k rows (exact index)',
    () => { heap.clear(); pushDots(heap, q, 0, m, d); return heap.threshold },
    () => { heap.clear(); for (let r = 0; r < n; r++) { const s = plainDot(q, 0, m, r * d, d); if (s >= heap.threshold) heap.push(s, r) } return heap.threshold }])
}
{
  // cosine scorer: ~450 candidate rows scattered over 100k x 32
  const d = 32, m = table(100_000 * d), q = table(d), rows = Int32Array.from({length: 450}, () => rng.int(100_000))
  const out = new Float64Array(rows.length)
  cases.push(['gatherDots: 450 rows of 100k x 32 (mixer scorers), x100',
    () => { let s = 0; for (let t = 0; t < 100; t++) s += gatherDots(q, m, rows, d, out)[t]; return s },
    () => { let s = 0; for (let t = 0; t < 100; t++) { for (let i = 0; i < rows.length; i++) out[i] = plainDot(q, 0, m, rows[i] * d, d); s += out[t] } return s }])
}
{
  // MMR: one pick's update of 60 pool vectors of 32-d, x1000
  const d = 32, n = 60, v = Float64Array.from(table(n * d)), rows = Int32Array.from({length: n - 1}, (_, i) => i + 1), max = new Float64Array(n)
  cases.push(['raiseMaxDots: 59 x 32-d pool (MMR step), x1000',
    () => { max.fill(-Infinity); for (let t = 0; t < 1000; t++) raiseMaxDots(v, 0, rows, rows.length, d, max); return max[1] },
    () => { max.fill(-Infinity); for (let t = 0; t < 1000; t++) for (const r of rows) { const s = plainDot(v, 0, v, r * d, d); if (s > max[r]) max[r] = s } return max[1] }])
}
{
  // eval: a block of 256 users against 4k items, 64-d
  const d = 64, users = table(256 * d), items = table(4096 * d), rows = Int32Array.from({length: 256}, (_, i) => i), out = new Float32Array(256 * 4096)
  cases.push(['scoreDotBlock: 256 users x 4k items x 64-d (eval)',
    () => { scoreDotBlock(users, items, d, rows, out); return out[7] },
    () => { for (let j = 0; j < 256; j++) for (let i = 0; i < 4096; i++) out[j * 4096 + i] = plainDot(users, j * d, items, i * d, d); return out[7] }])
}
{
  // eval: top 100 of 100k scores, 20 rows
  const n = 100_000, k = 100, scores = table(n), out = new Int32Array(k), selector = new TopKSelector(k)
  const order = new Int32Array(n)
  cases.push(['TopKSelector: top 100 of 100k scores (eval), x20',
    () => { for (let t = 0; t < 20; t++) selector.select(scores, 0, n, out, 0); return out[0] },
    () => { for (let t = 0; t < 20; t++) { for (let i = 0; i < n; i++) order[i] = i; order.sort((a, b) => scores[b] - scores[a] || a - b); out.set(order.subarray(0, k)) } return out[0] }])
}

// --- measure: tuned and plain alternate within each round so machine drift hits both
function time(fn) {
  const start = process.hrtime.bigint()
  fn()
  return Number(process.hrtime.bigint() - start) / 1e6
}
const rounds = Number(values.rounds)
for (const [name, tuned, plain] of cases) {
  tuned(), plain() // warm up both
  const t = [], p = []
  for (let r = 0; r < rounds; r++) {
    t.push(time(tuned))
    p.push(time(plain))
  }
  const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1]
  console.log(`${name}: ${median(t).toFixed(2)} ms against ${median(p).toFixed(2)} ms plain (${(median(p) / median(t)).toFixed(2)}x), median of ${rounds}`)
}
