// rec data import rss: RSS 2.0 and Atom fixtures written here, merged, topics from categories; malformed files; gen-data --items-from.
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {dictValues, getColumn} from '../../../src/lib/dataset/columns.js'
import {htmlToText} from '../../../src/lib/dataset/import/html-text.js'
import {articleId} from '../../../src/lib/dataset/import/rss-articles.js'
import {importRss} from '../../../src/lib/dataset/import/rss.js'
import {parseFeedTime} from '../../../src/lib/dataset/import/rss-parse.js'
import {readDataset} from '../../../src/lib/dataset/store.js'
import {generateDataset} from '../../../src/lib/dataset/synthetic/generate.js'
import {readTruth} from '../../../src/lib/dataset/synthetic/read-truth.js'
import {RecError} from '../../../src/lib/errors.js'
import type {Reporter} from '../../../src/lib/reporter.js'
import {runCli, tempDir} from '../../helpers/cli.js'

const RSS_WITH_GUID = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Tech Daily</title>
  <item>
    <title>Chips &amp; clouds</title>
    <guid isPermaLink="false">tech-1</guid>
    <link>https://www.techdaily.example/chips</link>
    <description><![CDATA[<p>New <b>silicon</b> &amp; cloud <a href="x">news</a></p><script>track()</script>]]></description>
    <category>Tech</category><category>Science</category>
    <dc:creator>Ada</dc:creator>
    <pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate>
  </item>
  <item>
    <title>Telescope finds a comet</title>
    <guid>https://techdaily.example/comet</guid>
    <description>&lt;em&gt;Astronomers&lt;/em&gt; were surprised &lt; 3 times</description>
    <category>science</category>
    <author>bob@techdaily.example (Bob Stone)</author>
    <pubDate>Tue, 02 Jan 2024 08:30:00 +0000</pubDate>
  </item>
  <item>
    <title>Phones get faster</title>
    <guid>tech-3</guid>
    <link>https://techdaily.example/phones</link>
    <description>Plain text</description>
    <category>TECH</category>
  </item>
</channel></rss>`

// No guids: ids hash the links; the first item is tech-1's story again (same link), the second a new one.
const RSS_WITHOUT_GUID = `<rss version="2.0"><channel><title>Mirror</title>
  <item><title>Chips and clouds (mirror)</title><link>https://www.techdaily.example/chips#comments</link><description>copy</description><category>Tech</category><category>Sports</category></item>
  <item><title>Final score</title><link>https://sports.example/final</link><description><![CDATA[<div>Late goal</div>]]></description><category>Sports</category><pubDate>2024-01-05T12:00:00</pubDate></item>
</channel></rss>`

const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Science Feed</title>
  <author><name>Feed Team</name></author>
  <entry>
    <title type="html">Fossil &lt;i&gt;discovery&lt;/i&gt;</title>
    <id>urn:uuid:fossil-1</id>
    <link rel="self" href="https://science.example/api/fossil"/>
    <link rel="alternate" href="https://science.example/fossil"/>
    <summary type="html">&lt;p&gt;Old bones&lt;/p&gt;</summary>
    <category term="Science" label="Science!"/>
    <published>2024-01-03T00:00:00Z</published>
  </entry>
  <entry>
    <title>Chips again</title>
    <id>tech-1</id>
    <link href="https://techdaily.example/chips-atom"/>
    <category term="Tech"/>
    <updated>2023-12-31T00:00:00Z</updated>
  </entry>
</feed>`

const MALFORMED = `<rss version="2.0"><channel><item><title>Broken</item></channel></rss>`

function writeFeeds(dir: string): {feeds: string; files: Record<string, string>} {
  const feeds = join(dir, 'feeds')
  mkdirSync(join(feeds, 'more'), {recursive: true})
  const files = {
    a: join(feeds, 'a.xml'),
    b: join(feeds, 'more', 'b.rss'),
    c: join(feeds, 'c.atom'),
    bad: join(feeds, 'more', 'broken.xml'),
  }
  writeFileSync(files.a, RSS_WITH_GUID)
  writeFileSync(files.b, RSS_WITHOUT_GUID)
  writeFileSync(files.c, ATOM)
  writeFileSync(files.bad, MALFORMED)
  writeFileSync(join(feeds, 'notes.txt'), 'not a feed: ignored in a folder')
  return {feeds, files}
}

const collect = () => {
  const warnings: string[] = []
  const reporter: Reporter = {info() {}, warn: (m) => warnings.push(m), progress: () => ({tick() {}, stop() {}})}
  return {warnings, reporter}
}

