// runEval end to end on a tiny trained checkpoint and the baselines: exclusions, comparison, report shape, stages.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {type EvalStage} from '../../src/lib/eval/eval-stage.js'
import {EvalReportSchema} from '../../src/lib/eval/report-schema.js'
import {runEval} from '../../src/lib/eval/run-eval.js'
import {isRecError} from '../../src/lib/errors.js'
import {tempDir} from '../helpers/cli.js'
import {randomWorld, trainTiny, writeWorld} from './fixtures.js'

let datasetDir: string
let ckpt: string
const world = randomWorld(11)

/** A stage that keeps the lists it receives (as item ids per user id) and hands them on unchanged. */
function captureStage(seen: Map<number, number[]>[]): EvalStage {
  return {
    id: 'capture',
    async apply({ranked, context}) {
      const lists = new Map<number, number[]>()
      context.task.users.forEach((u, i) => {
        const row = Array.from(ranked.lists.subarray(i * ranked.listK, (i + 1) * ranked.listK))
        lists.set(Number(context.users.id(u)), row.filter((r) => r >= 0).map((r) => Number(context.items.id(r))))
      })
      seen.push(lists)
      return {lists: ranked.lists}
    },
  }
}

beforeAll(async () => {
  const root = tempDir()
  datasetDir = await writeWorld(join(root, 'world'), world)
  ckpt = await trainTiny(datasetDir, join(root, 'ckpt'))
})

