// rec data window through the built binary: --json summary, and bad input as one line with exit 2.
import {join} from 'node:path'

import {beforeAll, describe, expect, it} from 'vitest'

import {runCli, tempDir} from '../helpers/cli.js'
import {LOG_SIZE, writeLog} from './window-fixtures.js'

let dir: string
let log: string

beforeAll(async () => {
  dir = tempDir('rec-window-cli-')
  log = await writeLog(dir)
})

describe('rec data window', () => {
  it('writes the window and summarises it as JSON: rows kept, bounds as ISO, split counts', () => {
    const out = join(dir, 'late')
    const result = runCli(['data', 'window', log, '--from', 'q0.5', '--split', 'temporal-global', '--val-frac', '0.25', '--test-frac', '0.25', '--out', out, '--json'])
    expect(result.code).toBe(0)
    const summary = JSON.parse(result.stdout)
    expect(summary).toMatchObject({
      out,
      from: '1970-01-01T00:00:12.000Z',
      until: null,
      interactions: {kept: LOG_SIZE / 2, total: LOG_SIZE},
      follows: {kept: 6, total: 6},
      split: {method: 'temporal-global', train: 6, val: 3, test: 3},
      manifest: {window: {from: 'q0.5', fromMs: 12_000}},
    })
    const human = runCli(['data', 'window', log, '--until', '1970-01-01T00:00:12Z', '--out', join(dir, 'early')])
    expect(human.code).toBe(0)
    expect(human.stderr).toMatch(/^wrote .*early: window start <= ts < 1970-01-01T00:00:12.000Z, 12 of 24 interactions kept; 12 interactions, 4 users, 6 items; leave-last-out split: train 4, val 4, test 4; fingerprint [0-9a-f]{16}\n$/)
  })

  it('takes --val-frac/--test-frac without --split when the source is split temporal-global', async () => {
    const tgLog = await writeLog(dir, {method: 'temporal-global', valFrac: 0.25, testFrac: 0.25}, 'tg-log')
    const result = runCli(['data', 'window', tgLog, '--from', 'q0.5', '--val-frac', '0.25', '--test-frac', '0.25', '--out', join(dir, 'tg-late'), '--json'])
    expect(result.code, result.stderr).toBe(0)
    expect(JSON.parse(result.stdout).split).toEqual({method: 'temporal-global', train: 6, val: 3, test: 3})
  })

  it('refuses bad input with one line and exit 2', () => {
    const cases: [string[], RegExp][] = [
      [['--from', 'q0.7', '--until', 'q0.2'], /--from q0.7 is not before --until q0.2/],
      [['--from', 'last tuesday'], /--from "last tuesday" is not a time: give an ISO date/],
      [['--from', '2030-01-01'], /no interactions of .* fall in the window/],
      [['--until', '8000'], /leaves the val split empty .*3 or more interactions/],
      [['--until', 'q0.5', '--val-frac', '0.2'], /--val-frac and --test-frac apply only to the temporal-global split \(add --split temporal-global\)/],
    ]
    for (const [flags, message] of cases) {
      const result = runCli(['data', 'window', log, ...flags, '--out', join(dir, 'never')])
      expect(result.code, flags.join(' ')).toBe(2)
      expect(result.stderr).toMatch(message)
      expect(result.stderr.trim().split('\n')).toHaveLength(1)
    }
    const missing = runCli(['data', 'window', join(dir, 'none'), '--until', 'q0.5', '--out', join(dir, 'never')])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/^rec: error: dataset directory .*none does not exist/)
  })
})
