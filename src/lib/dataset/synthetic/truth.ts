// Ground truth of a synthetic world, kept in truth/ apart from the tables a model may read.
import {mkdir} from 'node:fs/promises'
import {join} from 'node:path'

import {writeFileAtomic} from '../../io/atomic.js'
import type {ColumnTable} from '../columns.js'
import {encodeParquet} from '../parquet.js'
import {BEHAVIOUR} from './behaviour.js'
import {itemIds, sequentialIds} from './ids.js'
import type {ItemWorld} from './items.js'
import type {WorldParams} from './params.js'
import type {UserWorld} from './users.js'
import {EVENT_DICTIONARY, ITEM_ID_BASE, REGIONS, SOURCES, USER_ID_BASE} from './vocab.js'

export const TRUTH_FORMAT = 'rec-synthetic-truth/1'
export const TRUTH_FILES = {users: 'truth/users.parquet', items: 'truth/items.parquet', world: 'truth/world.json'} as const

/** The column of user interest in topic `name` in truth/users.parquet. */
export function interestColumn(name: string): string {
  return `interest_${name}`
}

/** user_id, activity, bad_actor, quality_bias and one interest_<topic> float32 column per topic (rows sum to 1). */
export function truthUsersTable(users: UserWorld, topics: string[]): ColumnTable {
  const n = users.count
  const k = users.topics
  const table: ColumnTable = {
    user_id: {type: 'int64', values: sequentialIds(n, USER_ID_BASE)},
    activity: {type: 'float32', values: Float32Array.from(users.activity)},
    bad_actor: {type: 'bool', values: users.badActor},
    quality_bias: {type: 'float32', values: users.qualityBias},
  }
  for (let z = 0; z < k; z++) {
    const column = new Float32Array(n)
    for (let u = 0; u < n; u++) column[u] = users.interest[u * k + z]
    table[interestColumn(topics[z])] = {type: 'float32', values: column}
  }
  return table
}

/** item_id, true_topic (same dictionary order as items.topic), quality in (0, 1), nsfw, toxic, unsafe. */
export function truthItemsTable(items: ItemWorld, topics: string[]): ColumnTable {
  return {
    item_id: {type: 'int64', values: itemIds(items, ITEM_ID_BASE)},
    true_topic: {type: 'dict', codes: items.trueTopic, dictionary: [...topics]},
    quality: {type: 'float32', values: items.quality},
    nsfw: {type: 'bool', values: items.nsfw},
    toxic: {type: 'bool', values: items.toxic},
    unsafe: {type: 'bool', values: items.nsfw.map((v, i) => v | items.toxic[i])},
  }
}

/** truth/world.json: what a replay needs besides the two tables (params, vocabularies, response model); `extra`: e.g. the itemsFrom catalogue. */
export function worldDescription(params: WorldParams, topics: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    format: TRUTH_FORMAT,
    params,
    ...extra,
    windowMs: {start: params.startMs, end: params.startMs + params.days * 86_400_000},
    topics,
    regions: REGIONS,
    events: EVENT_DICTIONARY,
    sources: SOURCES,
    idBases: {user: USER_ID_BASE, item: ITEM_ID_BASE},
    behaviour: BEHAVIOUR,
    files: TRUTH_FILES,
  }
}

/** Writes truth/ inside a dataset directory being built (DatasetDraft.writeExtra). */
export async function writeTruth(dir: string, users: UserWorld, items: ItemWorld, params: WorldParams, topics: string[], extra: Record<string, unknown> = {}): Promise<void> {
  await mkdir(join(dir, 'truth'), {recursive: true})
  await writeFileAtomic(join(dir, TRUTH_FILES.users), encodeParquet(truthUsersTable(users, topics)))
  await writeFileAtomic(join(dir, TRUTH_FILES.items), encodeParquet(truthItemsTable(items, topics)))
  await writeFileAtomic(join(dir, TRUTH_FILES.world), JSON.stringify(worldDescription(params, topics, extra), null, 2) + '\n')
}
