// generateDataset end to end: a readable dataset directory with truth/, byte-identical for a seed.
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, readdirSync, readFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {describe, expect, it} from 'vitest'

import {getColumn} from '../../../src/lib/dataset/columns.js'
import {readParquetFile} from '../../../src/lib/dataset/parquet.js'
import {readDataset} from '../../../src/lib/dataset/store.js'
import {generateDataset, generateWorld} from '../../../src/lib/dataset/synthetic/generate.js'
import {readTruth} from '../../../src/lib/dataset/synthetic/read-truth.js'
import {TRUTH_FILES} from '../../../src/lib/dataset/synthetic/truth.js'
import {RecError} from '../../../src/lib/errors.js'
import {tempDir} from '../../helpers/cli.js'

const TINY = {users: 80, items: 800, interactions: 4000, topics: 6}

/** sha256 of every file under dir, by relative path. */
function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (d: string) => {
    for (const entry of readdirSync(d, {withFileTypes: true})) {
      const path = join(d, entry.name)
      if (entry.isDirectory()) walk(path)
      else out[relative(dir, path)] = createHash('sha256').update(readFileSync(path)).digest('hex')
    }
  }
  walk(dir)
  return out
}

describe('generateDataset', () => {
  const root = tempDir('rec-gen-')

  it('writes byte-identical files for the same seed and different ones for another seed', async () => {
    const a = await generateDataset(join(root, 'a'), {params: {...TINY, seed: 1}})
    const b = await generateDataset(join(root, 'b'), {params: {...TINY, seed: 1}})
    const c = await generateDataset(join(root, 'c'), {params: {...TINY, seed: 2}})
    const ha = hashTree(join(root, 'a'))
    expect(Object.keys(ha).sort()).toEqual(['dataset.json', 'follows.parquet', 'interactions.parquet', 'items.parquet', 'truth/items.parquet', 'truth/users.parquet', 'truth/world.json', 'users.parquet'])
    expect(hashTree(join(root, 'b'))).toEqual(ha)
    expect(b.fingerprint).toBe(a.fingerprint)
    expect(c.fingerprint).not.toBe(a.fingerprint)
    expect(hashTree(join(root, 'c'))['interactions.parquet']).not.toBe(ha['interactions.parquet'])
  })

  it('reads back through readDataset with the contract columns and exactly the requested rows', async () => {
    const out = join(root, 'read')
    const summary = await generateDataset(out, {params: {...TINY, seed: 3}, split: {method: 'temporal-global', valFrac: 0.1, testFrac: 0.1}})
    const dataset = await readDataset(out)
    expect(dataset.manifest.counts).toEqual(summary.counts)
    expect(summary.counts).toMatchObject({users: TINY.users, items: TINY.items, interactions: TINY.interactions})
    expect(dataset.manifest.features.items).toMatchObject({author_id: {kind: 'id'}, nsfw: {kind: 'label'}, toxic: {kind: 'label'}, topic: {kind: 'categorical', vocabSize: 6}})
    expect(dataset.manifest.positives).toMatchObject({click: 1, like: 2, follow_author: 4})
    expect(dataset.manifest.hasImpressions).toBe(true)
    const {interactions, items} = dataset
    expect(Object.keys(interactions)).toEqual(['user_id', 'item_id', 'ts', 'event', 'weight', 'split', 'dwell_ms', 'position', 'source'])
    const dwell = getColumn(interactions, 'dwell_ms', 'int32')
    const event = getColumn(interactions, 'event', 'dict')
    for (let r = 0; r < event.codes.length; r++) {
      const isDwell = event.dictionary[event.codes[r]] === 'dwell'
      if (isDwell !== !dwell.nulls?.[r]) throw new Error(`row ${r}: dwell_ms must be set exactly on dwell rows`)
    }
    // Authors are users; the author id space is the user id space.
    const userIds = new Set(getColumn(dataset.users, 'user_id', 'int64').values)
    expect(getColumn(items, 'author_id', 'int64').values.every((a) => userIds.has(a))).toBe(true)
    const truthUsers = await readParquetFile(join(out, TRUTH_FILES.users))
    expect(Object.keys(truthUsers).filter((k) => k.startsWith('interest_'))).toHaveLength(6)
  })

  it('reads truth/ back into the arrays the world was generated from', async () => {
    const out = join(root, 'truth')
    const split = {method: 'leave-last-out'} as const
    await generateDataset(out, {params: {...TINY, seed: 4}, split})
    const world = generateWorld({...TINY, seed: 4}, split)
    const truth = await readTruth(out)
    expect(truth.topics).toEqual(world.topics)
    expect(truth.interest).toEqual(world.users.interest)
    expect(truth.trueTopic).toEqual(world.items.trueTopic)
    expect(truth.quality).toEqual(world.items.quality)
    expect(truth.toxic).toEqual(world.items.toxic)
    expect(truth.itemIds).toEqual(getColumn(world.draft.items, 'item_id', 'int64').values)
    expect(truth.userRow.get(truth.userIds[7])).toBe(7)
    await expect(readTruth(root)).rejects.toMatchObject({code: 'NOT_FOUND'})
  })

  it('refuses bad params and an existing output before any work, leaving nothing behind', async () => {
    const bad = join(root, 'bad')
    await expect(generateDataset(bad, {params: {days: 0}})).rejects.toMatchObject({code: 'INVALID_ARGUMENT'})
    await expect(generateDataset(bad, {params: TINY, split: {method: 'temporal-global', valFrac: 0.7, testFrac: 0.5}})).rejects.toBeInstanceOf(RecError)
    expect(existsSync(bad)).toBe(false)
    const taken = join(root, 'taken')
    mkdirSync(taken)
    await expect(generateDataset(taken, {params: TINY})).rejects.toMatchObject({code: 'ALREADY_EXISTS'})
    expect(readdirSync(taken)).toEqual([])
    await generateDataset(taken, {params: TINY, force: true})
    expect(existsSync(join(taken, 'dataset.json'))).toBe(true)
  })
})
