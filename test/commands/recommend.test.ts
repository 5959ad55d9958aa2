// rec recommend and rec serve --topn through the built binary: one line and exit 2 for bad input, a summary and a file otherwise.
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {decodeTopN} from '../../src/lib/batch/top-n-table.js'
import {runCli, tempDir} from '../helpers/cli.js'
import {spawnServer, type ServerProcess} from '../serving/spawn-server.js'
import {N_USERS, trainWorld, type Trained, userId} from '../serving/world-fixture.js'

describe('rec recommend (CLI)', () => {
  let trained: Trained
  let dir: string
  const servers: ServerProcess[] = []
  beforeAll(async () => {
    dir = tempDir()
    trained = await trainWorld(dir)
  })
  afterAll(() => {
    for (const server of servers) server.child.kill('SIGTERM')
  })
  const models = (dataset = trained.dataset) => ['--retrieval', trained.ckpt, '--index', trained.index, '--dataset', dataset]

  /** The one stderr line of a refused run (exit 2, nothing on stdout). */
  const refused = (args: string[]): string => {
    const result = runCli(args)
    expect(result.code, result.stderr).toBe(2)
    expect(result.stdout).toBe('')
    const lines = result.stderr.trimEnd().split('\n')
    expect(lines, result.stderr).toHaveLength(1)
    return lines[0]
  }

  it('refuses bad input with one line and exit 2, writing nothing', () => {
    const out = join(dir, 'refused.parquet')
    expect(refused(['recommend', ...models(join(dir, 'missing')), '--out', out])).toMatch(/^rec: error: dataset directory .*missing does not exist \(create one with rec gen-data/)
    expect(refused(['recommend', ...models(), '--users', join(dir, 'nobody.txt'), '--out', out])).toMatch(/^rec: error: --users file .*nobody\.txt does not exist or cannot be read/)
    expect(refused(['recommend', ...models(), '--k', '0', '--out', out])).toBe('rec: error: Parsing --k: Expected an integer greater than or equal to 1 but received: 0')
    expect(refused(['recommend', ...models(), '--k', '101', '--out', out])).toBe("rec: error: --k must be an integer from 1 to 100 (the mixer config's max-k), got 101 (raise max-k in the mixer config for longer lists)")
    expect(refused(['recommend', ...models(), '--generated-at', 'yesterday', '--out', out])).toMatch(/^rec: error: Parsing --generated-at: "yesterday" is not a time such as/)
    expect(refused(['recommend', '--dataset', trained.dataset, '--out', out])).toBe('rec: error: give --retrieval (and --index) or --registry with --alias')
    expect(existsSync(out)).toBe(false)
    expect(refused(['serve', ...models(), '--port', '0', '--cache-max-age', '1h'])).toBe('rec: error: --cache-max-age applies to cached lists: give --topn FILE|store with it')
    expect(refused(['serve', ...models(), '--port', '0', '--topn', 'store'])).toBe('rec: error: --topn store needs a store: --state DIR or --store URL (or pass --topn topn.parquet)')
    expect(refused(['serve', ...models(), '--port', '0', '--topn', join(dir, 'none.parquet')])).toMatch(/^rec: error: --topn file .*none\.parquet does not exist/)
    expect(refused(['serve', ...models(), '--port', '0', '--topn', join(dir, 'x.parquet'), '--cache-max-age', '1 day'])).toMatch(/^rec: error: Parsing --cache-max-age: "1 day" is not a duration such as 30m, 24h or 7d/)
  })

  it('writes the lists and a JSON summary; refuses to overwrite without --force; rec serve --topn serves them from the cache', async () => {
    const out = join(dir, 'topn.parquet')
    const users = join(dir, 'users.txt')
    writeFileSync(users, `user_id\n${userId(3)}\n${userId(5)}\n77\n`)
    const result = runCli(['recommend', ...models(), '--users', users, '--k', '5', '--out', out, '--workers', '1', '--generated-at', 'now', '--json'])
    expect(result.code, result.stderr).toBe(0)
    const summary = JSON.parse(result.stdout) as {users: number; cold_start: number; rows: number; workers: number; generated_at: string}
    expect(summary).toMatchObject({users: 3, cold_start: 1, rows: 15, workers: 1})
    expect(Date.now() - Date.parse(summary.generated_at)).toBeLessThan(300_000)
    expect(Array.from(decodeTopN(readFileSync(out), out).userIds)).toEqual([userId(3), userId(5), 77n])
    expect(refused(['recommend', ...models(), '--out', out])).toMatch(/^rec: error: output .*topn\.parquet already exists \(pass --force to replace it\)$/)
    expect(runCli(['recommend', ...models(), '--k', '3', '--out', out, '--force', '--workers', '0', '--quiet']).code).toBe(0)
    expect(decodeTopN(readFileSync(out), out).userIds).toHaveLength(N_USERS)

    // the dataset's own clock (2024) is well past --cache-max-age 24h: stale, so live; a generous age serves the cache
    const stale = await spawnServer([...models(), '--workers', '0', '--topn', out])
    servers.push(stale)
    const feed = async (url: string, k: number) => (await (await fetch(`${url}/v1/recommendations?user_id=${userId(3)}&k=${k}`)).json()) as {served_from: string; items: unknown[]}
    expect((await feed(stale.url, 3)).served_from).toBe('live')
    const fresh = await spawnServer([...models(), '--workers', '0', '--topn', out, '--cache-max-age', '100000d'])
    servers.push(fresh)
    expect(await feed(fresh.url, 3)).toMatchObject({served_from: 'cache', items: expect.any(Array)})
    expect((await feed(fresh.url, 4)).served_from).toBe('live')
    const metrics = await (await fetch(`${fresh.url}/metrics`)).text()
    expect(metrics).toMatch(/^rec_topn_served_total\{from="cache"\} 1$/m)
    expect(metrics).toMatch(/^rec_topn_served_total\{from="live"\} 1$/m)
  })
})
