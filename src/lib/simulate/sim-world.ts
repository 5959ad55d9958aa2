// What simulated users know of a gen-data world: truth/ (interests, true topics, quality, safety) plus each item's author and age and the follow graph.
import {existsSync} from 'node:fs'
import {join} from 'node:path'

import {getColumn} from '../dataset/columns.js'
import {readParquetFile} from '../dataset/parquet.js'
import {readTruth, type Truth} from '../dataset/synthetic/read-truth.js'
import {RecError} from '../errors.js'

/** Truth plus the public facts a user perceives (who wrote an item, when, whom they follow). Rows follow truth's. */
export interface SimWorld {
  dir: string
  truth: Truth
  /** [items] the author's user row in truth (-1: not a user of the world). */
  authorRow: Int32Array
  /** [items] created_at, ms. */
  createdAt: Float64Array
  /** user row -> author rows followed at the end of the window. */
  follows: Set<number>[]
  /** The end of the world's window: the simulated clock starts here (the server's clock is its last interaction). */
  startMs: number
}

/** Reads `dir` (a `rec gen-data` output). NOT_FOUND when it has no truth/ (not generated, or an export without it). */
export async function loadSimWorld(dir: string): Promise<SimWorld> {
  if (!existsSync(join(dir, 'truth', 'world.json'))) {
    throw new RecError('NOT_FOUND', `${dir} has no truth/world.json: simulated users need the ground truth of a generated world`, {hint: 'pass --world a directory written by rec gen-data'})
  }
  const truth = await readTruth(dir)
  const items = await readParquetFile(join(dir, 'items.parquet'))
  const itemIds = getColumn(items, 'item_id', 'int64').values
  const authors = getColumn(items, 'author_id', 'int64').values
  const created = getColumn(items, 'created_at', 'timestamp_ms').values
  const authorRow = new Int32Array(truth.itemIds.length).fill(-1)
  const createdAt = new Float64Array(truth.itemIds.length)
  for (let i = 0; i < itemIds.length; i++) {
    const row = truth.itemRow.get(itemIds[i])
    if (row === undefined) continue
    authorRow[row] = truth.userRow.get(authors[i]) ?? -1
    createdAt[row] = created[i]
  }
  const follows = Array.from({length: truth.userIds.length}, () => new Set<number>())
  const followsFile = join(dir, 'follows.parquet')
  if (existsSync(followsFile)) {
    const table = await readParquetFile(followsFile)
    const src = getColumn(table, 'src_user_id', 'int64').values
    const dst = getColumn(table, 'dst_user_id', 'int64').values
    for (let e = 0; e < src.length; e++) {
      const s = truth.userRow.get(src[e])
      const d = truth.userRow.get(dst[e])
      if (s !== undefined && d !== undefined) follows[s].add(d)
    }
  }
  const window = truth.world.windowMs as {end?: number} | undefined
  return {dir, truth, authorRow, createdAt, follows, startMs: window?.end ?? Math.max(...createdAt)}
}
