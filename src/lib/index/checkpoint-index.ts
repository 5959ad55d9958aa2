// `rec index build` / `rec index query`: item tower -> index directory, and top-k for a user or an item.
import {readCheckpointManifest} from '../checkpoint/checkpoint-io.js'
import {TEST, TRAIN, VAL} from '../dataset/schema.js'
import {type Dataset, readDataset} from '../dataset/store.js'
import {RecError} from '../errors.js'
import {buildHistory} from '../features/history.js'
import {type Positives, selectPositives} from '../features/positives.js'
import {embedItems, embedUsers} from '../models/two-tower/embed.js'
import {loadTwoTower, type LoadedTwoTower} from '../models/two-tower/load.js'
import {Rng} from '../random/rng.js'
import {type Reporter, silentReporter} from '../reporter.js'
import {buildIndex, type BuildIndexOptions} from './build-index.js'
import {loadIndex} from './load-index.js'
import type {IndexManifest} from './manifest.js'
import {saveIndex} from './save-index.js'

export interface BuildFromCheckpointOptions extends Omit<BuildIndexOptions, 'recallQueries' | 'recallQueriesSource' | 'normalize'> {
  ckpt: string
  /** Default: the dataset the checkpoint was trained on. */
  dataset?: string
  out: string
  force?: boolean
  /** Real user vectors on which recall@10 against exact search is measured (default 1,000). */
  recallUsers?: number
  reporter?: Reporter
}

async function openModel(ckpt: string, dataset?: string): Promise<{loaded: LoadedTwoTower; data: Dataset; datasetDir: string}> {
  const manifest = await readCheckpointManifest(ckpt, 'retrieval')
  const datasetDir = dataset ?? manifest.dataset.path
  const data = await readDataset(datasetDir)
  return {loaded: await loadTwoTower(ckpt, data), data, datasetDir}
}

function positivesOf(loaded: LoadedTwoTower, data: Dataset): Positives {
  const config = loaded.manifest.config as {positives?: Record<string, number>; 'positive-min-weight'?: number}
  return selectPositives(data.interactions, loaded.inputs.users, loaded.inputs.items, {events: config.positives ?? data.manifest.positives, minWeight: config['positive-min-weight']})
}

/** The user tower's vectors for up to `count` users with a history, sampled with `seed`; rows of all positives. */
function userQueries(loaded: LoadedTwoTower, positives: Positives, count: number, seed: number): {vectors: Float32Array; users: number} {
  const history = buildHistory(positives, loaded.inputs.users.size, [TRAIN, VAL, TEST])
  const withHistory: number[] = []
  for (let u = 1; u < loaded.inputs.users.size; u++) if (history.offsets[u + 1] > history.offsets[u]) withHistory.push(u)
  const chosen = new Rng(seed).shuffle(Int32Array.from(withHistory)).subarray(0, count).sort()
  return {vectors: embedUsers(loaded.model, chosen, history), users: chosen.length}
}

/** The manifest written, plus the build time (kept out of the manifest so that rebuilding gives the same bytes). */
export type IndexBuildResult = IndexManifest & {buildSeconds: number}

export async function buildIndexFromCheckpoint(options: BuildFromCheckpointOptions): Promise<IndexBuildResult> {
  const reporter = options.reporter ?? silentReporter
  const {loaded, data} = await openModel(options.ckpt, options.dataset)
  const {items} = loaded.inputs
  const rows = Int32Array.from({length: items.size - 1}, (_, i) => i + 1) // row 0 (OOV) is never recommended
  reporter.info(`encoding ${rows.length} items through the item tower`)
  const vectors = embedItems(loaded.model, rows)
  const queries = userQueries(loaded, positivesOf(loaded, data), options.recallUsers ?? 1000, options.seed ?? 0)
  const built = await buildIndex(vectors, items.ids, {...options, recallQueries: queries.vectors, recallQueriesSource: `${queries.users} dataset users' tower vectors, sampled with seed ${options.seed ?? 0}`}, reporter)
  const manifest = await saveIndex(options.out, built, {checkpoint: {path: options.ckpt, fingerprint: loaded.manifest.vocabFingerprint}, force: options.force})
  return {...manifest, buildSeconds: built.stats.buildSeconds}
}

export interface QueryOptions {
  index: string
  ckpt?: string
  dataset?: string
  userId?: bigint
  itemId?: bigint
  k: number
  /** For a user query: leave out items the user already engaged with (default true). */
  excludeSeen?: boolean
}

export interface QueryResult {
  query: {userId?: string; itemId?: string}
  items: {itemId: string; score: number}[]
}

/** Top-k items for a user (user tower over the user's full history) or items similar to one item. */
export async function queryIndex(options: QueryOptions): Promise<QueryResult> {
  if ((options.userId === undefined) === (options.itemId === undefined)) throw new RecError('INVALID_ARGUMENT', 'give exactly one of --user-id and --item-id')
  const {index} = await loadIndex(options.index)
  const toResult = (rows: Int32Array, scores: Float32Array) =>
    Array.from(rows, (row, i) => ({itemId: index.itemIds(Int32Array.of(row))[0].toString(), score: scores[i]})).filter((_, i) => rows[i] >= 0)
  if (options.itemId !== undefined) {
    const result = index.similarTo(options.itemId, options.k)
    return {query: {itemId: options.itemId.toString()}, items: toResult(result.rows, result.scores)}
  }
  if (!options.ckpt) throw new RecError('INVALID_ARGUMENT', 'a --user-id query needs --ckpt (the user tower)')
  const {loaded, data, datasetDir} = await openModel(options.ckpt, options.dataset)
  const userRow = loaded.inputs.users.row(options.userId!)
  if (userRow === 0) throw new RecError('NOT_FOUND', `user id ${options.userId} is not in the checkpoint's vocabulary (dataset ${datasetDir})`)
  const history = buildHistory(positivesOf(loaded, data), loaded.inputs.users.size, [TRAIN, VAL, TEST])
  const vector = embedUsers(loaded.model, Int32Array.of(userRow), history)
  const seen = new Set<number>()
  if (options.excludeSeen ?? true) {
    for (let p = history.offsets[userRow]; p < history.offsets[userRow + 1]; p++) {
      const id = loaded.inputs.items.id(history.items[p])
      if (id !== undefined) seen.add(index.lookupRow(id))
    }
  }
  const result = index.search(vector, options.k, seen)
  return {query: {userId: options.userId!.toString()}, items: toResult(result.rows, result.scores)}
}
