// Failures through the built binary: one `rec: error:` line on stderr, {"error": {code, message}} on stdout with --json, exit 2.
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {closestCommand} from '../../src/commands/_cli/unknown-command.js'
import {runCli, tempDir} from '../helpers/cli.js'

/** Exit 2 and exactly one stderr line `rec: error: <message>`; returns the message. */
function oneLineError(args: string[]): {message: string; stdout: string} {
  const result = runCli(args)
  expect(result.code, result.stderr).toBe(2)
  const lines = result.stderr.trimEnd().split('\n')
  expect(lines, result.stderr).toHaveLength(1)
  expect(lines[0]).toMatch(/^rec: error: /)
  return {message: lines[0].slice('rec: error: '.length), stdout: result.stdout}
}

describe('rec errors', () => {
  it('--json puts {"error": {code, message}} on stdout too: a library error, a missing flag, a bad option value', () => {
    const missing = join(tempDir(), 'nope')
    for (const [args, code, pattern] of [
      [['data', 'inspect', missing], 'NOT_FOUND', /nope/],
      [['eval', '--model', 'popular'], 'INVALID_ARGUMENT', /Missing required flag dataset/],
      [['gen-data', '--out', missing, '--split', 'random'], 'INVALID_ARGUMENT', /--split/],
    ] as const) {
      const plain = oneLineError([...args])
      expect(plain.stdout).toBe('')
      expect(plain.message).toMatch(pattern)
      const json = oneLineError([...args, '--json'])
      expect(JSON.parse(json.stdout)).toEqual({error: {code, message: json.message}})
      expect(json.stdout.trimEnd().split('\n')).toHaveLength(1)
    }
  })

  it('a mistyped command gets the same one line, naming the closest command, and JSON with --json', () => {
    expect(oneLineError(['trian', 'retrieval'])).toEqual({message: 'unknown command "trian retrieval"; did you mean "rec train retrieval"? (rec --help lists the commands)', stdout: ''})
    expect(oneLineError(['data', 'inspectt', 'world']).message).toBe('unknown command "data inspectt"; did you mean "rec data inspect"? (rec --help lists the commands)')
    expect(oneLineError(['xyzzy']).message).toBe('unknown command "xyzzy" (rec --help lists the commands)')
    const json = oneLineError(['evl', '--json'])
    expect(JSON.parse(json.stdout)).toEqual({error: {code: 'INVALID_ARGUMENT', message: 'unknown command "evl"; did you mean "rec eval"? (rec --help lists the commands)'}})
  })

  it('closestCommand: swaps and typos within a third of the word, arguments past the command ignored', () => {
    const ids = ['eval', 'serve', 'train:retrieval', 'train:ranking', 'data:inspect', 'promote:register']
    expect(closestCommand('trian:retrieval', ids)).toBe('train:retrieval')
    expect(closestCommand('train:rankin', ids)).toBe('train:ranking')
    expect(closestCommand('promote:regster:ckpt', ids)).toBe('promote:register')
    expect(closestCommand('server', ids)).toBe('serve')
    expect(closestCommand('deploy', ids)).toBeUndefined()
  })
})
