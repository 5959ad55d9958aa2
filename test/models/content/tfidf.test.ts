// TF-IDF against a hand-computed example: idf, sublinear tf, l2 norm, min/max df, the feature cap, tokens, decayed profiles.
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {toDict} from '../../../src/lib/dataset/columns.js'
import {type Dataset, readDataset, writeDataset} from '../../../src/lib/dataset/store.js'
import {type ContentConfig, ContentConfigSchema} from '../../../src/lib/models/content/config.js'
import {fitContent} from '../../../src/lib/models/content/fit.js'
import {ProfileBuilder} from '../../../src/lib/models/content/profile.js'
import {pushWords} from '../../../src/lib/models/content/tokenize.js'
import {tempDir} from '../../helpers/cli.js'

// N = 4 items. "fruit" is in all 4 (df 4 > 0.8 x 4: dropped), "date" and genre=y in 1 (< min-df 2: dropped).
const TITLES = ['Apple banana apple fruit', 'banana cherry fruit', 'cherry date fruit', 'apple cherry cherry cherry fruit']
const GENRES = ['x', 'x', 'y', 'x']
const IDS = [10n, 11n, 12n, 13n]

let dataset: Dataset
let dir: string

beforeAll(async () => {
  dir = join(tempDir('rec-tfidf-'), 'items')
  await writeDataset(dir, {
    name: 'tfidf',
    source: {kind: 'generator', params: {}},
    split: {method: 'leave-last-out'},
    users: {user_id: {type: 'int64', values: BigInt64Array.of(1n)}},
    items: {item_id: {type: 'int64', values: BigInt64Array.from(IDS)}, title: {type: 'utf8', values: TITLES}, genre: toDict(GENRES)},
    interactions: {
      user_id: {type: 'int64', values: new BigInt64Array(0)},
      item_id: {type: 'int64', values: new BigInt64Array(0)},
      ts: {type: 'timestamp_ms', values: new Float64Array(0)},
      event: toDict([]),
      weight: {type: 'float32', values: new Float32Array(0)},
      split: toDict([], ['train', 'val', 'test']),
    },
    positives: {click: 1},
  })
  dataset = await readDataset(dir)
})

const config = (overrides: Partial<ContentConfig> = {}): ContentConfig =>
  ContentConfigSchema.parse({'text-columns': ['title'], 'token-columns': ['genre'], 'stop-words': 'none', 'min-df': 2, 'max-df': 0.8, ...overrides})

/** Item `id`'s vector as {term: value}. */
function vectorOf(fitted: ReturnType<typeof fitContent>, id: bigint): Record<string, number> {
  const {model} = fitted
  const row = model.items.row(id)
  const out: Record<string, number> = {}
  for (let e = model.rows.offsets[row]; e < model.rows.offsets[row + 1]; e++) out[model.vocab.terms[model.rows.terms[e] - 1]] = model.rows.values[e]
  return out
}

const unit = (v: Record<string, number>) => {
  const norm = Math.sqrt(Object.values(v).reduce((s, x) => s + x * x, 0))
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x / norm]))
}

function expectVector(actual: Record<string, number>, expected: Record<string, number>): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort())
  for (const [term, value] of Object.entries(expected)) expect(actual[term]).toBeCloseTo(value, 6)
}

