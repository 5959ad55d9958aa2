// rec data import rss: RSS/Atom files or folders of them on disk -> a dataset of items only (no network).
import {existsSync} from 'node:fs'
import {readdir, readFile, stat} from 'node:fs/promises'
import {extname, join, resolve} from 'node:path'

import {RecError} from '../../errors.js'
import {assertWritable} from '../../io/atomic.js'
import {type Reporter, silentReporter} from '../../reporter.js'
import {toDict} from '../columns.js'
import type {DatasetManifest} from '../manifest.js'
import {writeDataset} from '../store.js'
import {mergeEntries, type SourcedEntry} from './rss-articles.js'
import {articlesTable, assignTopics} from './rss-items.js'
import {parseFeed} from './rss-parse.js'

/** Files a folder contributes; a file named on the command line is read whatever its extension. */
export const FEED_EXTENSIONS = ['.xml', '.rss', '.atom', '.rdf'] as const

export interface RssImportOptions {
  out: string
  /** Refuse the whole import at the first malformed file instead of skipping it. */
  strict?: boolean
  maxTopics?: number
  minTopicItems?: number
  name?: string
  force?: boolean
  reporter?: Reporter
}

export interface RssImportResult {
  manifest: DatasetManifest
  files: number
  /** Malformed files, skipped (never with --strict), with the reason. */
  skipped: {file: string; reason: string}[]
  entries: number
  articles: number
  /** Entries folded into an article another entry already stood for (same guid or link). */
  duplicates: number
  /** Entries with neither guid nor link: dropped. */
  unidentified: number
  topics: string[]
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, {withFileTypes: true})
  for (const entry of entries) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) await walk(path, out)
    else if (entry.isFile() && (FEED_EXTENSIONS as readonly string[]).includes(extname(entry.name).toLowerCase())) out.push(path)
  }
}

/** Every feed file of `paths`, sorted and without repeats; NOT_FOUND for a missing path, EMPTY when folders hold no feed file. */
export async function listFeedFiles(paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0) throw new RecError('INVALID_ARGUMENT', 'no feed file or folder given', {hint: 'rec data import rss feeds/ --out data/news'})
  const files: string[] = []
  for (const path of paths) {
    if (!existsSync(path)) throw new RecError('NOT_FOUND', `${path} does not exist`)
    if ((await stat(path)).isDirectory()) await walk(path, files)
    else files.push(path)
  }
  const unique = [...new Map(files.map((f) => [resolve(f), f])).values()].sort()
  if (unique.length === 0) throw new RecError('EMPTY', `no feed files (${FEED_EXTENSIONS.join(', ')}) under ${paths.join(', ')}`)
  return unique
}

/**
 * Reads every feed file (UTF-8), merges duplicate articles, assigns topics and writes a dataset whose
 * items are the articles; users and interactions are empty (gen-data --items-from simulates them).
 * A malformed file is skipped with a warning naming it, or with `strict` fails the import (BAD_DATA)
 * before anything is written. The same files give the same bytes whatever order they are named in.
 */
export async function importRss(paths: readonly string[], options: RssImportOptions): Promise<RssImportResult> {
  const reporter = options.reporter ?? silentReporter
  assertWritable(options.out, options.force ?? false)
  const files = await listFeedFiles(paths)
  const entries: SourcedEntry[] = []
  const skipped: RssImportResult['skipped'] = []
  for (const file of files) {
    let feed
    try {
      feed = parseFeed(await readFile(file, 'utf8'), file)
    } catch (error) {
      if (!(error instanceof RecError) || options.strict) {
        if (error instanceof RecError) throw new RecError(error.code, error.message, {hint: 'without --strict a malformed file is skipped'})
        throw error
      }
      skipped.push({file, reason: error.message})
      reporter.warn(`skipped ${error.message}`)
      continue
    }
    feed.entries.forEach((entry, position) => entries.push({...entry, file, position, feed: feed.title}))
  }
  if (entries.length === 0) throw new RecError('EMPTY', `no articles in ${files.length - skipped.length} readable feed file(s)${skipped.length ? ` (${skipped.length} skipped as malformed)` : ''}`)
  const {articles, unidentified} = mergeEntries(entries)
  if (unidentified > 0) reporter.warn(`${unidentified} entries have neither guid nor link: dropped`)
  if (articles.length === 0) throw new RecError('EMPTY', 'no article has a guid or a link to identify it')
  const topics = assignTopics(articles, {maxTopics: options.maxTopics ?? 50, minItems: options.minTopicItems ?? 2})
  const manifest = await writeDataset(
    options.out,
    {
      name: options.name ?? 'rss',
      source: {kind: 'rss', params: {files: files.length, skipped: skipped.map((s) => s.file), maxTopics: options.maxTopics ?? 50, minTopicItems: options.minTopicItems ?? 2}},
      split: {method: 'leave-last-out'},
      users: {user_id: {type: 'int64', values: new BigInt64Array(0)}},
      items: articlesTable(articles, topics),
      interactions: {
        user_id: {type: 'int64', values: new BigInt64Array(0)},
        item_id: {type: 'int64', values: new BigInt64Array(0)},
        ts: {type: 'timestamp_ms', values: new Float64Array(0)},
        event: toDict([]),
        weight: {type: 'float32', values: new Float32Array(0)},
        split: toDict([], ['train', 'val', 'test']),
      },
      positives: {click: 1},
    },
    {force: options.force},
  )
  const valid = entries.length - unidentified
  return {manifest, files: files.length, skipped, entries: entries.length, articles: articles.length, duplicates: valid - articles.length, unidentified, topics: topics.topics}
}
