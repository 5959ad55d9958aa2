// rec gen-data: a seeded Twitter-like world (users, follows, items, feed engagements, truth) -> a dataset directory.
import {assertWritable} from '../../io/atomic.js'
import {Rng} from '../../random/rng.js'
import {type Reporter, silentReporter} from '../../reporter.js'
import type {DatasetManifest} from '../manifest.js'
import {toSplitRequest} from '../split-options.js'
import type {SplitRequest} from '../split.js'
import {type DatasetDraft, writeDataset} from '../store.js'
import {simulateFeeds} from './engagements.js'
import {generateFollows} from './follows.js'
import {buildInteractions} from './interactions.js'
import {generateItems, type ItemWorld} from './items.js'
import {resolveWorldParams, type WorldParams} from './params.js'
import {FEATURE_OVERRIDES, followsTable, itemsTable, usersTable} from './tables.js'
import {writeTruth} from './truth.js'
import {generateUsers, type UserWorld} from './users.js'
import {POSITIVES, topicNames} from './vocab.js'

/** A generated world: the draft of the dataset plus the truth behind it (for tests and simulators). */
export interface SyntheticWorld {
  params: WorldParams
  topics: string[]
  users: UserWorld
  items: ItemWorld
  draft: DatasetDraft
}

/** Checks params and split before any work; throws INVALID_ARGUMENT. */
export function checkGenerateInputs(input: Partial<WorldParams>, split: SplitRequest): {params: WorldParams; split: SplitRequest} {
  const params = resolveWorldParams(input)
  const checked = split.method === 'temporal-global' ? toSplitRequest(split.method, split.valFrac, split.testFrac) : split
  return {params, split: checked}
}

/** Builds the whole world in memory. Same params and seed -> identical arrays. */
export function generateWorld(input: Partial<WorldParams>, splitRequest: SplitRequest = {method: 'leave-last-out'}, reporter: Reporter = silentReporter): SyntheticWorld {
  const {params, split} = checkGenerateInputs(input, splitRequest)
  const topics = topicNames(params.topics)
  // One stream per stage, so that a change in how one stage draws leaves the others' draws alone.
  const root = new Rng(params.seed)
  const users = generateUsers(params, root.fork(1))
  const graph = generateFollows(users, params, root.fork(2))
  const items = generateItems(users, params, root.fork(3))
  reporter.info(`world: ${users.count} users, ${graph.dst.length} follows, ${items.count} items, ${params.topics} topics`)
  const {log, follows} = simulateFeeds(users, items, graph, params, root.fork(4), reporter)
  const interactions = buildInteractions(log, users.count, split)
  const draft: DatasetDraft = {
    name: 'synthetic',
    source: {kind: 'generator', params: {generator: 'twitter-like', ...params, split: split.method, splitUnit: split.method === 'leave-last-out' ? 'engaged-impression' : 'row'}, seed: params.seed},
    split: interactions.split,
    users: usersTable(users, follows),
    items: itemsTable(items, topics),
    interactions: interactions.table,
    follows: followsTable(follows),
    featureOverrides: FEATURE_OVERRIDES,
    positives: POSITIVES,
    writeExtra: (dir) => writeTruth(dir, users, items, params, topics),
  }
  return {params, topics, users, items, draft}
}

export interface GenerateOptions {
  params?: Partial<WorldParams>
  split?: SplitRequest
  force?: boolean
  reporter?: Reporter
}

export interface GenerateSummary {
  out: string
  counts: DatasetManifest['counts']
  events: string[]
  split: DatasetManifest['split']
  fingerprint: string
  seconds: number
}

/** Generates a world and writes it as a dataset directory at `out` (atomically; truth/ inside). */
export async function generateDataset(out: string, options: GenerateOptions = {}): Promise<GenerateSummary> {
  const started = performance.now()
  const reporter = options.reporter ?? silentReporter
  const {params, split} = checkGenerateInputs(options.params ?? {}, options.split ?? {method: 'leave-last-out'})
  assertWritable(out, options.force ?? false)
  const world = generateWorld(params, split, reporter)
  reporter.info(`writing ${out}`)
  const manifest = await writeDataset(out, world.draft, {force: options.force})
  return {
    out,
    counts: manifest.counts,
    events: manifest.events,
    split: manifest.split,
    fingerprint: manifest.fingerprint,
    seconds: Math.round((performance.now() - started) / 10) / 100,
  }
}
