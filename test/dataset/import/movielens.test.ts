// MovieLens importer on tiny fixtures in both layouts: tables, features, split, positives.
import {mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {dictValues, getColumn} from '../../../src/lib/dataset/columns.js'
import {importMovielens} from '../../../src/lib/dataset/import/movielens.js'
import {movieYear} from '../../../src/lib/dataset/import/movielens-items.js'
import {readDataset} from '../../../src/lib/dataset/store.js'
import {tempDir} from '../../helpers/cli.js'
import {ML100K, ML1M, writeMovielens} from './movielens-fixtures.js'

function source(files: Record<string, string>): string {
  const dir = join(tempDir(), 'ml')
  mkdirSync(dir)
  return writeMovielens(dir, files)
}

describe('importMovielens, 100K layout', () => {
  it('turns every rating into an interaction with features on users and items', async () => {
    const out = join(tempDir(), 'ds')
    const manifest = await importMovielens(source(ML100K), {out})
    expect(manifest.counts).toEqual({users: 3, items: 4, interactions: 9, follows: 0, train: 5, val: 2, test: 2})
    expect(manifest.source).toMatchObject({kind: 'movielens', params: {layout: '100k'}})
    expect(manifest.positives).toEqual({rating: 1})
    expect(manifest.events).toEqual(['rating'])
    expect(manifest.features.items).toEqual({title: {kind: 'text'}, year: {kind: 'numeric'}, genres: {kind: 'multi-categorical', vocabSize: 6}})
    expect(manifest.features.users).toEqual({age: {kind: 'numeric'}, gender: {kind: 'categorical', vocabSize: 2}, occupation: {kind: 'categorical', vocabSize: 3}})

    const ds = await readDataset(out)
    const it = ds.interactions
    expect(Array.from(getColumn(it, 'user_id', 'int64').values)).toEqual([1n, 2n, 1n, 3n, 1n, 2n, 2n, 1n, 3n])
    expect(Array.from(getColumn(it, 'weight', 'float32').values)).toEqual([5, 3, 4, 1, 2, 4, 5, 3, 4])
    expect(getColumn(it, 'ts', 'timestamp_ms').values[0]).toBe(881250949000)
    expect(dictValues(getColumn(it, 'event', 'dict'))).toEqual(Array(9).fill('rating'))
    // user 2 rated items 20 and 40 in the same second: file order breaks the tie, 40 is last -> test
    expect(dictValues(getColumn(it, 'split', 'dict'))).toEqual(['train', 'train', 'train', 'train', 'val', 'val', 'test', 'test', 'train'])

    const items = ds.items
    expect(getColumn(items, 'title', 'utf8').values).toEqual(['Toy Story (1995)', 'Misérables, Les (1995)', 'unknown', 'Land Before Time III (1995) (V)'])
    const year = getColumn(items, 'year', 'int32')
    expect(Array.from(year.nulls!)).toEqual([0, 0, 1, 0]) // "unknown" has neither a title year nor a date
    expect([year.values[0], year.values[1], year.values[3]]).toEqual([1995, 1995, 1995])
    expect(getColumn(items, 'genres', 'list_utf8').values).toEqual([['Animation', "Children's", 'Comedy'], ['Drama', 'War'], ['unknown'], ['Animation']])
    expect(Array.from(getColumn(ds.users, 'age', 'int32').values)).toEqual([24, 53, 23])
    expect(dictValues(getColumn(ds.users, 'occupation', 'dict'))).toEqual(['technician', 'other', 'writer'])
  })

  it('splits by global time cut-offs on request', async () => {
    const out = join(tempDir(), 'ds')
    const manifest = await importMovielens(source(ML100K), {out, split: {method: 'temporal-global', valFrac: 0.2, testFrac: 0.2}})
    // 9 ratings: cut-offs at sorted rows floor(9 * 0.6) = 5 and floor(9 * 0.8) = 7
    expect(manifest.split).toMatchObject({method: 'temporal-global', valStartMs: 881250990000, testStartMs: 881251000000})
    expect([manifest.counts.train, manifest.counts.val, manifest.counts.test]).toEqual([5, 2, 2])
  })
})

describe('importMovielens, 1M layout', () => {
  it('reads "::" files, genre lists and coded occupations', async () => {
    const out = join(tempDir(), 'ds')
    const manifest = await importMovielens(source(ML1M), {out})
    expect(manifest.name).toBe('movielens-1m')
    expect(manifest.counts).toMatchObject({users: 2, items: 3, interactions: 6, train: 2, val: 2, test: 2})
    const ds = await readDataset(out)
    expect(getColumn(ds.items, 'title', 'utf8').values[0]).toBe('Amélie (2001)')
    expect(Array.from(getColumn(ds.items, 'year', 'int32').values)).toEqual([2001, 1995, 1995])
    expect(getColumn(ds.items, 'genres', 'list_utf8').values[1]).toEqual(['Animation', "Children's", 'Comedy'])
    expect(Array.from(getColumn(ds.users, 'age', 'int32').values)).toEqual([1, 56])
    expect(dictValues(getColumn(ds.users, 'gender', 'dict'))).toEqual(['F', 'M'])
    expect(dictValues(getColumn(ds.users, 'occupation', 'dict'))).toEqual(['K-12 student', 'self-employed'])
  })

  it('imports without users.dat (as in 10M), adding feature-less users', async () => {
    const {'users.dat': _, ...noUsers} = ML1M
    const out = join(tempDir(), 'ds')
    const warnings: string[] = []
    const reporter = {info() {}, warn: (m: string) => warnings.push(m), progress: () => ({tick() {}, stop() {}})}
    const manifest = await importMovielens(source(noUsers), {out, reporter})
    expect(warnings).toEqual([expect.stringMatching(/no users\.dat/)])
    expect(manifest.counts.users).toBe(2)
    expect(Object.keys((await readDataset(out)).users)).toEqual(['user_id'])
  })
})

describe('movieYear', () => {
  it('takes the last (YYYY) of the title, else the release date', () => {
    expect(movieYear('Scream of Stone (Schrei aus Stein) (1991)')).toBe(1991)
    expect(movieYear('Land Before Time III (1995) (V)')).toBe(1995)
    expect(movieYear('Some Film', '01-Jan-1997')).toBe(1997)
    expect(movieYear('unknown', '')).toBeUndefined()
  })
})
