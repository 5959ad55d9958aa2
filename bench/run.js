#!/usr/bin/env node
// Runs every bench/*.bench.js (or those whose name contains an argument) in its own process; each prints its figures.
import {spawnSync} from 'node:child_process'
import {readdirSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const filters = process.argv.slice(2)
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort()
let failed = 0
for (const file of benches) {
  process.stdout.write(`\n== ${file}\n`)
  const result = spawnSync(process.execPath, ['--expose-gc', join(here, file)], {stdio: 'inherit'})
  if (result.status !== 0) failed++
}
process.exit(failed ? 1 : 0)
