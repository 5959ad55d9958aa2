// rec gen-data: writes a seeded synthetic Twitter-like dataset (with its ground truth) as a dataset directory.
import {Flags} from '@oclif/core'

import {loadConfig} from '../lib/config/load-config.js'
import {formatCount} from '../lib/dataset/manifest-summary.js'
import {SPLIT_METHODS, toSplitRequest} from '../lib/dataset/split-options.js'
import {generateDataset, type GenerateSummary} from '../lib/dataset/synthetic/generate.js'
import {toWorldParams, WorldOptionsSchema} from '../lib/dataset/synthetic/world-options.js'
import {RecCommand} from './_cli/rec-command.js'
import {flagOverrides, schemaFlags} from './_cli/schema-flags.js'
import {fractionFlags} from './data/_flags/split-flags.js'

export default class GenData extends RecCommand {
  static override summary = 'Generate a synthetic Twitter-like dataset with its ground truth.'

  static override description = `Users have a hidden interest mix over topics (Dirichlet), heavy-tailed activity (Pareto) and a home region; they follow each other by shared interests and preferential attachment. Items are posted by users, on topics drawn from their authors' interests, with a hidden quality; a few are unsafe (nsfw or toxic), which their observable features (media, hashtags, length) and author hint at noisily, and moderation labels are published for a --label-frac subset only (null elsewhere). Feed sessions then run in time order: impressions at list positions (only of items already posted), and clicks, long dwells, likes, reposts, replies, shares, follows of the author, skips, hides and reports, with probabilities driven by interest match, quality, recency, whether the author is followed, and position. Exactly --interactions rows are written (impressions included; about 70% are impressions). The truth (interests, true topics, quality, safety, response model) goes to truth/ inside the dataset.

Split: leave-last-out (default) is computed over engaged impressions, not rows: per user, the last impression that drew a positive event and everything after it -> test, the one before -> val, the rest -> train; so test targets, their impressions and their clicks never reach training. temporal-global cuts all rows at global time quantiles (--val-frac, --test-frac).

Every item gets a title: 4 to 9 words from its true topic's vocabulary mixed with noise words (drawn from a stream of their own, so the other columns are what they were without titles), for content-based models to read.

--items-from DATASET builds the world around that dataset's items (e.g. articles from rec data import rss): they keep their ids, topics and text columns (title, description, link, ...), in their publication order; simulated users with interests over those topics engage with them. --items and --topics then come from the dataset.

Same flags and seed give byte-identical files. The weight column is 1 on every row; positive events and their training weights are listed in dataset.json.`

  static override examples = [
    '<%= config.bin %> gen-data --out data/quickstart',
    '<%= config.bin %> gen-data --out data/world-1m --users 20000 --items 100000 --interactions 1000000 --seed 7',
    '<%= config.bin %> gen-data -o data/world-10m --users 100000 --items 1000000 --interactions 10000000 --days 30 --force',
    '<%= config.bin %> gen-data -o data/world-tg --split temporal-global --val-frac 0.1 --test-frac 0.1 --json',
    '<%= config.bin %> gen-data --items-from data/news --out data/news-world --users 2000 --interactions 200000',
  ]

  static override flags = {
    out: Flags.string({char: 'o', description: 'Dataset directory to write.', required: true}),
    ...schemaFlags(WorldOptionsSchema, {helpDefaults: true, props: {interactions: {char: 'n'}, items: {exclusive: ['items-from']}, topics: {exclusive: ['items-from']}}}),
    'items-from': Flags.directory({description: 'Dataset whose items (e.g. imported RSS articles) become the world\'s items; sets --items and --topics.', exists: true}),
    split: Flags.option({options: SPLIT_METHODS, description: 'How interactions are split by time.', default: 'leave-last-out' as const})(),
    ...fractionFlags,
    force: Flags.boolean({description: 'Replace an existing --out directory.', default: false}),
  }

  async run(): Promise<GenerateSummary> {
    const {flags} = await this.parse(GenData)
    const split = toSplitRequest(flags.split, flags['val-frac'], flags['test-frac'])
    // no config file: the schema fills in what was not given (the flags have already checked each value)
    const options = await loadConfig(WorldOptionsSchema, undefined, flagOverrides(WorldOptionsSchema, flags))
    const params = toWorldParams(options)
    // the catalogue sets the item and topic counts (the flags are exclusive with it, the schema default is not)
    if (flags['items-from']) {
      params.items = undefined
      params.topics = undefined
    }
    const summary = await generateDataset(flags.out, {
      params,
      itemsFrom: flags['items-from'],
      split,
      force: flags.force,
      reporter: this.reporter(),
    })
    const c = summary.counts
    this.say(
      `wrote ${summary.out}: ${formatCount(c.interactions)} interactions, ${formatCount(c.users)} users, ${formatCount(c.items)} items, ${formatCount(c.follows)} follows; ` +
        `${summary.split.method} split: train ${formatCount(c.train)}, val ${formatCount(c.val)}, test ${formatCount(c.test)}; fingerprint ${summary.fingerprint.slice(0, 16)} (${summary.seconds} s)`,
    )
    return summary
  }
}
