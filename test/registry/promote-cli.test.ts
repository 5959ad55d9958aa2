// The promote commands end to end through the built binary: JSON output, exit codes, one-line errors.
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import PromoteBest from '../../src/commands/promote/best.js'
import PromoteList from '../../src/commands/promote/list.js'
import PromoteRegister from '../../src/commands/promote/register.js'
import PromoteResolve from '../../src/commands/promote/resolve.js'
import PromoteRollback from '../../src/commands/promote/rollback.js'
import PromoteSet from '../../src/commands/promote/set.js'
import {registerCheckpoint} from '../../src/lib/registry/index.js'
import {type CliResult, runCli, tempDir} from '../helpers/cli.js'
import {makeCheckpoint} from './make-checkpoint.js'

function expectOneLineError(result: CliResult, pattern: RegExp): void {
  expect(result.code).toBe(2)
  const lines = result.stderr.trim().split('\n')
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(/^rec: error: /)
  expect(lines[0]).toMatch(pattern)
}

const json = (result: CliResult) => {
  expect(result.code).toBe(0)
  return JSON.parse(result.stdout)
}

describe('rec promote', () => {
  it('every command documents examples of itself', () => {
    const commands = {register: PromoteRegister, list: PromoteList, set: PromoteSet, best: PromoteBest, rollback: PromoteRollback, resolve: PromoteResolve}
    for (const [name, command] of Object.entries(commands)) {
      expect(command.examples.length).toBeGreaterThan(0)
      for (const example of command.examples) expect(String(example)).toContain(`promote ${name}`)
      expect(command.enableJsonFlag).toBe(true)
    }
    const help = runCli(['promote', 'set', '--help'])
    expect(help.stdout).toContain('EXAMPLES')
    expect(help.stdout).toContain('promote set production 4')
  })

  it('registers, promotes by best, guards production, rolls back and resolves', async () => {
    const root = tempDir()
    const reg = join(root, 'registry')
    const c1 = makeCheckpoint(join(root, 'c1'), {tag: 'one', metrics: {'val.ndcg@10': 0.3}})
    const c2 = makeCheckpoint(join(root, 'c2'), {tag: 'two', metrics: {'val.ndcg@10': 0.1}})
    expect(json(runCli(['promote', 'register', c1, '-r', reg, '--json']))).toMatchObject({created: true, entry: {version: 1, path: c1}})
    // Only the outputs under test go through the binary: each run costs a Node start-up.
    await registerCheckpoint(reg, c2)

    const best = json(runCli(['promote', 'best', '--kind', 'retrieval', '--metric', 'val.ndcg@10', '--alias', 'production', '-r', reg, '--json']))
    expect(best).toMatchObject({alias: 'production', version: 1, changed: true})

    expectOneLineError(runCli(['promote', 'set', 'production', '2', '-r', reg]), /refusing to move production from version 1 .* to version 2 .*--force/)
    expect(json(runCli(['promote', 'set', 'production', '2', '-r', reg, '--force', '--json']))).toMatchObject({version: 2, previous: 1})
    expect(json(runCli(['promote', 'rollback', 'production', '-r', reg, '--reason', 'ctr dropped', '--json']))).toMatchObject({from: 2, version: 1, history: [], event: {action: 'rollback', from: 2, to: 1, reason: 'ctr dropped'}})

    const resolved = runCli(['promote', 'resolve', 'production', '-r', reg])
    expect(resolved).toMatchObject({code: 0, stdout: `${c1}\n`})

    const table = runCli(['promote', 'list', '-r', reg])
    expect(table.code).toBe(0)
    expect(table.stdout.split('\n')[1]).toMatch(/^1\s+retrieval\s+two-tower\s+production\s+.*val\.ndcg@10=0\.3/)
    expect(table.stderr).toMatch(/^production: rolled back 2 -> 1 at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(ctr dropped\)$/m)

    expectOneLineError(runCli(['promote', 'set', 'staging', '9', '-r', reg]), /version 9 is not in registry/)
    expectOneLineError(runCli(['promote', 'set', 'staging', 'v1', '-r', reg]), /version "v1" is not a positive integer/)

    writeFileSync(join(c1, 'vocab', 'items.parquet'), 'changed')
    expectOneLineError(runCli(['promote', 'resolve', 'production', '-r', reg]), new RegExp(`checkpoint ${c1} of version 1 changed`))
  })

  it('a corrupted registry.json is reported in one line and left byte-identical', async () => {
    const root = tempDir()
    const reg = join(root, 'registry')
    const path = join(reg, 'registry.json')
    await registerCheckpoint(reg, makeCheckpoint(join(root, 'c1')))
    const corrupted = readFileSync(path, 'utf8').replace('"versions"', '"versions" oops')
    writeFileSync(path, corrupted)
    expectOneLineError(runCli(['promote', 'register', makeCheckpoint(join(root, 'c2'), {tag: 'b'}), '-r', reg]), /registry\.json is not valid JSON.*left untouched/)
    expect(readFileSync(path, 'utf8')).toBe(corrupted)
  })
})
