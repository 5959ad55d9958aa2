// Full-ranking evaluation speed and memory: 6k x 4k x 64-d (target < 3 s), then 100k x 100k x 64-d on a user sample, extrapolated.
// Usage: node bench/eval-ranking.bench.js [--full] [--users=N]   (--full ranks all 100k users; the default samples 4,000)
import {availableParallelism, loadavg} from 'node:os'

import {evaluateRanking} from '../dist/lib/eval/engine/evaluate-ranking.js'
import {dotScoreProvider} from '../dist/lib/eval/engine/score-provider.js'
import {csrFromLists} from '../dist/lib/metrics/csr.js'
import {Rng} from '../dist/lib/random/rng.js'

const args = process.argv.slice(2)
const full = args.includes('--full')
const sampleUsers = Number(args.find((a) => a.startsWith('--users='))?.slice(8) ?? 4000)
const ks = [10, 50, 100]

/**
 * A synthetic two-tower output: users and items near 32 topic centres; per user 20 history items
 * and 1 target drawn from the user's topic, so the metrics are well above chance.
 */
function makeWorld(nUsers, nItems, dim, seed) {
  const rng = new Rng(seed)
  const centres = Float32Array.from({length: 32 * dim}, () => rng.normal())
  const embed = (n, topics) => {
    const out = new Float32Array(n * dim)
    for (let r = 0; r < n; r++) {
      for (let d = 0; d < dim; d++) out[r * dim + d] = centres[topics[r] * dim + d] + 0.7 * rng.normal()
    }
    return out
  }
  const userTopic = Int32Array.from({length: nUsers}, () => rng.int(32))
  const itemTopic = Int32Array.from({length: nItems}, () => rng.int(32))
  const byTopic = Array.from({length: 32}, () => [])
  itemTopic.forEach((t, i) => byTopic[t].push(i))
  const pick = (u) => byTopic[userTopic[u]][rng.int(byTopic[userTopic[u]].length)]
  const history = []
  const targets = []
  for (let u = 0; u < nUsers; u++) {
    history.push(Array.from({length: 20}, () => (rng.bernoulli(0.5) ? pick(u) : rng.int(nItems))))
    targets.push([pick(u)])
  }
  const popularity = Float64Array.from({length: nItems}, () => Math.floor(rng.pareto(1.2)))
  return {users: embed(nUsers, userTopic), items: embed(nItems, itemTopic), exclude: csrFromLists(history), targets: csrFromLists(targets), popularity}
}

/** Prints one line per ~10% of users ranked. */
const reporter = {
  info: (m) => console.error(m),
  warn: (m) => console.error(m),
  progress(label, total) {
    const started = performance.now()
    let done = 0
    let next = 0.1
    return {
      tick(n = 1) {
        done += n
        if (done / total >= next) {
          console.error(`  ${label}: ${done}/${total} users, ${((performance.now() - started) / 1000).toFixed(1)} s`)
          next += 0.1
        }
      },
      stop() {},
    }
  },
}

async function run(name, world, dim, userRows, threads, quiet) {
  const started = performance.now()
  const cpuStart = process.cpuUsage()
  const result = await evaluateRanking({
    scores: dotScoreProvider(world.users, world.items, dim),
    users: userRows,
    exclude: world.exclude,
    targets: world.targets,
    ks,
    popularity: world.popularity,
    threads,
    reporter: quiet ? undefined : reporter,
  })
  const seconds = (performance.now() - started) / 1000
  // CPU time of all threads: on a shared machine wall time also counts other processes' turns.
  const cpu = process.cpuUsage(cpuStart)
  const cpuSeconds = (cpu.user + cpu.system) / 1e6
  const m = result.mean
  console.log(
    `${name} | threads ${threads} | users ${result.usersEvaluated} | wall ${seconds.toFixed(2)} s | cpu ${cpuSeconds.toFixed(2)} s | ` +
      `recall@10 ${m['recall@10'].toFixed(4)} ndcg@10 ${m['ndcg@10'].toFixed(4)} recall@100 ${m['recall@100'].toFixed(4)} mrr ${m.mrr.toFixed(4)} coverage@10 ${m['coverage@10'].toFixed(3)}`,
  )
  return {seconds, cpuSeconds}
}

const range = (n) => Int32Array.from({length: n}, (_, i) => i)
const rssMb = () => (process.resourceUsage().maxRSS / 1024).toFixed(0)
const threads = availableParallelism()

// --- small: 6,000 users x 4,000 items x 64-d, target < 3 s for the whole evaluation
{
  const world = makeWorld(6000, 4000, 64, 1)
  await run('6k x 4k x 64', world, 64, range(6000), 1, true)
  const {seconds} = await run('6k x 4k x 64', world, 64, range(6000), threads, true)
  console.log(`6k x 4k x 64: wall ${seconds.toFixed(2)} s is ${seconds < 3 ? 'within' : 'OVER'} the 3 s target with ${threads} threads (load average ${loadavg()[0].toFixed(1)}) | peak RSS so far ${rssMb()} MB`)
}

// --- large: 100,000 users x 100,000 items x 64-d; peak RSS must stay under 2 GB
{
  const nUsers = 100_000
  const world = makeWorld(nUsers, 100_000, 64, 2)
  const evaluated = full ? nUsers : Math.min(nUsers, sampleUsers)
  // A spread-out sample of user rows, so the timing covers the whole user table.
  const rows = Int32Array.from({length: evaluated}, (_, i) => Math.floor((i * nUsers) / evaluated))
  const {seconds, cpuSeconds} = await run('100k x 100k x 64', world, 64, rows, threads, false)
  const scale = nUsers / evaluated
  const note = full ? 'measured on all users' : `measured on ${evaluated} users, extrapolated x${scale.toFixed(0)}: time is linear in users`
  console.log(
    `100k x 100k x 64: wall ${(seconds * scale).toFixed(0)} s, cpu ${(cpuSeconds * scale).toFixed(0)} s for all users (${note}; load average ${loadavg()[0].toFixed(1)}) | peak RSS ${rssMb()} MB`,
  )
}