describe('runEval', () => {
  it('never ranks an item of the train+val history (test) or train history (val), for every model', async () => {
    for (const split of ['test', 'val'] as const) {
      const historySplits = split === 'test' ? ['train', 'val'] : ['train']
      const history = new Map<number, Set<number>>()
      for (const x of world.interactions) if (historySplits.includes(x.split)) history.set(x.user, (history.get(x.user) ?? new Set()).add(x.item))
      for (const model of [{kind: 'checkpoint' as const, path: ckpt}, ...(['popular', 'itemknn', 'random'] as const).map((name) => ({kind: 'baseline' as const, name}))]) {
        const seen: Map<number, number[]>[] = []
        await runEval({dataset: datasetDir, models: [model], split, ks: [5, 20], protocol: {kind: 'full'}, stages: [captureStage(seen)]})
        expect(seen[0].size).toBe(40)
        for (const [user, items] of seen[0]) {
          expect(items.length).toBe(20)
          for (const item of items) expect(history.get(user)!.has(item), `${split}: item ${item} of user ${user}'s history was ranked`).toBe(false)
        }
      }
    }
  })

  it('compares identical models to zero deltas with CIs that contain 0', async () => {
    for (const models of [
      [{kind: 'checkpoint' as const, path: ckpt}, {kind: 'checkpoint' as const, path: ckpt}],
      [{kind: 'baseline' as const, name: 'itemknn' as const}, {kind: 'baseline' as const, name: 'itemknn' as const}],
    ]) {
      const report = await runEval({dataset: datasetDir, models, split: 'test', ks: [5, 10], protocol: {kind: 'full'}, resamples: 200})
      const metrics = Object.values(report.comparison!.metrics)
      expect(metrics.length).toBeGreaterThan(10)
      for (const m of metrics) {
        expect(m.delta).toBe(0)
        expect(m.ciLow).toBeLessThanOrEqual(0)
        expect(m.ciHigh).toBeGreaterThanOrEqual(0)
        expect(m.pValue).toBe(1)
      }
      expect(new Set(report.models.map((m) => m.key)).size).toBe(2)
    }
  })

  it('writes a report that matches its documented shape, full ranking with a comparison', async () => {
    const report = await runEval({dataset: datasetDir, models: [{kind: 'baseline', name: 'popular'}, {kind: 'checkpoint', path: ckpt}], split: 'test', ks: [10, 5], protocol: {kind: 'full'}, resamples: 100})
    const parsed = EvalReportSchema.parse(JSON.parse(JSON.stringify(report)))
    expect(parsed.protocol).toMatchObject({kind: 'full', split: 'test', history: 'train+val', ks: [5, 10], items: 30, usersEvaluated: 40, diversityFeature: 'topic'})
    expect(parsed.models.map((m) => m.label)).toEqual(['A: popular', 'B: ckpt'])
    const b = parsed.models[1]
    expect(b.id).toMatch(/ckpt@\d{4}-/)
    for (const name of ['recall@10', 'hitrate@10', 'precision@10', 'ndcg@10', 'map@10', 'mrr', 'coverage@10', 'popularity@10', 'novelty@10', 'diversity@10']) expect(parsed.metrics[b.key]).toHaveProperty(name)
    const segments = parsed.segments.models[b.key]
    expect(segments.userActivity.map((s) => s.name)).toEqual(['cold', 'light', 'heavy'])
    expect(segments.userActivity.reduce((sum, s) => sum + s.users, 0)).toBe(40)
    expect(segments.targetPopularity.reduce((sum, s) => sum + s.users, 0)).toBe(40)
    expect(parsed.popularityBias[b.key].bins.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 6)
    expect(parsed.comparison!.metrics['recall@10'].delta).toBeCloseTo(parsed.metrics[b.key]['recall@10'] - parsed.metrics[parsed.models[0].key]['recall@10'], 6)
    expect(parsed.protocol.line).toContain('FULL RANKING')
  })

  it('states the sampled protocol loudly and reports sampled metrics only', async () => {
    const report = await runEval({dataset: datasetDir, models: [{kind: 'baseline', name: 'popular'}], split: 'test', ks: [1, 5], protocol: {kind: 'sampled', negatives: 10}})
    const parsed = EvalReportSchema.parse(JSON.parse(JSON.stringify(report)))
    expect(parsed.protocol).toMatchObject({kind: 'sampled', negatives: 10})
    expect(parsed.protocol.line).toContain('SAMPLED: each target ranked against 10 random unseen items')
    expect(Object.keys(parsed.metrics['model:popular']).every((n) => n.startsWith('sampled_'))).toBe(true)
    expect(parsed.popularityBias).toEqual({})
  })

  it('scores a later stage as a model of its own (the extension point for rankers)', async () => {
    const reverse: EvalStage = {
      id: 'reverse',
      async apply({ranked}) {
        const out = new Int32Array(ranked.lists.length)
        for (let s = 0; s < out.length; s += ranked.listK) out.set(ranked.lists.subarray(s, s + ranked.listK).reverse(), s)
        return {lists: out}
      },
    }
    const report = await runEval({dataset: datasetDir, models: [{kind: 'baseline', name: 'popular'}], split: 'test', ks: [10], protocol: {kind: 'full'}, stages: [reverse]})
    expect(report.models.map((m) => m.key)).toEqual(['model:popular', 'model:popular > reverse'])
    const [base, staged] = report.models.map((m) => report.metrics[m.key])
    // Same ten items in another order: recall@10 is unchanged, ndcg@10 is not.
    expect(staged['recall@10']).toBeCloseTo(base['recall@10'], 6)
    expect(staged['ndcg@10']).not.toBeCloseTo(base['ndcg@10'], 6)
  })

  it('reproduces the val metrics the checkpoint recorded in training (same protocol, same code)', async () => {
    const manifest = JSON.parse(readFileSync(join(ckpt, 'manifest.json'), 'utf8')) as {metrics: Record<string, number>}
    const report = await runEval({dataset: datasetDir, models: [{kind: 'checkpoint', path: ckpt}], split: 'val', ks: [5, 10], protocol: {kind: 'full'}})
    const metrics = report.metrics[report.models[0].key]
    for (const name of ['recall@5', 'ndcg@10', 'mrr']) expect(metrics[name], name).toBeCloseTo(manifest.metrics[`val.${name}`], 6)
  })

  it('refuses another dataset with the same ids (MISMATCH); with allowMismatch it evaluates and warns loudly', async () => {
    const shifted = {...world, interactions: world.interactions.map((x) => ({...x, ts: x.ts + 5}))}
    const other = await writeWorld(join(tempDir(), 'shifted'), shifted)
    const options = {dataset: other, models: [{kind: 'checkpoint' as const, path: ckpt}], split: 'test' as const, ks: [5], protocol: {kind: 'full' as const}}
    const error = await runEval(options).catch((e: unknown) => e)
    expect(isRecError(error) && error.code).toBe('MISMATCH')
    expect((error as Error).message).toMatch(/^checkpoint .* was trained on dataset [0-9a-f]{12} \(.*\) but .*shifted is dataset [0-9a-f]{12}: its score there would not measure it$/)
    const report = await runEval({...options, allowMismatch: true})
    expect(report.warnings.join('\n')).toMatch(/FINGERPRINT MISMATCH: checkpoint .* was trained on dataset [0-9a-f]{12}/)
  })

  it('refuses K above the catalogue before reading the tables', async () => {
    const error = await runEval({dataset: datasetDir, models: [{kind: 'baseline', name: 'popular'}], split: 'test', ks: [31], protocol: {kind: 'full'}}).catch((e: unknown) => e)
    expect(isRecError(error) && error.code).toBe('INVALID_ARGUMENT')
    expect((error as Error).message).toContain('K=31 is larger than the catalogue of 30 items')
  })
})
