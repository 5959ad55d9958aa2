// Bad flag values through the built binary: the same value gets the same single error line and exit 2 in every command.
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {runCli, tempDir} from '../helpers/cli.js'

// Flag values are parsed before any file is read, so nothing needs to exist.
const root = tempDir('rec-flag-errors-')
const missing = join(root, 'missing')
const COMMANDS: Record<string, string[]> = {
  'train retrieval': ['train', 'retrieval', '--dataset', missing, '--out', join(root, 'out')],
  'train ranking': ['train', 'ranking', '--dataset', missing, '--out', join(root, 'out')],
  'gen-data': ['gen-data', '--out', join(root, 'out')],
  eval: ['eval', '--dataset', missing, '--model', 'popular'],
  'data split': ['data', 'split', missing, '--method', 'temporal-global', '--out', join(root, 'out')],
  serve: ['serve', '--dataset', missing, '--retrieval', missing, '--port', '0'],
}

/** The one stderr line of a refused run (exit 2, nothing on stdout). */
function errorLine(command: string, args: string[]): string {
  const result = runCli([...COMMANDS[command], ...args])
  expect(result.code, result.stderr).toBe(2)
  expect(result.stdout).toBe('')
  const lines = result.stderr.trimEnd().split('\n')
  expect(lines, result.stderr).toHaveLength(1)
  return lines[0]
}

describe('bad flag values', () => {
  it.each([
    [['--weight-decay='], 'rec: error: Parsing --weight-decay: "" is not a number >= 0'],
    [['--lr', 'abc'], 'rec: error: Parsing --lr: "abc" is not a number > 0'],
    [['--epochs', '0'], 'rec: error: Parsing --epochs: "0" is not an integer from 1 to 10000'],
    [['--epochs', '1.5'], 'rec: error: Parsing --epochs: "1.5" is not an integer from 1 to 10000'],
    [['--seed', 'abc'], 'rec: error: Parsing --seed: "abc" is not an integer'],
  ])('train retrieval and train ranking refuse %j alike', (args, line) => {
    expect(errorLine('train retrieval', args)).toBe(line)
    expect(errorLine('train ranking', args)).toBe(line)
  })

  it.each([
    [['--attribution-window', '24'], 'rec: error: Parsing --attribution-window: "24" is not a duration such as 30m, 24h or 7d (a positive whole number, then ms, s, m, h or d)'],
    [['--attribution-window', '0h'], 'rec: error: Parsing --attribution-window: "0h" is not a duration such as 30m, 24h or 7d (a positive whole number, then ms, s, m, h or d)'],
    [['--attribution-window', '1.5h'], 'rec: error: Parsing --attribution-window: "1.5h" is not a duration such as 30m, 24h or 7d (a positive whole number, then ms, s, m, h or d)'],
  ])('serve refuses %j', (args, line) => {
    expect(errorLine('serve', args)).toBe(line)
  })

  it('eval refuses --seed abc as the training commands do', () => {
    expect(errorLine('eval', ['--seed', 'abc'])).toBe('rec: error: Parsing --seed: "abc" is not an integer')
  })

  it.each([
    [['--unsafe-frac='], 'rec: error: Parsing --unsafe-frac: "" is not a number from 0 to 0.5'],
    [['--label-frac', 'abc'], 'rec: error: Parsing --label-frac: "abc" is not a number from 0 to 1'],
    [['--days', '0'], 'rec: error: Parsing --days: "0" is not an integer from 1 to 3650'],
    [['--days', '1.5'], 'rec: error: Parsing --days: "1.5" is not an integer from 1 to 3650'],
  ])('gen-data refuses %j', (args, line) => {
    expect(errorLine('gen-data', args)).toBe(line)
  })

  it.each([
    [['--resamples', '0'], 'rec: error: Parsing --resamples: "0" is not a positive integer'],
    [['--resamples', '1.5'], 'rec: error: Parsing --resamples: "1.5" is not a positive integer'],
    [['--k', '10,x'], 'rec: error: Parsing --k: "x" is not a positive integer'],
  ])('eval refuses %j', (args, line) => {
    expect(errorLine('eval', args)).toBe(line)
  })

  it('gen-data and data split refuse --val-frac x alike (one shared flag)', () => {
    const line = 'rec: error: Parsing --val-frac: "x" is not a number >= 0 and < 1'
    expect(errorLine('gen-data', ['--split', 'temporal-global', '--val-frac', 'x'])).toBe(line)
    expect(errorLine('data split', ['--val-frac', 'x'])).toBe(line)
  })
})
