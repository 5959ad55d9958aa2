// resplitDataset: a new split column and fingerprint, same tables and specs, extra files kept, atomic in place.
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {dictValues, getColumn} from '../../src/lib/dataset/columns.js'
import {resplitDataset} from '../../src/lib/dataset/resplit.js'
import {readDataset, writeDataset} from '../../src/lib/dataset/store.js'
import {tempDir} from '../helpers/cli.js'

/** 3 users x 4 interactions at distinct times; all in train to start with. */
async function writeBase(dir: string): Promise<string> {
  const out = join(dir, 'base')
  const n = 12
  await writeDataset(out, {
    name: 'base',
    source: {kind: 'generator', params: {}, seed: 3},
    split: {method: 'leave-last-out'},
    users: {user_id: {type: 'int64', values: BigInt64Array.from([1n, 2n, 3n])}, kind: {type: 'dict', codes: Int32Array.from([0, 1, 0]), dictionary: ['a', 'b']}},
    items: {item_id: {type: 'int64', values: BigInt64Array.from([7n, 8n])}, author_id: {type: 'int64', values: BigInt64Array.from([1n, 2n])}},
    interactions: {
      user_id: {type: 'int64', values: BigInt64Array.from({length: n}, (_, i) => BigInt(1 + (i % 3)))},
      item_id: {type: 'int64', values: BigInt64Array.from({length: n}, (_, i) => (i % 2 ? 7n : 8n))},
      ts: {type: 'timestamp_ms', values: Float64Array.from({length: n}, (_, i) => 1000 * i)},
      event: {type: 'dict', codes: new Int32Array(n), dictionary: ['click']},
      weight: {type: 'float32', values: new Float32Array(n).fill(1)},
      split: {type: 'dict', codes: new Int32Array(n), dictionary: ['train', 'val', 'test']},
    },
    featureOverrides: {items: {author_id: {kind: 'id'}}},
    positives: {click: 1},
    writeExtra: async (tmp) => {
      mkdirSync(join(tmp, 'truth'))
      writeFileSync(join(tmp, 'truth', 'topics.json'), '{"secret":1}\n')
    },
  })
  return out
}

describe('resplitDataset', () => {
  it('writes a leave-last-out split to --out with a new fingerprint and everything else kept', async () => {
    const dir = tempDir()
    const base = await writeBase(dir)
    const before = await readDataset(base)
    const out = join(dir, 'lllo')
    const manifest = await resplitDataset(base, {method: 'leave-last-out'}, {out})
    expect(manifest.fingerprint).not.toBe(before.manifest.fingerprint)
    expect(manifest.counts).toMatchObject({train: 6, val: 3, test: 3})
    expect(manifest.features).toEqual(before.manifest.features)
    expect(manifest.features.items.author_id).toEqual({kind: 'id'})
    expect(readFileSync(join(out, 'truth', 'topics.json'), 'utf8')).toBe('{"secret":1}\n')
    const after = await readDataset(out)
    expect(dictValues(getColumn(after.interactions, 'split', 'dict'))).toEqual([...Array(6).fill('train'), 'val', 'val', 'val', 'test', 'test', 'test'])
    expect(after.users).toEqual(before.users)
    // the input is untouched
    expect((await readDataset(base)).manifest.fingerprint).toBe(before.manifest.fingerprint)
  })

  it('replaces the dataset in place with a temporal-global split', async () => {
    const dir = tempDir()
    const base = await writeBase(dir)
    const manifest = await resplitDataset(base, {method: 'temporal-global', valFrac: 0.25, testFrac: 0.25}, {inPlace: true})
    expect(manifest.split).toEqual({method: 'temporal-global', valFrac: 0.25, testFrac: 0.25, valStartMs: 6000, testStartMs: 9000})
    expect((await readDataset(base)).manifest).toEqual(manifest)
    expect(existsSync(join(base, 'truth', 'topics.json'))).toBe(true)
    expect(readdirSync(dir)).toEqual(['base']) // no temp or old directory left
  })

  it('refuses ambiguous or clashing outputs before reading anything', async () => {
    const dir = tempDir()
    const base = await writeBase(dir)
    await expect(resplitDataset(base, {method: 'leave-last-out'}, {})).rejects.toThrow(/exactly one of --out DIR and --in-place/)
    await expect(resplitDataset(base, {method: 'leave-last-out'}, {out: join(dir, 'x'), inPlace: true})).rejects.toThrow(/exactly one/)
    await expect(resplitDataset(base, {method: 'leave-last-out'}, {out: base})).rejects.toThrow(/is the input dataset/)
    await expect(resplitDataset(join(dir, 'none'), {method: 'leave-last-out'}, {out: join(dir, 'y')})).rejects.toMatchObject({code: 'NOT_FOUND'})
    mkdirSync(join(dir, 'taken'))
    await expect(resplitDataset(base, {method: 'leave-last-out'}, {out: join(dir, 'taken')})).rejects.toMatchObject({code: 'ALREADY_EXISTS'})
  })

  it('refuses a split that leaves val or train empty, unless no val was asked for', async () => {
    const dir = tempDir()
    const base = await writeBase(dir)
    // 12 rows at distinct times: val 5% and test 10% both cut at row floor(12 * 0.9) = 10, so val gets none.
    await expect(resplitDataset(base, {method: 'temporal-global', valFrac: 0.05, testFrac: 0.1}, {out: join(dir, 'x')})).rejects.toMatchObject({
      code: 'EMPTY',
      message: expect.stringMatching(/re-splitting .* leaves the val split empty \(12 interactions: train 10, val 0, test 2\)/),
    })
    await expect(resplitDataset(base, {method: 'temporal-global', valFrac: 0.95, testFrac: 0.04}, {out: join(dir, 'y')})).rejects.toThrow(/leaves the train split empty/)
    expect((await resplitDataset(base, {method: 'temporal-global', valFrac: 0, testFrac: 0.1}, {out: join(dir, 'z')})).counts).toMatchObject({train: 10, val: 0, test: 2})
    expect(existsSync(join(dir, 'x'))).toBe(false)
  })
})
