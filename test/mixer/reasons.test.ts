import {beforeAll, describe, expect, it} from 'vitest'

import {getColumn} from '../../src/lib/dataset/columns.js'
import {eventCode, UNKNOWN_EVENT} from '../../src/lib/dataset/event-codes.js'
import {readDataset} from '../../src/lib/dataset/store.js'
import {IdVocab} from '../../src/lib/features/vocab.js'
import {similarReason, theirEvent, yourEvent} from '../../src/lib/mixer/reasons.js'
import {graphSource} from '../../src/lib/mixer/sources/graph.js'
import type {HomeQuery} from '../../src/lib/mixer/types.js'
import {buildWorld, type ServingWorld} from '../../src/lib/mixer/world.js'
import {Rng} from '../../src/lib/random/rng.js'
import {tempDir} from '../helpers/cli.js'
import {userId, writeWorld} from '../serving/world-fixture.js'

const DIM = 4

/** Item row r gets the unit vector along axis r % DIM: rows 1 and 5 are identical, 1 and 2 orthogonal. */
function axisVectors(size: number): Float32Array {
  const v = new Float32Array(size * DIM)
  for (let row = 1; row < size; row++) v[row * DIM + (row % DIM)] = 1
  return v
}

const codes = (...names: string[]) => Uint8Array.from(names, eventCode)

describe('reasons name the event that caused them', () => {
  let world: ServingWorld
  const item = (row: number) => `item ${world.items.id(row)}`
  beforeAll(async () => {
    const dataset = await readDataset(await writeWorld(tempDir()))
    const users = IdVocab.fromValues(getColumn(dataset.users, 'user_id', 'int64').values)
    const items = IdVocab.fromValues(getColumn(dataset.items, 'item_id', 'int64').values)
    world = buildWorld(dataset, users, items, axisVectors(items.size))
  })

  it('the world history keeps each entry\'s event beside its item', () => {
    const {items, events} = world.history
    expect(events).toHaveLength(items.length)
    // the fixture's interactions are all likes
    expect(new Set(events)).toEqual(new Set([eventCode('like')]))
  })

  it('"similar to X ..." names the event of the history entry X came from', () => {
    const history = Int32Array.of(1, 2)
    // row 5 is row 1's vector, row 6 row 2's
    expect(similarReason(world, history, codes('click', 'like'), 5)).toBe(`similar to ${item(1)} you clicked`)
    expect(similarReason(world, history, codes('click', 'like'), 6)).toBe(`similar to ${item(2)} you liked`)
    expect(similarReason(world, history, codes('share', 'repost'), 5)).toBe(`similar to ${item(1)} you shared`)
    // no events known: a neutral wording, never "liked"
    expect(similarReason(world, history, undefined, 5)).toBe(`similar to ${item(1)} you engaged with`)
    expect(similarReason(world, history, Uint8Array.of(UNKNOWN_EVENT, UNKNOWN_EVENT), 5)).toBe(`similar to ${item(1)} you engaged with`)
  })

  it('an item in the history twice is named by its latest event', () => {
    expect(similarReason(world, Int32Array.of(1, 2, 1), codes('click', 'like', 'like'), 5)).toBe(`similar to ${item(1)} you liked`)
    expect(similarReason(world, Int32Array.of(1, 2, 1), codes('like', 'like', 'click'), 5)).toBe(`similar to ${item(1)} you clicked`)
    // only the last 20 entries are read: a like before them does not count
    const history = Int32Array.from({length: 21}, (_, h) => (h === 0 || h === 20 ? 1 : 2))
    const events = codes(...Array.from({length: 21}, (_, h) => (h === 0 ? 'like' : 'click')))
    expect(similarReason(world, history, events, 5)).toBe(`similar to ${item(1)} you clicked`)
  })

  it('every positive event has its own wording; others are neutral', () => {
    const mine: Record<string, string> = {
      like: 'X you liked',
      click: 'X you clicked',
      repost: 'X you reposted',
      reply: 'X you replied to',
      share: 'X you shared',
      follow_author: 'X, whose author you followed',
      dwell: 'X you viewed at length',
      rating: 'X you rated',
      impression: 'X you were shown',
      skip: 'X you engaged with',
      hide: 'X you engaged with',
      report: 'X you engaged with',
      teleport: 'X you engaged with',
    }
    for (const [event, text] of Object.entries(mine)) expect(yourEvent('X', eventCode(event)), event).toBe(text)
    const theirs: Record<string, string> = {like: 'liked by @u', click: 'clicked by @u', reply: 'replied to by @u', share: 'shared by @u', follow_author: 'from an author followed by @u', teleport: 'engaged with by @u'}
    for (const [event, text] of Object.entries(theirs)) expect(theirEvent('@u', eventCode(event)), event).toBe(text)
  })

  it('Graph names the event of the neighbour it credits', async () => {
    // odd user rows clicked, even ones shared everything
    const {offsets} = world.history
    const events = new Uint8Array(world.history.items.length)
    for (let u = 1; u + 1 < offsets.length; u++) events.fill(eventCode(u % 2 ? 'click' : 'share'), offsets[u], offsets[u + 1])
    const mixed = {...world, history: {...world.history, events}}
    const source = graphSource(mixed)
    const row = world.users.row(userId(0))
    const history = world.history.items.slice(offsets[row], offsets[row + 1])
    const query: HomeQuery = {userId: userId(0), userRow: row, k: 10, now: world.clock, seen: new Set(history), history, userVector: Float32Array.of(1, 0, 0, 0), rng: new Rng(1)}
    const found = await source.apply(query, 20)
    expect(new Set(found.map((c) => c.via % 2))).toEqual(new Set([0, 1]))
    for (const c of found) expect(source.reason(query, c)).toBe(`${c.via % 2 ? 'clicked' : 'shared'} by @${world.users.id(c.via)}, whose taste is close to yours`)
  })
})
