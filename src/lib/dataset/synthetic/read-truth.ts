// Loads truth/ of a generated dataset into typed arrays, so that a simulated user can answer as the generator's did.
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'

import {RecError} from '../../errors.js'
import {getColumn} from '../columns.js'
import {readParquetFile} from '../parquet.js'
import {interestColumn, TRUTH_FILES, TRUTH_FORMAT} from './truth.js'

/** Rows follow truth/users.parquet and truth/items.parquet; `userRow` / `itemRow` map ids to them. */
export interface Truth {
  topics: string[]
  /** truth/world.json as written (params, window, vocabularies, response model coefficients). */
  world: Record<string, unknown>
  userIds: BigInt64Array
  /** [users, topics] row-major, rows sum to 1: pass interest[u * K + topic] as Exposure.interest. */
  interest: Float32Array
  itemIds: BigInt64Array
  /** Index into `topics`. */
  trueTopic: Int32Array
  quality: Float32Array
  nsfw: Uint8Array
  toxic: Uint8Array
  userRow: Map<bigint, number>
  itemRow: Map<bigint, number>
}

export async function readTruth(dir: string): Promise<Truth> {
  const worldPath = join(dir, TRUTH_FILES.world)
  let world: Record<string, unknown>
  try {
    world = JSON.parse(await readFile(worldPath, 'utf8'))
  } catch {
    throw new RecError('NOT_FOUND', `${worldPath} is missing or unreadable: ${dir} is not a generated dataset`, {hint: 'create one with rec gen-data'})
  }
  if (world.format !== TRUTH_FORMAT) throw new RecError('BAD_SCHEMA', `${worldPath}: format is ${String(world.format)}, expected ${TRUTH_FORMAT}`)
  const topics = world.topics as string[]
  const users = await readParquetFile(join(dir, TRUTH_FILES.users))
  const items = await readParquetFile(join(dir, TRUTH_FILES.items))
  const userIds = getColumn(users, 'user_id', 'int64').values
  const k = topics.length
  const interest = new Float32Array(userIds.length * k)
  for (let z = 0; z < k; z++) {
    const column = users[interestColumn(topics[z])]
    if (!column || column.type !== 'float32') throw new RecError('BAD_SCHEMA', `${join(dir, TRUTH_FILES.users)}: missing float32 column ${interestColumn(topics[z])}`)
    for (let u = 0; u < userIds.length; u++) interest[u * k + z] = column.values[u]
  }
  const itemIds = getColumn(items, 'item_id', 'int64').values
  const topic = getColumn(items, 'true_topic', 'dict')
  const remap = topic.dictionary.map((name) => topics.indexOf(name))
  return {
    topics,
    world,
    userIds,
    interest,
    itemIds,
    trueTopic: Int32Array.from(topic.codes, (c) => remap[c]),
    quality: getColumn(items, 'quality', 'float32').values,
    nsfw: getColumn(items, 'nsfw', 'bool').values,
    toxic: getColumn(items, 'toxic', 'bool').values,
    userRow: new Map(Array.from(userIds, (id, row) => [id, row])),
    itemRow: new Map(Array.from(itemIds, (id, row) => [id, row])),
  }
}
