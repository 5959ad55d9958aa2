// gen-data titles: present on every item, drawn from the true topic's words, and leaving every other column's bytes as before.
import {createHash} from 'node:crypto'
import {describe, expect, it} from 'vitest'

import {type ColumnTable, getColumn} from '../../../src/lib/dataset/columns.js'
import {encodeParquet} from '../../../src/lib/dataset/parquet.js'
import {generateWorld} from '../../../src/lib/dataset/synthetic/generate.js'
import {topicVocabulary} from '../../../src/lib/dataset/synthetic/titles.js'
import {truthItemsTable, truthUsersTable} from '../../../src/lib/dataset/synthetic/truth.js'

const PARAMS = {users: 80, items: 800, interactions: 4000, topics: 6, seed: 1}

/**
 * sha256 of each table's Parquet bytes without `title`, as the generator wrote them before titles
 * existed (computed on that commit with the same parquet-wasm). A change in how any other column is
 * drawn changes these.
 */
const BEFORE_TITLES = {
  users: 'e0513ab93142138f5bf3976a49e522ff47eb01cb4215fdcb94c4516d9e8b1a75',
  items: 'dbd1872ad80f4d1ef8fd0d9ac5b6b8df1f7057db632ad15b1c5e50de49ba184e',
  interactions: 'a506eb6c54b66702e3c87b214765792bc3854d5c5de19e93a9864edb59b63324',
  follows: '8761170490524bca9d96c743237fb4c86fd41ac86a171b8de4c2bbca48cab7e9',
  truthUsers: 'a690b191b3647600773d8521d089587fe40db7f87a3b09ce783ef885b7fcaf87',
  truthItems: 'cbff32350e2265d9f57ef3b531d344419f49b318c3d5acf9837502aef58026b7',
}

function hashWithoutTitle(table: ColumnTable): string {
  const {title: _title, ...rest} = table
  return createHash('sha256').update(encodeParquet(rest)).digest('hex')
}

describe('gen-data titles', () => {
  const world = generateWorld(PARAMS)

  it('leaves every other column byte-identical to the generator without titles', () => {
    expect({
      users: hashWithoutTitle(world.draft.users),
      items: hashWithoutTitle(world.draft.items),
      interactions: hashWithoutTitle(world.draft.interactions),
      follows: hashWithoutTitle(world.draft.follows!),
      truthUsers: hashWithoutTitle(truthUsersTable(world.users, world.topics)),
      truthItems: hashWithoutTitle(truthItemsTable(world.items, world.topics)),
    }).toEqual(BEFORE_TITLES)
  })

  it('gives every item a title, last among the columns, drawn mostly from its true topic', () => {
    expect(Object.keys(world.draft.items).at(-1)).toBe('title')
    const titles = getColumn(world.draft.items, 'title', 'utf8').values
    expect(titles).toHaveLength(PARAMS.items)
    const vocab = world.topics.map((name, z) => new Set(topicVocabulary(name, z)))
    let own = 0
    let other = 0
    let words = 0
    titles.forEach((title, i) => {
      const parts = title.split(' ')
      expect(parts.length).toBeGreaterThanOrEqual(4)
      expect(parts.length).toBeLessThanOrEqual(9)
      for (const word of parts) {
        words++
        if (vocab[world.items.trueTopic[i]].has(word)) own++
        else if (vocab.some((v) => v.has(word))) other++
      }
    })
    // about 60% topic words (a few fewer after redraws of repeats), almost none of another topic
    expect(own / words).toBeGreaterThan(0.5)
    expect(own / words).toBeLessThan(0.7)
    expect(other / words).toBeLessThan(0.02)
  })

  it('is the same for the same seed and differs for another', () => {
    const again = getColumn(generateWorld(PARAMS).draft.items, 'title', 'utf8').values
    expect(again).toEqual(getColumn(world.draft.items, 'title', 'utf8').values)
    const other = getColumn(generateWorld({...PARAMS, seed: 2}).draft.items, 'title', 'utf8').values
    expect(other).not.toEqual(again)
  })

  it('makes up words for topics past the named ones', () => {
    const big = generateWorld({users: 40, items: 400, interactions: 500, topics: 30, seed: 3})
    const vocab = topicVocabulary(big.topics[27], 27)
    expect(big.topics[27]).toBe('topic_28')
    expect(vocab).toHaveLength(12)
    expect(new Set(vocab).size).toBeGreaterThan(10)
    expect(topicVocabulary(big.topics[27], 27)).toEqual(vocab)
  })
})
