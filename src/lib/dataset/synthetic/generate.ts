// rec gen-data: a seeded Twitter-like world (users, follows, items, feed engagements, truth) -> a dataset directory.
import {RecError} from '../../errors.js'
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
import type {Catalogue} from './catalogue.js'
import {readCatalogue} from './catalogue.js'
import {generateCatalogueItems, generateItems, type ItemWorld} from './items.js'
import {resolveWorldParams, type WorldParams} from './params.js'
import {FEATURE_OVERRIDES, followsTable, itemsTable, usersTable} from './tables.js'
import {generateTitles} from './titles.js'
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

/**
 * Fits params to a catalogue: its item count and topic count, refusing other values given for them.
 * Without a catalogue, params as given.
 */
export function catalogueParams(input: Partial<WorldParams>, catalogue: Catalogue | undefined): Partial<WorldParams> {
  if (!catalogue) return input
  const n = catalogue.ids.length
  const k = catalogue.topics.length
  if (input.items !== undefined && input.items !== n) {
    throw new RecError('INVALID_ARGUMENT', `--items ${input.items} conflicts with --items-from ${catalogue.source.path}, which holds ${n} items`, {hint: 'leave out --items: the catalogue sets it'})
  }
  if (input.topics !== undefined && input.topics !== k) {
    throw new RecError('INVALID_ARGUMENT', `--topics ${input.topics} conflicts with --items-from ${catalogue.source.path}, whose items use ${k} topics`, {hint: 'leave out --topics: the catalogue sets it'})
  }
  return {...input, items: n, topics: k}
}

/**
 * Builds the whole world in memory. Same params and seed -> identical arrays. With a catalogue
 * (gen-data --items-from) the items are its articles: their ids, topics and text columns; users,
 * follows and feeds are simulated over them as over generated items.
 */
export function generateWorld(input: Partial<WorldParams>, splitRequest: SplitRequest = {method: 'leave-last-out'}, reporter: Reporter = silentReporter, catalogue?: Catalogue): SyntheticWorld {
  const {params, split} = checkGenerateInputs(catalogueParams(input, catalogue), splitRequest)
  const topics = catalogue ? catalogue.topics : topicNames(params.topics)
  // One stream per stage, so that a change in how one stage draws leaves the others' draws alone.
  const root = new Rng(params.seed)
  const users = generateUsers(params, root.fork(1))
  const graph = generateFollows(users, params, root.fork(2))
  const items = catalogue ? generateCatalogueItems(catalogue, users, params, root.fork(3)) : generateItems(users, params, root.fork(3))
  reporter.info(`world: ${users.count} users, ${graph.dst.length} follows, ${items.count} items${catalogue ? ` from ${catalogue.source.path}` : ''}, ${params.topics} topics`)
  const {log, follows} = simulateFeeds(users, items, graph, params, root.fork(4), reporter)
  const interactions = buildInteractions(log, users.count, split, items.ids)
  // Titles last, from their own stream: every other column keeps the bytes it had before titles existed.
  const extra = catalogue ? catalogue.columns : {}
  if (!extra.title) extra.title = {type: 'utf8', values: generateTitles(items.trueTopic, topics, root.fork(5))}
  const itemsFrom = catalogue ? {itemsFrom: catalogue.source} : {}
  const draft: DatasetDraft = {
    name: 'synthetic',
    source: {kind: 'generator', params: {generator: 'twitter-like', ...params, ...itemsFrom, split: split.method, splitUnit: split.method === 'leave-last-out' ? 'engaged-impression' : 'row'}, seed: params.seed},
    split: interactions.split,
    users: usersTable(users, follows),
    items: itemsTable(items, topics, {...extra}),
    interactions: interactions.table,
    follows: followsTable(follows),
    featureOverrides: FEATURE_OVERRIDES,
    positives: POSITIVES,
    writeExtra: (dir) => writeTruth(dir, users, items, params, topics, itemsFrom),
  }
  return {params, topics, users, items, draft}
}

export interface GenerateOptions {
  params?: Partial<WorldParams>
  /** A dataset whose items become the world's items (gen-data --items-from). */
  itemsFrom?: string
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
  assertWritable(out, options.force ?? false)
  const catalogue = options.itemsFrom ? await readCatalogue(options.itemsFrom) : undefined
  const {params, split} = checkGenerateInputs(catalogueParams(options.params ?? {}, catalogue), options.split ?? {method: 'leave-last-out'})
  const world = generateWorld(params, split, reporter, catalogue)
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