describe('TF-IDF item vectors', () => {
  // idf = ln((1 + N) / (1 + df)) + 1 with N = 4
  const idf2 = Math.log(5 / 3) + 1 // 1.5108...
  const idf3 = Math.log(5 / 4) + 1 // 1.2231...

  it('keeps terms within min/max df, sorted, with smooth idf', () => {
    const fitted = fitContent(dataset, dir, config())
    expect(fitted.model.vocab.terms).toEqual(['apple', 'banana', 'cherry', 'genre=x'])
    expect(Array.from(fitted.model.vocab.df)).toEqual([0, 2, 2, 3, 3])
    expect(fitted.model.vocab.idf[1]).toBeCloseTo(1.5108256, 6)
    expect(fitted.model.vocab.idf[3]).toBeCloseTo(idf3, 6)
    expect(fitted.rawTerms).toBe(7) // apple banana fruit cherry date genre=x genre=y
  })

  it('weighs terms by sublinear tf x idf and normalises each item to length 1', () => {
    const fitted = fitContent(dataset, dir, config())
    // item 10: apple x2 -> 1 + ln 2, banana x1, genre=x x1
    expectVector(vectorOf(fitted, 10n), unit({apple: (1 + Math.log(2)) * idf2, banana: idf2, 'genre=x': idf3}))
    expectVector(vectorOf(fitted, 12n), unit({cherry: idf3})) // date, fruit and genre=y dropped
    expectVector(vectorOf(fitted, 13n), unit({apple: idf2, cherry: (1 + Math.log(3)) * idf3, 'genre=x': idf3}))
    // row 0 (out of vocabulary) is empty
    expect(fitted.model.rows.offsets[1]).toBe(0)
  })

  it('uses raw counts without sublinear tf, and min-df 1 keeps single-item terms', () => {
    const raw = fitContent(dataset, dir, config({'sublinear-tf': false}))
    expectVector(vectorOf(raw, 13n), unit({apple: idf2, cherry: 3 * idf3, 'genre=x': idf3}))
    const all = fitContent(dataset, dir, config({'min-df': 1, 'max-df': 1}))
    expect(all.model.vocab.terms).toEqual(['apple', 'banana', 'cherry', 'date', 'fruit', 'genre=x', 'genre=y'])
    const idf1 = Math.log(5 / 2) + 1
    const idf4 = Math.log(5 / 5) + 1 // a term in every item still weighs 1
    expectVector(vectorOf(all, 12n), unit({cherry: idf3, date: idf1, fruit: idf4, 'genre=y': idf1}))
  })

  it('caps the vocabulary at max-features by document frequency, ties by term', () => {
    const capped = fitContent(dataset, dir, config({'max-features': 2}))
    expect(capped.model.vocab.terms).toEqual(['cherry', 'genre=x'])
    expect(capped.emptyItems).toBe(0)
    const one = fitContent(dataset, dir, config({'max-features': 1}))
    expect(one.model.vocab.terms).toEqual(['cherry'])
    expect(one.emptyItems).toBe(1) // item 10 has no cherry
  })

  it('multiplies a column by its weight before tf', () => {
    const weighted = fitContent(dataset, dir, config({'column-weights': {genre: 2}}))
    expectVector(vectorOf(weighted, 10n), unit({apple: (1 + Math.log(2)) * idf2, banana: idf2, 'genre=x': (1 + Math.log(2)) * idf3}))
  })
})

describe('tokenising and profiles', () => {
  it('folds case and accents, splits at non-letters, drops stop words and single letters', () => {
    const out: string[] = []
    pushWords("Café au lait: the BEST (1995) a-b l'été", new Set(['the']), out)
    expect(out).toEqual(['cafe', 'au', 'lait', 'best', '1995', 'ete'])
  })

  it('sums the vectors of the positives, halving per half-life before the newest, then normalises', () => {
    const fitted = fitContent(dataset, dir, config({'half-life-days': 1}))
    const {model} = fitted
    const builder = new ProfileBuilder(model)
    const day = 86_400_000
    const a = model.items.row(10n)
    const c = model.items.row(12n)
    // item 12 a day before item 10, weight 2: 2 x 0.5 x v12 + 1 x v10
    const p = builder.build({items: [c, a, 0], ts: [0, day, 5 * day], weights: [2, 1, 1]})
    const v10 = vectorOf(fitted, 10n)
    const v12 = vectorOf(fitted, 12n)
    // the OOV row 0 adds nothing, but its time is the newest: 10 and 12 decay from day 5
    const w12 = 2 * 0.5 ** 5
    const w10 = 0.5 ** 4
    const expected = unit({apple: w10 * v10.apple, banana: w10 * v10.banana, 'genre=x': w10 * v10['genre=x'], cherry: w12 * v12.cherry})
    const actual: Record<string, number> = {}
    for (let k = 0; k < p.n; k++) actual[model.vocab.terms[p.terms[k] - 1]] = p.values[k]
    expectVector(actual, expected)
    for (let k = 1; k < p.n; k++) expect(p.terms[k]).toBeGreaterThan(p.terms[k - 1])
    // the builder is reused: an empty history is the zero vector
    expect(builder.build({items: []}).n).toBe(0)
  })
})
