// `rec serve --experiments` with a bad file: exit 2, one line naming the field, before any model loads or --state file is made.
import {existsSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {beforeAll, describe, expect, it} from 'vitest'

import {registerCheckpoint, setAlias} from '../../src/lib/registry/index.js'
import {runCli, tempDir} from '../helpers/cli.js'
import {makeCheckpoint} from '../registry/make-checkpoint.js'

describe('rec serve --experiments (CLI)', () => {
  let dir: string
  let registry: string
  beforeAll(async () => {
    dir = tempDir()
    registry = join(dir, 'registry')
    await registerCheckpoint(registry, makeCheckpoint(join(dir, 'r1'), {tag: 'r1'}))
    await setAlias(registry, 'production', 1)
  })

  it('refuses a bad file with exit 2 and one line, loading nothing and creating no --state', () => {
    const write = (name: string, text: string) => {
      writeFileSync(join(dir, name), text)
      return join(dir, name)
    }
    const arms = (second: string) => `experiments:\n  - id: home\n    salt: s1\n    arms:\n      - {name: control, percent: 50, retrieval: production}\n      - ${second}\n`
    const cases: [string, string][] = [
      [write('sum.yaml', arms('{name: treatment, percent: 40}')), "experiments[0].arms[1].percent: the arms' percents sum to 90 (50 + 40); they must sum to 100"],
      [write('alias.yaml', arms('{name: treatment, percent: 50, retrieval: treatment}')), `experiments[0].arms[1].retrieval: alias "treatment" is not set in registry ${registry} (aliases: production)`],
      [write('twice.yaml', arms('{name: control, percent: 50}')), 'experiments[0].arms[1].name: "control" is also the name of arms[0]; arm names must differ'],
      [write('knob.yaml', arms('{name: treatment, percent: 50, mmr: 0.5}')), 'experiments[0].arms[1].mmr: unknown key (known: name, percent, retrieval, ranking, quota-k, quotas, mmr-lambda, exploration-rate, author-cap, topic-cap, max-in-network)'],
      [write('syntax.yaml', 'experiments:\n  - id: home\n   salt: [\n'), 'not valid YAML: '],
      [write('two.yaml', 'experiments:\n  - {id: home, salt: s1, arms: [{name: a, percent: 100}]}\n  - {id: search, salt: s1, arms: [{name: a, percent: 100}]}\n'), 'experiments: lists 2 experiments (home, search); a server serves one (keep one entry, or start one server per experiment)'],
    ]
    for (const [path, expected] of cases) {
      const state = join(dir, `state-${path.split('/').at(-1)}`)
      // the dataset does not exist: reading it would be the next step, so an error about it would mean the file passed
      const result = runCli(['serve', '--registry', registry, '--experiments', path, '--dataset', join(dir, 'no-dataset'), '--state', state, '--port', '0', '--workers', '0'])
      expect(result.code, result.stderr).toBe(2)
      expect(result.stderr.startsWith(`rec: error: ${path}: ${expected}`), result.stderr).toBe(true)
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1)
      expect(existsSync(state)).toBe(false)
    }
    const missing = runCli(['serve', '--registry', registry, '--experiments', join(dir, 'absent.yaml'), '--dataset', dir, '--port', '0'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toBe(`rec: error: config file ${join(dir, 'absent.yaml')} does not exist\n`)
    const noRegistry = runCli(['serve', '--experiments', cases[0][0].replace('sum', 'alias'), '--dataset', dir, '--port', '0'])
    expect(noRegistry.code).toBe(2)
    expect(noRegistry.stderr).toBe(`rec: error: ${join(dir, 'alias.yaml')}: experiments[0].arms[0].retrieval: names alias "production", which needs --registry\n`)
  })

  it('rec serve --help shows the flag and an example', () => {
    const help = runCli(['serve', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('--experiments=<value>')
    expect(help.stdout).toContain('serve --registry registry/ --experiments config/experiments.yaml --dataset data/world')
  })
})
