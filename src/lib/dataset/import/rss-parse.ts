// One feed file (RSS 2.0, RSS 1.0/RDF or Atom) -> its entries, read with fast-xml-parser; malformed XML is a BAD_DATA error naming the file.
import {XMLParser, XMLValidator} from 'fast-xml-parser'

import {RecError} from '../../errors.js'
import {collapseSpaces, htmlToText} from './html-text.js'

/** One article as a feed states it; strings are plain text ("" when absent). */
export interface FeedEntry {
  /** RSS guid or Atom id; "" when the feed gives none. */
  guid: string
  link: string
  title: string
  /** HTML stripped. */
  description: string
  author: string
  /** Epoch ms; undefined when absent or unparsable. */
  publishedMs?: number
  /** As written (trimmed, spaces collapsed); topics normalise them. */
  categories: string[]
}

export interface ParsedFeed {
  format: 'rss' | 'atom' | 'rdf'
  title: string
  entries: FeedEntry[]
}

type Node = unknown
type Element = Record<string, Node>

// Namespace prefixes dropped (dc:creator -> creator, content:encoded -> encoded) since feeds bind them to any prefix.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: true,
  isArray: (name) => name === 'item' || name === 'entry' || name === 'category' || name === 'link' || name === 'subject' || name === 'author',
})

const asArray = (node: Node): Node[] => (node === undefined || node === null ? [] : Array.isArray(node) ? node : [node])
const isElement = (node: Node): node is Element => typeof node === 'object' && node !== null && !Array.isArray(node)

/** The text of an element: a string, an element's #text (CDATA included), the first of repeated elements. */
function textOf(node: Node): string {
  if (typeof node === 'string') return node
  if (typeof node === 'number' || typeof node === 'boolean') return String(node)
  if (Array.isArray(node)) return node.length > 0 ? textOf(node[0]) : ''
  if (isElement(node)) return textOf(node['#text'])
  return ''
}

const attr = (node: Node, name: string): string => (isElement(node) ? textOf(node[`@_${name}`]) : '')

/**
 * An RSS date (RFC 822) or ISO-8601 time as epoch ms. A time without a zone is read as UTC, not in
 * the machine's zone, so that the same file gives the same bytes everywhere.
 */
export function parseFeedTime(text: string): number | undefined {
  let t = text.trim()
  if (t === '') return undefined
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(t)) t += 'Z'
  else if (/\d{1,2}:\d{2}(:\d{2})?$/.test(t)) t += ' GMT'
  const ms = Date.parse(t)
  return Number.isFinite(ms) ? ms : undefined
}

/** "jane@example.com (Jane Doe)" -> "Jane Doe"; other forms as written. */
function rssAuthor(text: string): string {
  const open = text.indexOf('(')
  const close = text.lastIndexOf(')')
  return open >= 0 && close > open && text.slice(0, open).includes('@') ? text.slice(open + 1, close).trim() : text.trim()
}

const clean = (text: string) => collapseSpaces(text)

function rssEntry(item: Element, channelAuthor: string): FeedEntry {
  const guid = clean(textOf(item.guid))
  // <link> text; an atom:link (same local name once prefixes drop) carries href instead
  const links = asArray(item.link)
  let link = clean(links.map(textOf).find((l) => l !== '') ?? links.map((l) => attr(l, 'href')).find((l) => l !== '') ?? '')
  if (link === '' && guid.startsWith('http') && attr(item.guid, 'isPermaLink') !== 'false') link = guid
  const categories = [...asArray(item.category), ...asArray(item.subject)].map((c) => clean(textOf(c))).filter((c) => c !== '')
  return {
    guid,
    link,
    title: htmlToText(textOf(item.title)),
    description: htmlToText(textOf(item.description) || textOf(item.encoded)),
    author: rssAuthor(textOf(item.author) || textOf(item.creator)) || channelAuthor,
    publishedMs: parseFeedTime(textOf(item.pubDate) || textOf(item.date)),
    categories,
  }
}

/** The alternate link (rel absent or "alternate"), else the first href. */
function atomLink(links: Node[]): string {
  const alternate = links.find((l) => attr(l, 'rel') === '' || attr(l, 'rel') === 'alternate')
  return clean(attr(alternate ?? links[0], 'href'))
}

const atomAuthor = (node: Node) => clean(textOf(asArray(node).map((a) => (isElement(a) ? a.name : a))[0]))

function atomEntry(entry: Element, feedAuthor: string): FeedEntry {
  return {
    guid: clean(textOf(entry.id)),
    link: atomLink(asArray(entry.link)),
    title: htmlToText(textOf(entry.title)),
    description: htmlToText(textOf(entry.summary) || textOf(entry.content)),
    author: atomAuthor(entry.author) || feedAuthor,
    publishedMs: parseFeedTime(textOf(entry.published) || textOf(entry.updated)),
    categories: asArray(entry.category)
      .map((c) => clean(attr(c, 'term') || attr(c, 'label') || textOf(c)))
      .filter((c) => c !== ''),
  }
}

/** Throws BAD_DATA naming `file` (and the line and column the validator points at) when `xml` is not a well-formed feed. */
export function parseFeed(xml: string, file: string): ParsedFeed {
  const text = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml
  if (text.trim() === '') throw new RecError('BAD_DATA', `${file}: the file is empty`)
  const valid = XMLValidator.validate(text)
  if (valid !== true) throw new RecError('BAD_DATA', `${file} line ${valid.err.line} column ${valid.err.col}: not well-formed XML: ${valid.err.msg}`)
  let doc: Element
  try {
    doc = parser.parse(text) as Element
  } catch (error) {
    throw new RecError('BAD_DATA', `${file}: not well-formed XML: ${(error as Error).message}`)
  }
  if (isElement(doc.rss)) {
    const channel = asArray(doc.rss.channel).find(isElement) ?? {}
    const author = clean(textOf(channel.creator) || textOf(channel.managingEditor))
    return {format: 'rss', title: htmlToText(textOf(channel.title)), entries: asArray(channel.item).filter(isElement).map((item) => rssEntry(item, rssAuthor(author)))}
  }
  if (isElement(doc.feed)) {
    const feed = doc.feed
    return {format: 'atom', title: htmlToText(textOf(feed.title)), entries: asArray(feed.entry).filter(isElement).map((entry) => atomEntry(entry, atomAuthor(feed.author)))}
  }
  if (isElement(doc.RDF)) {
    const rdf = doc.RDF
    const channel = asArray(rdf.channel).find(isElement) ?? {}
    return {format: 'rdf', title: htmlToText(textOf(channel.title)), entries: asArray(rdf.item).filter(isElement).map((item) => rssEntry(item, ''))}
  }
  const root = Object.keys(doc).find((k) => !k.startsWith('?') && !k.startsWith('#')) ?? 'none'
  throw new RecError('BAD_DATA', `${file}: not an RSS or Atom feed (root element <${root}>, expected <rss>, <feed> or <rdf:RDF>)`)
}
