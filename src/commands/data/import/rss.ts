// rec data import rss PATH... --out D: thin wrapper over importRss.
import {Args, Flags} from '@oclif/core'

import {FEED_EXTENSIONS, importRss, type RssImportResult} from '../../../lib/dataset/import/rss.js'
import {formatCount} from '../../../lib/dataset/manifest-summary.js'
import {RecCommand} from '../../_cli/rec-command.js'

export default class DataImportRss extends RecCommand {
  static override summary = 'Import RSS 2.0 / Atom feed files (or folders of them) from disk as a dataset of articles.'

  static override description = `Reads feed files already on disk (no network): every file named, and in each folder (recursively) every ${FEED_EXTENSIONS.join(', ')} file, as UTF-8. Each article keeps its title, description (HTML stripped), link, domain (the link's host without "www."), author, feed title, published time and categories (lower-cased). Its item_id is stable: the first 8 bytes of sha256 of its guid (Atom: id), or of its link when it has none, below 2^53. Entries with the same guid or link, in one file or across files, are one article: its fields are the first non-empty ones in file-name order, the earliest published time, the union of the categories. Each item gets a topic: the categories carried by at least --min-topic-items articles are topics (at most --max-topics, the most used first), an article's topic is the most used of its categories among them, else "other".

A malformed file (not well-formed XML, or neither <rss>, <feed> nor <rdf:RDF>) is reported by name and skipped; with --strict it fails the import (exit 2) and nothing is written. The dataset holds items only (users and interactions are empty): rec gen-data --items-from turns it into a world whose simulated users engage with these articles.`

  static override examples = [
    '<%= config.bin %> data import rss feeds/ --out data/news',
    '<%= config.bin %> data import rss bbc.xml nyt.atom archive/ --out data/news --max-topics 30 --strict',
    '<%= config.bin %> gen-data --items-from data/news --out data/news-world --users 2000 --interactions 200000',
  ]

  static override strict = false

  static override args = {
    path: Args.string({description: 'Feed files or folders of them', required: true}),
  }

  static override flags = {
    out: Flags.string({char: 'o', description: 'Dataset directory to create.', required: true}),
    strict: Flags.boolean({description: 'Fail on the first malformed file instead of skipping it.', default: false}),
    'max-topics': Flags.integer({description: 'At most this many categories become topics.', default: 50, min: 1, max: 1000}),
    'min-topic-items': Flags.integer({description: 'A category becomes a topic only when at least this many articles carry it.', default: 2, min: 1}),
    name: Flags.string({description: 'Dataset name in dataset.json.', default: 'rss'}),
    force: Flags.boolean({description: 'Replace an existing output directory.', default: false}),
  }

  async run(): Promise<RssImportResult & {out: string; seconds: number}> {
    const {argv, flags} = await this.parse(DataImportRss)
    const started = performance.now()
    const result = await importRss(argv as string[], {
      out: flags.out,
      strict: flags.strict,
      maxTopics: flags['max-topics'],
      minTopicItems: flags['min-topic-items'],
      name: flags.name,
      force: flags.force,
      reporter: this.reporter(),
    })
    const seconds = (performance.now() - started) / 1000
    this.say(
      `imported ${formatCount(result.articles)} articles from ${formatCount(result.entries)} entries in ${result.files - result.skipped.length} of ${result.files} files into ${flags.out} in ${seconds.toFixed(2)} s` +
        ` (${formatCount(result.duplicates)} duplicates merged${result.skipped.length ? `, ${result.skipped.length} malformed files skipped` : ''}); topics: ${result.topics.join(', ')}`,
    )
    return {out: flags.out, seconds, ...result}
  }
}
