// bin/quickstart.sh run twice in one directory: both runs reach a serving state, and the second rebuilds the same bytes.
import {spawn} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join, resolve} from 'node:path'

import {describe, expect, it} from 'vitest'

import {hashCheckpointDir} from '../src/lib/registry/content-hash.js'
import {tempDir} from './helpers/cli.js'

const SCRIPT = resolve(import.meta.dirname, '../bin/quickstart.sh')

interface QuickstartRun {
  stderr: string
  /** What /readyz and one feed answered while the server ran. */
  ready: number
  feed: number
  exitCode: number | null
}

/** Runs the quickstart (tiny size, any free port) until the server listens, queries it, then stops it with SIGTERM. */
async function runQuickstart(dir: string): Promise<QuickstartRun> {
  const child = spawn('bash', [SCRIPT, dir, '0'], {env: {...process.env, CI: 'true', QUICKSTART_SIZE: 'tiny'}, stdio: ['ignore', 'ignore', 'pipe']})
  let stderr = ''
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)))
  const url = await new Promise<string>((done, fail) => {
    child.stderr.on('data', (chunk) => {
      stderr += chunk
      const match = /listening on (http:\/\/\S+)/.exec(stderr)
      if (match) done(match[1])
    })
    void exited.then((code) => fail(new Error(`quickstart exited with ${code} before serving:\n${stderr}`)))
  })
  try {
    const ready = (await fetch(`${url}/readyz`)).status
    const feed = (await fetch(`${url}/v1/recommendations?user_id=1&k=5`)).status
    // the script execs the server, so the signal reaches it directly
    child.kill('SIGTERM')
    return {stderr, ready, feed, exitCode: await exited}
  } finally {
    child.kill('SIGKILL')
  }
}

describe('bin/quickstart.sh', () => {
  it('re-runs in the same directory: same checkpoint bytes, registry keeps version 1, both runs serve', async () => {
    const dir = join(tempDir(), 'qs')
    const first = await runQuickstart(dir)
    expect(first).toMatchObject({ready: 200, feed: 200, exitCode: 0})
    // piped output: one summary line per epoch, no progress lines for short bars, a short register line
    const lines = first.stderr.split('\n')
    expect(lines.filter((l) => /^epoch \d+ \|/.test(l)).length).toBeGreaterThanOrEqual(2)
    expect(lines.filter((l) => /^(epoch \d+\/\d+|ranking users|interactions): /.test(l))).toEqual([])
    expect(first.stderr).toMatch(/^registered .* as version 1 \(.*\) val\.ndcg@10=[\d.e-]+ val\.recall@10=[\d.e-]+ \(\+\d+ more in --json\)$/m)
    expect(lines.length).toBeLessThan(100)
    const manifest = readFileSync(join(dir, 'retrieval', 'manifest.json'), 'utf8')
    // hashCheckpointDir hashes any directory: the index must rebuild byte for byte too
    const hashAll = () => Promise.all(['retrieval', 'ranking', 'index'].map(async (name) => (await hashCheckpointDir(join(dir, name))).hash))
    const hashes = await hashAll()

    const second = await runQuickstart(dir)
    expect(second, second.stderr).toMatchObject({ready: 200, feed: 200, exitCode: 0})
    expect(second.stderr).toMatch(/already registered as version 1/)
    expect(readFileSync(join(dir, 'retrieval', 'manifest.json'), 'utf8')).toBe(manifest)
    expect(await hashAll()).toEqual(hashes)
    // two whole chains: ~60 s on an idle 2-core machine, past 120 s when the cores are shared
  }, 400_000)
})
