// rec gen-data speed and memory at 1M and 10M interactions (target: 10M in <= 60 s, peak RSS < 4 GB), and Parquet MB/s.
// Usage: node bench/gen-data.bench.js [--sizes 1000000,10000000]   (each size runs in its own process, so peak RSS is its own)
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs'
import {loadavg, tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

import {decodeParquet, encodeParquet} from '../dist/lib/dataset/parquet.js'
import {generateDataset} from '../dist/lib/dataset/synthetic/generate.js'

// --- world sizes: users and items grow with the interactions, as a real service's would
const WORLDS = {
  1_000_000: {users: 20_000, items: 100_000},
  10_000_000: {users: 100_000, items: 1_000_000},
}

const cpuSeconds = () => {
  const {user, system} = process.cpuUsage()
  return (user + system) / 1e6
}
const peakRssGb = () => process.resourceUsage().maxRSS / 1024 / 1024 // maxRSS is in KiB

/** One size in this process: generate + write, then read and rewrite interactions.parquet. */
async function runOne(interactions) {
  const world = WORLDS[interactions] ?? {users: Math.max(100, Math.round(interactions / 100)), items: Math.max(1000, Math.round(interactions / 10))}
  const dir = mkdtempSync(join(tmpdir(), 'rec-bench-gen-'))
  const out = join(dir, 'world')
  try {
    const wall0 = performance.now()
    const cpu0 = cpuSeconds()
    const summary = await generateDataset(out, {params: {...world, interactions, days: 30, seed: 1}})
    const wall = (performance.now() - wall0) / 1000
    const cpu = cpuSeconds() - cpu0
    const genRss = peakRssGb()
    // --- Parquet read then write of the interactions table (file MB per second)
    const path = join(out, 'interactions.parquet')
    const mb = statSync(path).size / 1e6
    const bytes = readFileSync(path)
    let t = performance.now()
    const table = decodeParquet(bytes, path)
    const readS = (performance.now() - t) / 1000
    t = performance.now()
    encodeParquet(table)
    const writeS = (performance.now() - t) / 1000
    const line = [
      `interactions ${interactions.toLocaleString('en-US')} (users ${world.users.toLocaleString('en-US')}, items ${world.items.toLocaleString('en-US')})`,
      `generate+write ${wall.toFixed(1)} s (cpu ${cpu.toFixed(1)} s)`,
      `${Math.round(interactions / wall).toLocaleString('en-US')} interactions/s`,
      `peak RSS ${genRss.toFixed(2)} GB`,
      `interactions.parquet ${mb.toFixed(1)} MB: read ${(mb / readS).toFixed(1)} MB/s (${readS.toFixed(2)} s), write ${(mb / writeS).toFixed(1)} MB/s (${writeS.toFixed(2)} s)`,
      `fingerprint ${summary.fingerprint.slice(0, 12)}`,
    ]
    console.log(line.join(' | '))
    if (interactions >= 10_000_000) {
      const ok = wall <= 60 && genRss < 4
      console.log(`target 10M <= 60 s and < 4 GB: ${ok ? 'met' : 'MISSED'} (load average ${loadavg()[0].toFixed(1)} on this machine while running)`)
    }
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

const {values} = parseArgs({options: {sizes: {type: 'string', default: '1000000,10000000'}, child: {type: 'string'}}})
if (values.child) await runOne(Number(values.child))
else {
  for (const size of values.sizes.split(',').map(Number)) {
    const result = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', String(size)], {stdio: 'inherit'})
    if (result.status !== 0) process.exit(result.status ?? 1)
  }
}
