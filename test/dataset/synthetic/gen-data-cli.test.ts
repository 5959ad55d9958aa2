// `rec gen-data` through the built binary: --json summary, and bad flags -> one line, exit 2, no output.
import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {runCli, tempDir} from '../../helpers/cli.js'

const SMALL = ['--users', '60', '--items', '600', '--interactions', '3000']

describe('rec gen-data', () => {
  const root = tempDir('rec-gen-cli-')

  it('writes the dataset and prints a --json summary', () => {
    const out = join(root, 'world')
    const result = runCli(['gen-data', '--out', out, ...SMALL, '--seed', '9', '--json'])
    expect(result.code, result.stderr).toBe(0)
    const summary = JSON.parse(result.stdout)
    expect(summary).toMatchObject({out, counts: {users: 60, items: 600, interactions: 3000}, split: {method: 'leave-last-out'}})
    expect(summary.fingerprint).toMatch(/^[0-9a-f]{64}$/)
    expect(typeof summary.seconds).toBe('number')
    expect(readdirSync(out).sort()).toEqual(['dataset.json', 'follows.parquet', 'interactions.parquet', 'items.parquet', 'truth', 'users.parquet'])
  })

  // One refused by oclif's flag parser, one by the library's checks (the rest are covered without a process).
  it.each([
    // (not --users: SMALL gives it already, and oclif refuses a second one before reading it)
    [['--days', '0'], /--days: "0" is not an integer from 1 to 3650/],
    [['--topics', '700'], /--topics 700 exceeds --items 600/],
  ])('refuses %j with one line, exit 2 and no output', (flags, message) => {
    const out = join(root, `bad-${flags[0].slice(2)}`)
    const result = runCli(['gen-data', '--out', out, ...SMALL, ...flags])
    expect(result.code).toBe(2)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toMatch(message)
    expect(existsSync(out)).toBe(false)
  })
})