describe('htmlToText', () => {
  it('drops tags, comments and script bodies, decodes entities, keeps a lone "<" as text', () => {
    expect(htmlToText('<p>Hello <b>world</b>&nbsp;&amp; <!-- c --> more</p><style>p{}</style>')).toBe('Hello world & more')
    expect(htmlToText('a < b &lt; c &#233;t&#xE9; &bogus; x')).toBe('a < b < c été &bogus; x')
    expect(htmlToText('<img src="a>b"/>caption')).toBe('caption')
  })

  it('reads times without a zone as UTC', () => {
    expect(parseFeedTime('2024-01-05T12:00:00')).toBe(Date.UTC(2024, 0, 5, 12))
    expect(parseFeedTime('Mon, 01 Jan 2024 10:00:00')).toBe(Date.UTC(2024, 0, 1, 10))
    expect(parseFeedTime('not a date')).toBeUndefined()
  })
})

describe('importRss', () => {
  const root = tempDir('rec-rss-')

  it('reads RSS with and without guid and Atom, merges duplicates, strips HTML and assigns topics', async () => {
    const {feeds, files} = writeFeeds(join(root, 'one'))
    const {warnings, reporter} = collect()
    const out = join(root, 'one', 'news')
    const result = await importRss([feeds], {out, reporter})

    // the malformed file is skipped and named; the .txt file in the folder is never read
    expect(result.files).toBe(4)
    expect(result.skipped.map((s) => s.file)).toEqual([files.bad])
    expect(result.skipped[0].reason).toMatch(/broken\.xml line 1 column \d+: not well-formed XML/)
    expect(warnings.some((w) => w.includes('broken.xml'))).toBe(true)
    // 7 entries: tech-1 three times (RSS guid, mirror by link, Atom by id) -> 5 articles
    expect(result.entries).toBe(7)
    expect(result.articles).toBe(5)
    expect(result.duplicates).toBe(2)

    const dataset = await readDataset(out)
    expect(dataset.manifest.source.kind).toBe('rss')
    expect(dataset.manifest.counts).toMatchObject({users: 0, items: 5, interactions: 0})
    expect(dataset.manifest.features.items).toMatchObject({title: {kind: 'text'}, description: {kind: 'text'}, topic: {kind: 'categorical'}, categories: {kind: 'multi-categorical'}})
    const items = dataset.items
    const ids = getColumn(items, 'item_id', 'int64').values
    const row = (id: bigint) => ids.indexOf(id)
    const title = getColumn(items, 'title', 'utf8').values
    const description = getColumn(items, 'description', 'utf8').values
    const link = getColumn(items, 'link', 'utf8').values
    const domain = dictValues(getColumn(items, 'domain', 'dict'))
    const author = dictValues(getColumn(items, 'author', 'dict'))
    const topic = dictValues(getColumn(items, 'topic', 'dict'))
    const categories = getColumn(items, 'categories', 'list_utf8').values
    const published = getColumn(items, 'published_at', 'timestamp_ms')

    // ids: the guid when there is one, else the normalised link
    const chips = row(articleId('guid:tech-1'))
    const comet = row(articleId('guid:https://techdaily.example/comet'))
    const phones = row(articleId('guid:tech-3'))
    const fossil = row(articleId('guid:urn:uuid:fossil-1'))
    const final = row(articleId('link:https://sports.example/final'))
    expect([chips, comet, phones, fossil, final].every((r) => r >= 0)).toBe(true)
    expect(new Set(ids).size).toBe(5)

    // merged story: first non-empty fields in file order (a.xml < c.atom < more/b.rss), earliest time, union of categories
    expect(title[chips]).toBe('Chips & clouds')
    expect(description[chips]).toBe('New silicon & cloud news')
    expect(link[chips]).toBe('https://www.techdaily.example/chips')
    expect(domain[chips]).toBe('techdaily.example')
    expect(author[chips]).toBe('Ada')
    expect(published.values[chips]).toBe(Date.UTC(2023, 11, 31))
    expect(categories[chips]).toEqual(['tech', 'science', 'sports'])

    // HTML escaped in text and in CDATA; a permalink guid is the link; "email (name)" authors
    expect(description[comet]).toBe('Astronomers were surprised < 3 times')
    expect(link[comet]).toBe('https://techdaily.example/comet')
    expect(author[comet]).toBe('Bob Stone')
    expect(description[final]).toBe('Late goal')
    expect(published.values[final]).toBe(Date.UTC(2024, 0, 5, 12))
    expect(published.nulls?.[phones]).toBe(1)

    // Atom: the alternate link, the feed's author, HTML titles stripped
    expect(link[fossil]).toBe('https://science.example/fossil')
    expect(author[fossil]).toBe('Feed Team')
    expect(title[fossil]).toBe('Fossil discovery')

    // topics: categories carried by >= 2 articles (tech 2, science 3, sports 2); the most used of an item's
    expect(result.topics).toEqual(['science', 'sports', 'tech'])
    expect(topic[chips]).toBe('science')
    expect(topic[phones]).toBe('tech')
    expect(topic[final]).toBe('sports')
    expect(topic[fossil]).toBe('science')
  })

  it('gives the same bytes whatever order the files are named in', async () => {
    const {files} = writeFeeds(join(root, 'order'))
    const a = await importRss([files.a, files.b, files.c], {out: join(root, 'order', 'x')})
    const b = await importRss([files.c, files.a, files.b, files.a], {out: join(root, 'order', 'y')})
    expect(b.manifest.fingerprint).toBe(a.manifest.fingerprint)
  })

  it('refuses a malformed file with strict, writing nothing', async () => {
    const {feeds} = writeFeeds(join(root, 'strict'))
    const out = join(root, 'strict', 'news')
    const error = await importRss([feeds], {out, strict: true}).catch((e) => e)
    expect(error).toBeInstanceOf(RecError)
    expect(error.code).toBe('BAD_DATA')
    expect(error.message).toContain('broken.xml')
    await expect(readDataset(out)).rejects.toThrow(/does not exist/)
  })

  it('on the CLI: skips and names a malformed file; --strict exits 2 with one line', () => {
    const {feeds} = writeFeeds(join(root, 'cli'))
    const ok = runCli(['data', 'import', 'rss', feeds, '--out', join(root, 'cli', 'news'), '--json'])
    expect(ok.code).toBe(0)
    expect(ok.stderr).toMatch(/warning: skipped .*broken\.xml line 1/)
    expect(JSON.parse(ok.stdout)).toMatchObject({articles: 5, duplicates: 2, topics: ['science', 'sports', 'tech']})
    const strict = runCli(['data', 'import', 'rss', feeds, '--out', join(root, 'cli', 'strict'), '--strict'])
    expect(strict.code).toBe(2)
    expect(strict.stderr.trim().split('\n')).toHaveLength(1)
    expect(strict.stderr).toMatch(/^rec: error: .*broken\.xml line 1 column \d+: not well-formed XML/)
    const missing = runCli(['data', 'import', 'rss', join(root, 'nowhere'), '--out', join(root, 'cli', 'm')])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/^rec: error: .*nowhere does not exist/)
  })

  it('becomes a world with gen-data --items-from: its items are the articles', async () => {
    const {feeds} = writeFeeds(join(root, 'world'))
    const news = join(root, 'world', 'news')
    await importRss([feeds], {out: news})
    const source = await readDataset(news)
    const out = join(root, 'world', 'sim')
    const summary = await generateDataset(out, {itemsFrom: news, params: {users: 30, interactions: 3000, seed: 3}})
    expect(summary.counts.items).toBe(5)
    const world = await readDataset(out)
    const sourceIds = getColumn(source.items, 'item_id', 'int64').values
    const worldIds = getColumn(world.items, 'item_id', 'int64').values
    expect([...worldIds].sort()).toEqual([...sourceIds].sort())
    // the articles' own text and topics, row for row by id
    const byId = (table: typeof source.items, column: string) => {
      const ids = getColumn(table, 'item_id', 'int64').values
      const col = table[column]
      const values = col.type === 'dict' ? dictValues(col) : col.type === 'utf8' ? col.values : []
      return new Map(Array.from(ids, (id, r) => [id, values[r]]))
    }
    for (const column of ['title', 'description', 'link', 'topic']) expect(byId(world.items, column)).toEqual(byId(source.items, column))
    // rows in publication order (unknown times last): the world's creation times follow it
    const published = byId(source.items, 'title')
    expect(published.size).toBe(5)
    const created = getColumn(world.items, 'created_at', 'timestamp_ms').values
    for (let r = 1; r < created.length; r++) expect(created[r]).toBeGreaterThanOrEqual(created[r - 1])
    expect(worldIds[0]).toBe(articleId('guid:tech-1'))
    expect(worldIds.at(-1)).toBe(articleId('guid:tech-3'))
    // engagements are with those articles only, and the truth knows their topics
    const known = new Set(sourceIds)
    expect(getColumn(world.interactions, 'item_id', 'int64').values.every((id) => known.has(id))).toBe(true)
    expect(world.manifest.counts.interactions).toBe(3000)
    const truth = await readTruth(out)
    expect([...truth.topics].sort()).toEqual(['science', 'sports', 'tech'])
    expect([...truth.itemIds]).toEqual([...worldIds])
    expect(world.manifest.source.params.itemsFrom).toMatchObject({path: news, fingerprint: source.manifest.fingerprint})
  })

  it('refuses --items-from a dataset without topics, and --items that contradicts it', async () => {
    const {feeds} = writeFeeds(join(root, 'bad-world'))
    const news = join(root, 'bad-world', 'news')
    await importRss([feeds], {out: news})
    await expect(generateDataset(join(root, 'bad-world', 'w'), {itemsFrom: news, params: {items: 10}})).rejects.toThrow(/--items 10 conflicts with --items-from/)
    const one = join(root, 'bad-world', 'one')
    writeFileSync(join(root, 'bad-world', 'one.xml'), RSS_WITH_GUID.replace(/<category>[^<]*<\/category>/g, ''))
    await importRss([join(root, 'bad-world', 'one.xml')], {out: one})
    await expect(generateDataset(join(root, 'bad-world', 'w2'), {itemsFrom: one})).rejects.toThrow(/use 1 topic .*at least 2/)
  })
})
