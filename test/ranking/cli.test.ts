// `rec train ranking` as users run it: help with examples, one-line errors with exit 2, JSON output, a checkpoint.
import {existsSync} from 'node:fs'
import {join} from 'node:path'

import {beforeAll, describe, expect, it} from 'vitest'

import {initBackend} from '../../src/lib/engine/backend.js'
import {RetrievalConfigSchema} from '../../src/lib/models/two-tower/config.js'
import {trainRetrieval} from '../../src/lib/training/train-retrieval.js'
import {runCli, tempDir} from '../helpers/cli.js'
import {writeWorld} from './fixtures.js'

let dir: string
let world: string

beforeAll(async () => {
  dir = tempDir('rec-ranking-cli-')
  world = await writeWorld(dir, {users: 80, items: 300, interactions: 6000})
})

describe('rec train ranking', () => {
  it('documents itself with examples', () => {
    const {code, stdout} = runCli(['train', 'ranking', '--help'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/EXAMPLES/)
    expect(stdout).toMatch(/--arch=<option>/)
    expect(stdout).toMatch(/--negatives-per-positive/)
  })

  it.each([
    [['--arch', 'transformer'], /Expected --arch=transformer to be one of: mlp, dlrm, dcn/],
    [['--lr', 'fast'], /--lr: "fast" is not a number/],
    [['--bottom-layers', '64,x'], /--bottom-layers: "x" is not a positive integer/],
  ])('rejects %s with one line and exit 2', (args, message) => {
    const {code, stderr} = runCli(['train', 'ranking', '--dataset', world, '--out', join(dir, 'bad'), ...args])
    expect(code).toBe(2)
    expect(stderr.trim().split('\n')).toHaveLength(1)
    expect(stderr).toMatch(message)
    expect(existsSync(join(dir, 'bad'))).toBe(false)
  })

  it('trains, prints per-head results and returns JSON; refuses to overwrite without --force', () => {
    const out = join(dir, 'ckpt')
    const args = ['train', 'ranking', '--dataset', world, '--out', out, '--epochs', '1', '--batch-size', '256', '--no-safety', '--backend', 'wasm', '--json']
    const first = runCli(args)
    expect(first.code).toBe(0)
    const result = JSON.parse(first.stdout)
    expect(result.arch).toBe('mlp')
    expect(result.metrics['val.auc/click']).toBeGreaterThan(0.5)
    expect(first.stderr).toMatch(/click\s+0\.\d{4} \/ -?\d+\.\d{2}\s+fusion 1\.000/)
    expect(existsSync(join(out, 'weights.safetensors'))).toBe(true)
    const again = runCli(args)
    expect(again.code).toBe(2)
    expect(again.stderr).toMatch(/already exists \(pass --force to replace it\)/)
  })

  it('refuses --retrieval trained on the same dataset with one line and exit 2, before any work', async () => {
    await initBackend('wasm')
    const retrieval = join(dir, 'retrieval')
    await trainRetrieval({dataset: world, out: retrieval, config: RetrievalConfigSchema.parse({dim: 16, epochs: 1, 'batch-size': 128, ks: [10], backend: 'wasm'})})
    const {code, stderr} = runCli(['train', 'ranking', '--dataset', world, '--out', join(dir, 'leaky'), '--retrieval', retrieval])
    expect(code).toBe(2)
    expect(stderr.trim().split('\n')).toHaveLength(1)
    expect(stderr).toMatch(/was trained on .* itself, so retrieval_score would be over-confident .*earlier snapshot/)
    expect(existsSync(join(dir, 'leaky'))).toBe(false)
  })
})
