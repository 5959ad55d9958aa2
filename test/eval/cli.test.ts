// `rec eval` through the built binary: a full run with --json and --out, and bad input -> exit 2 with one line.
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {EvalReportSchema} from '../../src/lib/eval/report-schema.js'
import {runCli, tempDir} from '../helpers/cli.js'
import {randomWorld, trainTiny, writeWorld} from './fixtures.js'

let root: string
let datasetDir: string
let ckpt: string

/** Exit 2, exactly one line on stderr, nothing on stdout. */
function expectOneLineError(args: string[], pattern: RegExp): void {
  const result = runCli(args)
  expect(result.code, result.stderr).toBe(2)
  const lines = result.stderr.trim().split('\n')
  expect(lines, result.stderr).toHaveLength(1)
  expect(lines[0]).toMatch(/^rec: error: /)
  expect(lines[0]).toMatch(pattern)
  expect(result.stdout).toBe('')
}

beforeAll(async () => {
  root = tempDir()
  datasetDir = await writeWorld(join(root, 'world'), randomWorld(21))
  ckpt = await trainTiny(datasetDir, join(root, 'ckpt'))
})

describe('rec eval', () => {
  it('compares a baseline with a checkpoint: JSON on stdout, table on stderr, report.json and report.html in --out', () => {
    const out = join(root, 'report')
    const result = runCli(['eval', '--dataset', datasetDir, '--compare', 'model:popular', ckpt, '--resamples', '100', '--out', out, '--json'])
    expect(result.code, result.stderr).toBe(0)
    const report = EvalReportSchema.parse(JSON.parse(result.stdout))
    expect(report.comparison).not.toBeNull()
    expect(result.stderr).toMatch(/protocol: test split, history train\+val excluded \| FULL RANKING/)
    expect(result.stderr).toContain('delta (B-A)')
    expect(EvalReportSchema.parse(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'))).metrics).toEqual(report.metrics)
    const html = readFileSync(join(out, 'report.html'), 'utf8')
    expect(html.match(/<svg /g)).toHaveLength(3)
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//)

    // An existing --out is left alone without --force.
    writeFileSync(join(out, 'marker'), 'x')
    expectOneLineError(['eval', '--dataset', datasetDir, '--model', 'random', '--out', out], /already exists/)
    expect(existsSync(join(out, 'marker'))).toBe(true)
  })

  it('refuses --ckpt with --model and an unknown model', () => {
    expectOneLineError(['eval', '--dataset', datasetDir, '--ckpt', ckpt, '--model', 'popular'], /cannot also be provided/)
    expectOneLineError(['eval', '--dataset', datasetDir, '--compare', 'model:svd', ckpt], /unknown model "svd"/)
  })

  it('refuses a checkpoint whose dataset had other ids, naming both fingerprints', async () => {
    const other = await writeWorld(join(root, 'other-ids'), randomWorld(21, 40, 31))
    expectOneLineError(['eval', '--dataset', other, '--ckpt', ckpt], /checkpoint .* \(trained on dataset [0-9a-f]{12}\) does not fit .* \(dataset [0-9a-f]{12}\): their item ids differ \(30 in the checkpoint, 31 in the dataset\)/)
    // --allow-mismatch cannot help: the rows would not line up
    expectOneLineError(['eval', '--dataset', other, '--ckpt', ckpt, '--allow-mismatch'], /their item ids differ/)
  })

  it('refuses a dataset with the same ids but another fingerprint (exit 2) unless --allow-mismatch, which evaluates and warns', async () => {
    const world = randomWorld(21)
    const other = await writeWorld(join(root, 'shifted'), {...world, interactions: world.interactions.map((x) => ({...x, ts: x.ts + 5}))})
    expectOneLineError(['eval', '--dataset', other, '--ckpt', ckpt], /^rec: error: checkpoint .* was trained on dataset [0-9a-f]{12} \(.*\) but .* is dataset [0-9a-f]{12}: its score there would not measure it \(evaluate on .*, or pass --allow-mismatch to evaluate anyway \(the report then warns\)\)$/)
    const allowed = runCli(['eval', '--dataset', other, '--ckpt', ckpt, '--allow-mismatch', '--json'])
    expect(allowed.code, allowed.stderr).toBe(0)
    expect(allowed.stderr).toMatch(/warning: FINGERPRINT MISMATCH/)
    expect(EvalReportSchema.parse(JSON.parse(allowed.stdout)).warnings.join('\n')).toMatch(/FINGERPRINT MISMATCH/)
  })
})
