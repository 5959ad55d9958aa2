// Feed entries of many files -> one article per story: stable ids (hash of guid or link), duplicates merged, fields chosen in a fixed order.
import {createHash} from 'node:crypto'

import {RecError} from '../../errors.js'
import {collapseSpaces} from './html-text.js'
import type {FeedEntry} from './rss-parse.js'

/** An entry with where it came from; `file` order then `position` decide which copy's fields win. */
export interface SourcedEntry extends FeedEntry {
  file: string
  position: number
  feed: string
}

export interface Article {
  id: bigint
  /** The guid or link the id hashes. */
  key: string
  title: string
  description: string
  link: string
  domain: string
  author: string
  feed: string
  publishedMs?: number
  /** Normalised (lower case, spaces collapsed), first-seen order, no repeats. */
  categories: string[]
  /** How many entries were merged into it (1 = no duplicate). */
  copies: number
}

/** Ids stay below 2^53, so that they are exact as JSON numbers and JS numbers too. */
const ID_MASK = (1n << 53n) - 1n

/** The stable int64 id of an article key: the first 8 bytes of sha256("rec-rss/1:" + key), kept below 2^53, never 0. */
export function articleId(key: string): bigint {
  const digest = createHash('sha256').update(`rec-rss/1:${key}`).digest()
  const id = digest.readBigUInt64BE(0) & ID_MASK
  return id === 0n ? 1n : id
}

/** A link as a comparison key: scheme and host lower-cased by URL parsing, the #fragment dropped; unparsable links as written. */
export function normalizeLink(link: string): string {
  if (link === '') return ''
  try {
    const url = new URL(link)
    url.hash = ''
    return url.href
  } catch {
    return link.trim()
  }
}

/** The link's host without "www."; "" for links that do not parse. */
export function linkDomain(link: string): string {
  try {
    const host = new URL(link).hostname.toLowerCase()
    return host.startsWith('www.') ? host.slice(4) : host
  } catch {
    return ''
  }
}

export const normalizeCategory = (category: string): string => collapseSpaces(category).toLowerCase()

/** Union-find over entry indices. */
function find(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    parent[i] = parent[parent[i]]
    i = parent[i]
  }
  return i
}

/**
 * Groups entries that share a guid or a link (across files or within one) into one article. The id
 * hashes the group's smallest guid, or its smallest link when none has a guid, so it does not depend
 * on the order files are given in. Fields: the first non-empty one in (file, position) order, the
 * earliest published time, the union of categories. Entries with neither guid nor link cannot be
 * identified and are returned as `unidentified`. Articles are ordered by id.
 */
export function mergeEntries(entries: readonly SourcedEntry[]): {articles: Article[]; unidentified: number} {
  const sorted = entries
    .map((entry, i) => ({entry, i}))
    .filter(({entry}) => entry.guid !== '' || entry.link !== '')
    .sort((a, b) => (a.entry.file < b.entry.file ? -1 : a.entry.file > b.entry.file ? 1 : a.entry.position - b.entry.position || a.i - b.i))
    .map(({entry}) => entry)
  const parent = Int32Array.from(sorted, (_, i) => i)
  const owner = new Map<string, number>()
  const join = (key: string, i: number) => {
    const j = owner.get(key)
    if (j === undefined) owner.set(key, i)
    else parent[find(parent, i)] = find(parent, j)
  }
  sorted.forEach((entry, i) => {
    if (entry.guid !== '') join(`g:${entry.guid}`, i)
    if (entry.link !== '') join(`l:${normalizeLink(entry.link)}`, i)
  })
  const groups = new Map<number, SourcedEntry[]>()
  sorted.forEach((entry, i) => {
    const root = find(parent, i)
    const group = groups.get(root)
    if (group) group.push(entry)
    else groups.set(root, [entry])
  })
  const byId = new Map<bigint, Article>()
  for (const group of groups.values()) {
    const article = mergeGroup(group)
    const clash = byId.get(article.id)
    if (clash) throw new RecError('BAD_DATA', `articles "${clash.key}" and "${article.key}" hash to the same id ${article.id}`, {hint: 'rename one guid; this should practically never happen'})
    byId.set(article.id, article)
  }
  const articles = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return {articles, unidentified: entries.length - sorted.length}
}

const smallest = (values: string[]): string | undefined => values.filter((v) => v !== '').sort()[0]

function mergeGroup(group: SourcedEntry[]): Article {
  const first = (pick: (e: SourcedEntry) => string) => group.map(pick).find((v) => v !== '') ?? ''
  const guid = smallest(group.map((e) => e.guid))
  const key = guid !== undefined ? `guid:${guid}` : `link:${smallest(group.map((e) => normalizeLink(e.link)))}`
  const link = first((e) => e.link)
  const times = group.map((e) => e.publishedMs).filter((t): t is number => t !== undefined)
  const categories = [...new Set(group.flatMap((e) => e.categories.map(normalizeCategory)).filter((c) => c !== ''))]
  return {
    id: articleId(key),
    key,
    title: first((e) => e.title),
    description: first((e) => e.description),
    link,
    domain: linkDomain(link),
    author: first((e) => e.author),
    feed: first((e) => e.feed),
    publishedMs: times.length > 0 ? Math.min(...times) : undefined,
    categories,
    copies: group.length,
  }
}
