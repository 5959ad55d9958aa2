// Bad input to the eval library: each refused with a RecError naming the value, before any output exists.
import {mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {parseModelSpec} from '../../src/lib/eval/model-spec.js'
import {parseProtocol} from '../../src/lib/eval/eval-settings.js'
import {type EvalOptions, runEval} from '../../src/lib/eval/run-eval.js'
import {isRecError, type RecErrorCode} from '../../src/lib/errors.js'
import {tempDir} from '../helpers/cli.js'
import {randomWorld, writeWorld} from './fixtures.js'

let root: string
let datasetDir: string

async function expectRefused(options: Partial<EvalOptions>, code: RecErrorCode, pattern: RegExp): Promise<void> {
  const error = await runEval({dataset: datasetDir, models: [{kind: 'baseline', name: 'popular'}], split: 'test', protocol: {kind: 'full'}, ...options}).catch((e: unknown) => e)
  expect(isRecError(error), String(error)).toBe(true)
  expect((error as {code: string}).code).toBe(code)
  expect((error as Error).message).toMatch(pattern)
}

beforeAll(async () => {
  root = tempDir()
  datasetDir = await writeWorld(join(root, 'world'), randomWorld(3))
})

describe('eval bad input', () => {
  it('K above the catalogue or above a sampled list', async () => {
    await expectRefused({ks: [10, 31]}, 'INVALID_ARGUMENT', /K=31 is larger than the catalogue of 30 items/)
    await expectRefused({ks: [12], protocol: {kind: 'sampled', negatives: 10}}, 'INVALID_ARGUMENT', /K=12 is larger than a sampled list of 10 negatives/)
    await expectRefused({protocol: {kind: 'sampled', negatives: 30}}, 'INVALID_ARGUMENT', /negatives must be an integer in \[1, 29\]/)
  })

  it('default Ks are cut to the catalogue instead of refused', async () => {
    const report = await runEval({dataset: datasetDir, models: [{kind: 'baseline', name: 'popular'}], split: 'val', protocol: {kind: 'full'}})
    expect(report.protocol.ks).toEqual([10, 20])
  })

  it('an empty split', async () => {
    const world = randomWorld(3)
    const noTest = await writeWorld(join(root, 'no-test'), {...world, interactions: world.interactions.map((x) => ({...x, split: x.split === 'test' ? ('train' as const) : x.split}))})
    await expectRefused({dataset: noTest}, 'EMPTY', /the test split of .* is empty/)
  })

  it('a missing or non-checkpoint directory, and three models', async () => {
    await expectRefused({models: [{kind: 'checkpoint', path: join(root, 'nowhere')}]}, 'NOT_FOUND', /does not exist/)
    mkdirSync(join(root, 'plain'))
    await expectRefused({models: [{kind: 'checkpoint', path: join(root, 'plain')}]}, 'NOT_FOUND', /not a rec checkpoint/)
    const popular = {kind: 'baseline' as const, name: 'popular' as const}
    await expectRefused({models: [popular, popular, popular]}, 'INVALID_ARGUMENT', /evaluate one model or compare two/)
  })

  // (the K list is a schema flag: test/commands/_cli/schema-flags.test.ts and test/commands/flag-errors.test.ts)
  it('flag values: unknown model, bad protocol', () => {
    expect(() => parseModelSpec('model:svd')).toThrow(/unknown model "svd"/)
    expect(parseModelSpec('ckpt/a')).toEqual({kind: 'checkpoint', path: 'ckpt/a'})
    expect(parseProtocol('sampled:100')).toEqual({kind: 'sampled', negatives: 100})
    expect(() => parseProtocol('sampled:')).toThrow(/neither full nor sampled:N/)
  })
})
