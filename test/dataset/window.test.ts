// windowDataset: from <= ts < until exactly, quantile bounds, a fresh split, follows cut at until, byte-identical reruns.
import {mkdirSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {beforeAll, describe, expect, it} from 'vitest'

import {CheckpointManifestSchema} from '../../src/lib/checkpoint/manifest.js'
import {dictValues, getColumn} from '../../src/lib/dataset/columns.js'
import type {DatasetManifest} from '../../src/lib/dataset/manifest.js'
import {resplitDataset} from '../../src/lib/dataset/resplit.js'
import {readDataset} from '../../src/lib/dataset/store.js'
import {windowDataset} from '../../src/lib/dataset/window.js'
import {parseTimeBound} from '../../src/lib/dataset/window-bounds.js'
import {checkRetrievalWindow} from '../../src/lib/training/ranking/retrieval-window.js'
import {tempDir} from '../helpers/cli.js'
import {FOLLOW_TS, LOG_SIZE, writeLog} from './window-fixtures.js'

const from = (text: string) => parseTimeBound(text, '--from')
const until = (text: string) => parseTimeBound(text, '--until')

let dir: string
let log: string
let out = 0
const next = () => join(dir, `out-${out++}`)

beforeAll(async () => {
  dir = tempDir('rec-window-')
  log = await writeLog(dir)
})

async function columns(path: string) {
  const dataset = await readDataset(path)
  return {
    dataset,
    ts: Array.from(getColumn(dataset.interactions, 'ts', 'timestamp_ms').values),
    split: dictValues(getColumn(dataset.interactions, 'split', 'dict')),
    follows: Array.from(getColumn(dataset.follows!, 'ts', 'timestamp_ms').values),
  }
}

describe('windowDataset', () => {
  it('keeps from <= ts < until, every user and item, and follows before until; records the window', async () => {
    const source = await readDataset(log)
    const path = next()
    const result = await windowDataset(log, {from: from('6000'), until: until('1970-01-01T00:00:18Z'), out: path})
    const {dataset, ts, follows} = await columns(path)
    expect(ts).toEqual(Array.from({length: 12}, (_, i) => 6000 + 1000 * i)) // 6000 in, 18000 out
    expect(follows).toEqual(FOLLOW_TS.filter((t) => t < 18_000)) // earlier follows still hold in the window
    expect(dataset.users).toEqual(source.users)
    expect(dataset.items).toEqual(source.items)
    expect(dataset.manifest.window).toEqual({source: {name: 'log', fingerprint: source.manifest.fingerprint}, from: '6000', fromMs: 6000, until: '1970-01-01T00:00:18Z', untilMs: 18_000})
    expect(result).toMatchObject({fromMs: 6000, untilMs: 18_000, interactions: {kept: 12, total: LOG_SIZE}, follows: {kept: 4, total: FOLLOW_TS.length}})
    expect(result.manifest).toEqual(dataset.manifest)
  })

  it('resolves quantiles against the interaction times; q0.5 cuts the log into two halves sharing nothing', async () => {
    const byTime = await windowDataset(log, {from: from('6000'), until: until('18000'), out: next()})
    const byQuantile = await windowDataset(log, {from: from('q0.25'), until: until('q0.75'), out: next()})
    expect(byQuantile).toMatchObject({fromMs: 6000, untilMs: 18_000})
    expect(byQuantile.manifest.fingerprint).toBe(byTime.manifest.fingerprint) // same tables; only the recorded bound text differs
    await windowDataset(log, {until: until('q0.5'), out: join(dir, 'early')})
    await windowDataset(log, {from: from('q0.5'), out: join(dir, 'late')})
    const [early, late] = [await columns(join(dir, 'early')), await columns(join(dir, 'late'))]
    expect([...early.ts, ...late.ts]).toEqual(Array.from({length: LOG_SIZE}, (_, i) => 1000 * i))
    expect(early.ts.at(-1)).toBe(11_000)
    // q1 lies past the last interaction: an open end, recorded as the text alone.
    const all = await windowDataset(log, {until: until('q1'), out: next()})
    expect(all.interactions.kept).toBe(LOG_SIZE)
    expect(all.untilMs).toBeUndefined()
    expect(all.manifest.window).toEqual({source: {name: 'log', fingerprint: expect.any(String)}, until: 'q1'})
  })

  it('re-splits the window: the source\'s method by default, or the one asked for', async () => {
    // 12 rows, 3 per user: leave-last-out puts each user's rows in train, val, test.
    const path = next()
    const llo = await windowDataset(log, {from: from('6000'), until: until('18000'), out: path})
    expect(llo.manifest.split).toEqual({method: 'leave-last-out'})
    expect((await columns(path)).split).toEqual([...Array(4).fill('train'), ...Array(4).fill('val'), ...Array(4).fill('test')])
    const tg = await windowDataset(log, {from: from('6000'), until: until('18000'), split: {method: 'temporal-global', valFrac: 0.25, testFrac: 0.25}, out: next()})
    expect(tg.manifest.split).toEqual({method: 'temporal-global', valFrac: 0.25, testFrac: 0.25, valStartMs: 12_000, testStartMs: 15_000})
    expect(tg.manifest.counts).toMatchObject({interactions: 12, train: 6, val: 3, test: 3, follows: 4})
    // A temporal-global source hands its fractions on.
    const tgLog = await writeLog(dir, {method: 'temporal-global', valFrac: 0.25, testFrac: 0.25}, 'tg-log')
    const inherited = await windowDataset(tgLog, {until: until('16000'), out: next()})
    expect(inherited.manifest.split).toEqual({method: 'temporal-global', valFrac: 0.25, testFrac: 0.25, valStartMs: 8000, testStartMs: 12_000})
  })

  it('writes the same bytes twice, and rec data split of a window keeps its window', async () => {
    const [a, b] = [next(), next()]
    await windowDataset(log, {from: from('q0.1'), until: until('q0.9'), out: a})
    await windowDataset(log, {from: from('q0.1'), until: until('q0.9'), out: b})
    const files = readdirSync(a).sort()
    expect(files).toEqual(['dataset.json', 'follows.parquet', 'interactions.parquet', 'items.parquet', 'users.parquet'])
    for (const file of files) expect(readFileSync(join(b, file)), file).toEqual(readFileSync(join(a, file)))
    const resplit = await resplitDataset(a, {method: 'temporal-global', valFrac: 0.2, testFrac: 0.2}, {out: next()})
    expect(resplit.window).toEqual((await readDataset(a)).manifest.window)
  })

  it('refuses from >= until, an empty window, a split left empty, a missing dataset and an existing --out', async () => {
    await expect(windowDataset(log, {from: from('q0.5'), until: until('q0.5'), out: next()})).rejects.toMatchObject({code: 'INVALID_ARGUMENT', message: expect.stringMatching(/--from q0.5 is not before --until q0.5/)})
    // Mixed kinds are compared once the quantile is resolved: q0.5 is 12000.
    await expect(windowDataset(log, {from: from('q0.5'), until: until('12000'), out: next()})).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/--from q0.5 \(1970-01-01T00:00:12.000Z\) is not before --until 12000 \(1970-01-01T00:00:12.000Z\)/),
    })
    await expect(windowDataset(log, {from: from('q1'), until: until('2030-01-01'), out: next()})).rejects.toThrow(/--from q1 \(\+inf\) is not before --until 2030-01-01/)
    await expect(windowDataset(log, {from: from('2030-01-01'), out: next()})).rejects.toMatchObject({code: 'EMPTY', message: expect.stringMatching(/no interactions of .* fall in the window 2030-01-01T00:00:00.000Z <= ts < \+inf: its 24 interactions span 1970-01-01T00:00:00.000Z .. 1970-01-01T00:00:23.000Z/)})
    await expect(windowDataset(log, {until: until('0'), out: next()})).rejects.toMatchObject({code: 'EMPTY'})
    // 8 rows, 2 per user: leave-last-out has no val or test rows to give.
    await expect(windowDataset(log, {until: until('8000'), out: next()})).rejects.toMatchObject({code: 'EMPTY', message: expect.stringMatching(/the window \[start, 8000\) of .* leaves the val split empty \(8 interactions: train 8, val 0, test 0\)/), hint: expect.stringMatching(/3 or more/)})
    await expect(windowDataset(join(dir, 'none'), {until: until('q0.5'), out: next()})).rejects.toMatchObject({code: 'NOT_FOUND'})
    await expect(windowDataset(log, {until: until('q0.5'), out: log})).rejects.toThrow(/is the input dataset/)
    const taken = next()
    mkdirSync(taken)
    await expect(windowDataset(log, {until: until('q0.5'), out: taken})).rejects.toMatchObject({code: 'ALREADY_EXISTS'})
    expect((await windowDataset(log, {until: until('q0.5'), out: taken, force: true})).interactions.kept).toBe(12)
  })

  it('gives windows that pass the ranker\'s retrieval-window check: early fits before late\'s train split', async () => {
    const early = join(dir, 'check-early')
    const late = join(dir, 'check-late')
    await windowDataset(log, {until: until('q0.5'), out: early})
    await windowDataset(log, {from: from('q0.5'), out: late})
    const fittedOn = (path: string, manifest: DatasetManifest) =>
      CheckpointManifestSchema.parse({
        format: 'rec-checkpoint/1', kind: 'retrieval', arch: 'two-tower', config: {}, backend: 'cpu',
        dataset: {path, name: manifest.name, fingerprint: manifest.fingerprint},
        vocabFingerprint: '', metrics: {}, history: [], bestEpoch: 0, seed: 0, recVersion: '0', createdAt: '',
      })
    const lateData = await readDataset(late)
    const earlyManifest = (await readDataset(early)).manifest
    await expect(checkRetrievalWindow('ckpt/early', fittedOn(early, earlyManifest), lateData, late)).resolves.toBeUndefined()
    // The control: a model fitted on the whole log has seen the late window's train split.
    await expect(checkRetrievalWindow('ckpt/all', fittedOn(log, (await readDataset(log)).manifest), lateData, late)).rejects.toMatchObject({code: 'INVALID_ARGUMENT', message: expect.stringMatching(/after .* train split starts/)})
  })
})
