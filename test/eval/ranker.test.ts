// Two-stage evaluation: retrieval's top candidates re-ranked by a ranking checkpoint, and the ranker's heads as classifiers.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {readCheckpointManifest} from '../../src/lib/checkpoint/checkpoint-io.js'
import {readDataset} from '../../src/lib/dataset/store.js'
import {initBackend} from '../../src/lib/engine/backend.js'
import {loadCheckpointModel} from '../../src/lib/eval/checkpoint-model.js'
import {buildEvalContext} from '../../src/lib/eval/eval-context.js'
import {evaluateModel} from '../../src/lib/eval/evaluate-model.js'
import {checkpointRule} from '../../src/lib/eval/positive-rule.js'
import {loadEvalRanker} from '../../src/lib/eval/ranker-checkpoint.js'
import {createRankerStage} from '../../src/lib/eval/ranker-stage.js'
import {type EvalReport, EvalReportSchema} from '../../src/lib/eval/report-schema.js'
import {runEval} from '../../src/lib/eval/run-eval.js'
import {isRecError} from '../../src/lib/errors.js'
import {readItemColumns} from '../../src/lib/features/cross/item-columns.js'
import {disposeRanker} from '../../src/lib/models/ranker/model.js'
import {RankingConfigSchema} from '../../src/lib/models/ranker/config.js'
import {createRankingScorer} from '../../src/lib/models/ranker/scorer.js'
import {requestTimes} from '../../src/lib/models/ranker/rerank-candidates.js'
import {RetrievalConfigSchema} from '../../src/lib/models/two-tower/config.js'
import {silentReporter} from '../../src/lib/reporter.js'
import {trainRanking} from '../../src/lib/training/ranking/train-ranking.js'
import {trainRetrieval} from '../../src/lib/training/train-retrieval.js'
import {runCli, tempDir} from '../helpers/cli.js'
import {writeWorld as writeFeedWorld} from '../ranking/fixtures.js'
import {randomWorld, writeWorld} from './fixtures.js'

let root: string
let world: string
let retrieval: string
let ranker: string
let report: EvalReport

beforeAll(async () => {
  await initBackend('wasm')
  root = tempDir('rec-eval-ranker-')
  // A gen-data feed: impressions with responses (8 heads), items with creation times.
  world = await writeFeedWorld(root, {users: 80, items: 300, interactions: 6000})
  retrieval = join(root, 'retrieval')
  await trainRetrieval({dataset: world, out: retrieval, config: RetrievalConfigSchema.parse({dim: 16, epochs: 1, 'batch-size': 128, ks: [10], backend: 'wasm'})})
  ranker = join(root, 'ranker')
  // Embeddings initialised from retrieval; no retrieval_score feature (test/ranking/retrieval-init.test.ts covers a stage feeding it).
  await trainRanking({dataset: world, out: ranker, config: RankingConfigSchema.parse({dim: 16, epochs: 1, 'batch-size': 256, safety: false, backend: 'wasm', 'init-from-retrieval': retrieval})})
  report = await runEval({dataset: world, models: [{kind: 'checkpoint', path: retrieval}], split: 'test', ks: [5, 20], protocol: {kind: 'full'}, ranker: {path: ranker, candidates: 40}, resamples: 200})
}, 120_000)

