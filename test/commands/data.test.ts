// The data commands through the built binary: import -> inspect --json -> split --in-place -> inspect --strict.
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {encodeParquet} from '../../src/lib/dataset/parquet.js'
import {runCli, tempDir} from '../helpers/cli.js'
import {ML100K, writeMovielens} from '../dataset/import/movielens-fixtures.js'

describe('rec data', () => {
  it('imports MovieLens, inspects, re-splits in place and inspects again', () => {
    const dir = tempDir()
    const src = join(dir, 'ml')
    mkdirSync(src)
    writeMovielens(src, ML100K)
    const ds = join(dir, 'ds')

    const imported = runCli(['data', 'import', 'movielens', src, '--out', ds, '--json'])
    expect(imported.code).toBe(0)
    const {manifest} = JSON.parse(imported.stdout)
    expect(manifest.counts).toMatchObject({users: 3, items: 4, interactions: 9, train: 5, val: 2, test: 2})
    expect(imported.stderr).toMatch(/imported MovieLens 100K from .* in [\d.]+ s\n9 interactions, 3 users, 4 items; leave-last-out split: train 5, val 2, test 2/)

    const inspected = runCli(['data', 'inspect', ds, '--json'])
    expect(inspected.code).toBe(0)
    const report = JSON.parse(inspected.stdout)
    expect(report.splits.test).toEqual({interactions: 2, users: 2, items: 1}) // users 1 and 2 both end on item 40
    expect(report.problems).toEqual([])
    expect(inspected.stderr).toMatch(/split +interactions +users +items\ntrain +5 +3 +3/)

    const split = runCli(['data', 'split', ds, '--method', 'temporal-global', '--val-frac', '0.2', '--test-frac', '0.2', '--in-place', '--json'])
    expect(split.code).toBe(0)
    const resplit = JSON.parse(split.stdout).manifest
    expect(resplit.split).toMatchObject({method: 'temporal-global', valFrac: 0.2, testFrac: 0.2})
    expect(resplit.fingerprint).not.toBe(manifest.fingerprint)

    const strict = runCli(['data', 'inspect', ds, '--strict', '--quiet'])
    expect(strict).toMatchObject({code: 0, stderr: ''})
  })

  it('imports a Parquet interactions file with a users CSV, and --strict fails on a broken dataset', () => {
    const dir = tempDir()
    const events = join(dir, 'events.parquet')
    writeFileSync(
      events,
      encodeParquet({
        uid: {type: 'int64', values: BigInt64Array.from([9007199254740993n, 2n, 9007199254740993n, 2n, 2n])},
        sku: {type: 'int64', values: BigInt64Array.from([5n, 5n, 6n, 7n, 6n])},
        at: {type: 'utf8', values: ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05']},
      }),
    )
    writeFileSync(join(dir, 'users.csv'), 'uid,country\n2,FR\n')
    const ds = join(dir, 'ds')
    const imported = runCli(['data', 'import', 'csv', events, '--out', ds, '--map', 'user_id=uid,item_id=sku,ts=at', '--users', join(dir, 'users.csv'), '--users-id-col', 'uid', '--json'])
    expect(imported.code).toBe(0)
    expect(imported.stderr).toMatch(/timestamps read as iso/)
    const {manifest} = JSON.parse(imported.stdout)
    expect(manifest.counts).toMatchObject({users: 2, items: 3, interactions: 5, train: 3, val: 1, test: 1})
    expect(manifest.features.users).toEqual({country: {kind: 'categorical', vocabSize: 2}})

    writeFileSync(join(ds, 'users.parquet'), encodeParquet({user_id: {type: 'int64', values: BigInt64Array.from([2n])}}))
    const strict = runCli(['data', 'inspect', ds, '--strict', '--quiet'])
    expect(strict.code).toBe(2)
    expect(strict.stderr).toMatch(/^rec: error: .*: 3 problems, first: 2 interactions name a user_id missing from users\.parquet \(first 9007199254740993\)\n$/)
  })
})
