// Concurrent writers in separate processes: every register lands, none is lost or numbered twice.
import {spawn} from 'node:child_process'
import {join, resolve} from 'node:path'
import {pathToFileURL} from 'node:url'
import {describe, expect, it} from 'vitest'

import {readRegistry} from '../../src/lib/registry/index.js'
import {runCli, tempDir} from '../helpers/cli.js'
import {makeCheckpoint} from './make-checkpoint.js'

const LIB = pathToFileURL(resolve(import.meta.dirname, '../../dist/lib/registry/index.js')).href
const BIN = resolve(import.meta.dirname, '../../bin/run.js')

// Registers argv[2..] in order, after printing "ready" and waiting for one line on stdin, so that
// every process is past its start-up cost when the race begins.
const SCRIPT = `
import {registerCheckpoint} from ${JSON.stringify(LIB)}
const [reg, ...dirs] = process.argv.slice(1)
process.stdout.write('ready\\n')
await new Promise((go) => process.stdin.once('data', go))
process.stdin.pause()
for (const dir of dirs) await registerCheckpoint(reg, dir)
`

function startWriter(reg: string, dirs: string[]): {ready: Promise<void>; go(): void; done: Promise<{code: number | null; stderr: string}>} {
  const child = spawn(process.execPath, ['--input-type=module', '-e', SCRIPT, reg, ...dirs], {stdio: ['pipe', 'pipe', 'pipe']})
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += d))
  const ready = new Promise<void>((ok) => child.stdout.once('data', () => ok()))
  const done = new Promise<{code: number | null; stderr: string}>((ok) => child.on('close', (code) => ok({code, stderr})))
  return {ready, go: () => child.stdin.end('go\n'), done}
}

describe('concurrent registers', () => {
  it('two processes registering 20 checkpoints each at once all land, numbered 1..40', async () => {
    const root = tempDir()
    const reg = join(root, 'registry')
    const dirs = Array.from({length: 40}, (_, i) => makeCheckpoint(join(root, `c${i}`), {tag: `c${i}`}))
    const writers = [startWriter(reg, dirs.slice(0, 20)), startWriter(reg, dirs.slice(20))]
    await Promise.all(writers.map((w) => w.ready))
    for (const w of writers) w.go()
    for (const {code, stderr} of await Promise.all(writers.map((w) => w.done))) expect({code, stderr}).toEqual({code: 0, stderr: ''})
    const registry = await readRegistry(reg)
    expect(registry.versions.map((v) => v.version)).toEqual(Array.from({length: 40}, (_, i) => i + 1))
    expect(new Set(registry.versions.map((v) => v.path))).toEqual(new Set(dirs))
    expect(registry.revision).toBe(40)
  })

  it('three CLI registers started together each get their own version', async () => {
    const root = tempDir()
    const reg = join(root, 'registry')
    const dirs = [0, 1, 2].map((i) => makeCheckpoint(join(root, `c${i}`), {tag: `k${i}`}))
    const runs = dirs.map(
      (dir) =>
        new Promise<number | null>((ok) => {
          const child = spawn(process.execPath, [BIN, 'promote', 'register', dir, '--registry', reg, '--quiet'], {stdio: 'ignore'})
          child.on('close', ok)
        }),
    )
    expect(await Promise.all(runs)).toEqual([0, 0, 0])
    const listed = JSON.parse(runCli(['promote', 'list', '--registry', reg, '--json']).stdout)
    expect(listed.versions.map((v: {version: number}) => v.version)).toEqual([1, 2, 3])
    expect(new Set(listed.versions.map((v: {path: string}) => v.path))).toEqual(new Set(dirs))
  })
})