describe('rec eval --ranker', () => {
  it('reports retrieval > ranker as a row of its own, scored by the same code, with its ceiling and paired delta', async () => {
    const parsed = EvalReportSchema.parse(JSON.parse(JSON.stringify(report)))
    expect(parsed.models.map((m) => m.label)).toEqual(['retrieval', 'retrieval > ranker'])
    const [parent, stage] = parsed.models
    expect(stage).toMatchObject({kind: 'stage', parent: parent.key})
    const metrics = parsed.metrics[stage.key]
    expect(Object.keys(metrics).sort()).toEqual(Object.keys(parsed.metrics[parent.key]).sort())
    for (const value of Object.values(metrics)) expect(Number.isFinite(value)).toBe(true)
    expect(metrics['recall@20']).toBeGreaterThan(0)

    const info = stage.stage!
    expect(info.depth).toBe(80)
    expect(info.candidates!.depth).toBe(40)
    expect(info.candidates!.meanPerUser).toBeGreaterThan(20)
    expect(info.candidates!.meanPerUser).toBeLessThanOrEqual(40)
    // No order of the candidates recalls more than all of them.
    expect(metrics['recall@20']).toBeLessThanOrEqual(info.candidateRecall! + 1e-9)
    expect(Object.keys(info.delta)).toEqual(['ndcg@5', 'recall@5'])
    expect(info.delta['ndcg@5'].meanA).toBeCloseTo(parsed.metrics[parent.key]['ndcg@5'], 5)
    expect(info.delta['ndcg@5'].meanB).toBeCloseTo(metrics['ndcg@5'], 5)
    expect(info.delta['ndcg@5'].ciLow).toBeLessThanOrEqual(info.delta['ndcg@5'].ciHigh)

    // One model and its stage: the comparison is the stage against retrieval alone.
    expect(parsed.comparison).toMatchObject({a: parent.key, b: stage.key})
    expect(parsed.comparison!.metrics['recall@20'].delta).toBeCloseTo(metrics['recall@20'] - parsed.metrics[parent.key]['recall@20'], 6)
    expect(parsed.protocol.stages).toEqual([{id: 'ranker', depth: 80, description: expect.stringContaining('top 40 candidates')}])
    expect(parsed.protocol.line).toMatch(/FULL RANKING .* \| STAGE 2: ranker re-ranks each user's top 40 candidates \(created before the request\) by its fused score/)
  })

  it('leaves retrieval\'s own metrics exactly as without the ranker (its lists are only read deeper)', async () => {
    const alone = await runEval({dataset: world, models: [{kind: 'checkpoint', path: retrieval}], split: 'test', ks: [5, 20], protocol: {kind: 'full'}})
    expect(report.metrics[report.models[0].key]).toEqual(alone.metrics[alone.models[0].key])
    expect(report.segments.models[report.models[0].key]).toEqual(alone.segments.models[alone.models[0].key])
  })

  it('scores every head on the test split\'s labelled pairs, each metric in range', () => {
    const {heads} = report.ranker!
    expect(heads.split).toBe('test')
    expect(heads.examples).toBeGreaterThan(100)
    expect(heads.labelling).toMatch(/^impressions:/)
    expect(Object.keys(heads.metrics)).toContain('click')
    for (const [name, m] of Object.entries(heads.metrics)) {
      expect(m.auc, name).toBeGreaterThanOrEqual(0)
      expect(m.auc, name).toBeLessThanOrEqual(1)
      expect(m.prAuc, name).toBeGreaterThan(0)
      expect(m.prAuc, name).toBeLessThanOrEqual(1)
      expect(m.logloss, name).toBeGreaterThan(0)
      expect(m.rce, name).toBeLessThan(100)
      expect(m.ece, name).toBeGreaterThanOrEqual(0)
      expect(m.ece, name).toBeLessThanOrEqual(1)
      expect(m.baseRate, name).toBeGreaterThan(0)
      expect(m.baseRate, name).toBeLessThan(1)
    }
    expect(report.ranker).toMatchObject({candidates: 40, statsSplits: ['train', 'val'], retrievalScore: null})
    expect(report.ranker!.heads.mean.auc).toBeGreaterThan(0.5)
  })

  it('re-ranks only retrieval candidates that exist at the request time, never history items', async () => {
    const dataset = await readDataset(world)
    const ctx = buildEvalContext(world, dataset, 'test', checkpointRule(await readCheckpointManifest(retrieval), dataset.manifest))
    const parent = await loadCheckpointModel(retrieval, await readCheckpointManifest(retrieval), ctx)
    const loaded = await loadEvalRanker(ranker, await readCheckpointManifest(ranker), ctx)
    const stage = createRankerStage(loaded, ctx, 30)
    const evaluation = await evaluateModel(parent.provider, ctx, [5, 20], {kind: 'full'}, 1, silentReporter, stage.depth)
    const deep = evaluation.deep!
    expect(deep.listK).toBe(60)
    const output = await stage.apply({ranked: deep, scores: parent.provider, context: ctx})
    stage.dispose()
    const scorer = createRankingScorer(loaded.loaded)
    const retrievalRow = new Float32Array(parent.provider.nItems)
    const created = readItemColumns(dataset.items, dataset.manifest.features.items, ctx.items, ctx.users).createdAt!
    const times = requestTimes(dataset.interactions, ctx.users, 'test')
    const {history} = ctx.task
    let reordered = 0
    for (let i = 0; i < ctx.task.users.length; i++) {
      const u = ctx.task.users[i]
      const retrieved = Array.from(deep.lists.subarray(i * 60, (i + 1) * 60)).filter((item) => item >= 0)
      const live = retrieved.filter((item) => !(created[item] > times[u])).slice(0, 30)
      const list = Array.from(output.lists.subarray(i * 60, (i + 1) * 60))
      const kept = list.filter((item) => item >= 0)
      // The first entries hold exactly the live candidates (a permutation), -1 after them.
      expect(new Set(kept)).toEqual(new Set(live))
      expect(kept.length).toBe(live.length)
      expect(list.slice(kept.length).every((item) => item === -1)).toBe(true)
      const seen = new Set(history.items.subarray(history.offsets[u], history.offsets[u + 1]))
      for (const item of kept) expect(seen.has(item), `history item ${item} re-ranked for user row ${u}`).toBe(false)
      if (kept.some((item, j) => item !== live[j])) reordered++
      // Best first by the ranker's fused score at the request time, fed the parent's retrieval scores.
      parent.provider.scoreBlock(Int32Array.of(i), retrievalRow)
      const itemIds = BigInt64Array.from(kept, (item) => ctx.items.id(item)!)
      const {fused} = scorer.scoreIds({userId: ctx.users.id(u)!, itemIds, ts: times[u], retrieval: Float32Array.from(kept, (item) => retrievalRow[item])})
      for (let j = 1; j < fused.length; j++) expect(fused[j]).toBeLessThanOrEqual(fused[j - 1])
    }
    expect(reordered).toBeGreaterThan(0)
    scorer.dispose()
    disposeRanker(loaded.loaded.model)
  })

  it('repeats on val the per-head metrics training recorded (same examples, same statistics)', async () => {
    const val = await runEval({dataset: world, models: [{kind: 'checkpoint', path: retrieval}], split: 'val', ks: [5], protocol: {kind: 'full'}, ranker: {path: ranker, candidates: 10}, resamples: 50})
    const recorded = JSON.parse(readFileSync(join(ranker, 'manifest.json'), 'utf8')) as {metrics: Record<string, number>}
    const heads = val.ranker!.heads
    expect(heads.metrics.click).toBeDefined()
    for (const [name, m] of Object.entries(heads.metrics)) {
      expect(m.auc, name).toBeCloseTo(recorded.metrics[`val.auc/${name}`], 5)
      expect(m.rce, name).toBeCloseTo(recorded.metrics[`val.rce/${name}`], 3)
      expect(m.logloss, name).toBeCloseTo(recorded.metrics[`val.logloss/${name}`], 5)
    }
    expect(val.ranker!.statsSplits).toEqual(['train'])
  })
})

/** Exit 2, one line on stderr, nothing on stdout. */
function expectOneLineError(args: string[], pattern: RegExp): void {
  const result = runCli(args)
  expect(result.code, result.stderr).toBe(2)
  const lines = result.stderr.trim().split('\n')
  expect(lines, result.stderr).toHaveLength(1)
  expect(lines[0]).toMatch(pattern)
  expect(result.stdout).toBe('')
}

describe('rec eval --ranker through the CLI', () => {
  it('prints the stage row and the head table, and writes them into --json and report.html', () => {
    const out = join(root, 'report')
    const result = runCli(['eval', '--dataset', world, '--ckpt', retrieval, '--ranker', ranker, '--candidates', '30', '--k', '5,10', '--resamples', '100', '--json', '--out', out])
    expect(result.code, result.stderr).toBe(0)
    const parsed = EvalReportSchema.parse(JSON.parse(result.stdout))
    expect(parsed.models.map((m) => m.label)).toEqual(['retrieval', 'retrieval > ranker'])
    expect(result.stderr).toMatch(/^retrieval > ranker /m)
    expect(result.stderr).toMatch(/re-ranks the top 30 per user .* candidate recall@30 \d\.\d{4} \(the ceiling\)/)
    expect(result.stderr).toMatch(/vs parent: ndcg@5 [+-]\d/)
    expect(result.stderr).toMatch(/head +examples +base rate +AUC +PR-AUC +logloss +RCE +ECE/)
    const html = readFileSync(join(out, 'report.html'), 'utf8')
    expect(html).toContain('<h2>Ranker</h2>')
    expect(html).toMatch(/<table data-table="ranker-heads">.*<td>click<\/td>/)
  })

  it('refuses bad input with one line and exit 2', () => {
    expectOneLineError(['eval', '--dataset', world, '--ckpt', retrieval, '--ranker', retrieval], /--ranker .*retrieval is a retrieval checkpoint; the second stage needs one written by rec train ranking/)
    expectOneLineError(['eval', '--dataset', world, '--ckpt', ranker], /ranker is a ranking checkpoint; .*pass a retrieval checkpoint as --ckpt and .* as --ranker/)
    expectOneLineError(['eval', '--dataset', world, '--ckpt', retrieval, '--ranker', ranker, '--candidates', '50'], /--candidates 50 is smaller than K=100/)
    expectOneLineError(['eval', '--dataset', world, '--ckpt', retrieval, '--candidates', '50'], /--ranker/)
  })
})

describe('rec eval --ranker bad input to the library', () => {
  it('refuses --ranker with the sampled protocol or a baseline, before reading the tables', async () => {
    const refused = (options: Partial<Parameters<typeof runEval>[0]>) =>
      runEval({dataset: world, models: [{kind: 'checkpoint', path: retrieval}], split: 'test', protocol: {kind: 'full'}, ranker: {path: ranker, candidates: 200}, ...options}).catch((e: unknown) => e)
    const sampled = await refused({protocol: {kind: 'sampled', negatives: 50}, ks: [10]})
    expect(isRecError(sampled) && sampled.code).toBe('INVALID_ARGUMENT')
    expect((sampled as Error).message).toMatch(/--ranker re-ranks full-ranking lists, and --protocol sampled:50 has none/)
    const baseline = await refused({models: [{kind: 'checkpoint', path: retrieval}, {kind: 'baseline', name: 'popular'}]})
    expect(isRecError(baseline) && baseline.code).toBe('INVALID_ARGUMENT')
    expect((baseline as Error).message).toMatch(/--ranker re-ranks a retrieval checkpoint's candidates, and model:popular is a baseline/)
  })

  it('refuses a ranker whose user or item ids are not the dataset\'s, naming both fingerprints', async () => {
    const other = await writeWorld(join(root, 'other'), randomWorld(4))
    const dataset = await readDataset(other)
    const ctx = buildEvalContext(other, dataset, 'test', {events: {click: 1}})
    const error = await loadEvalRanker(ranker, await readCheckpointManifest(ranker), ctx).catch((e: unknown) => e)
    expect(isRecError(error) && error.code).toBe('MISMATCH')
    expect((error as Error).message).toMatch(/ranking checkpoint .*ranker \(vocabulary [0-9a-f]{12}, trained on dataset [0-9a-f]{12}\) does not fit .*other \(dataset [0-9a-f]{12}\): their user ids differ \(80 in the checkpoint, 40 in the dataset\)/)
  })
})
