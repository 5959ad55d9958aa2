// rec gen-data: writes a seeded synthetic Twitter-like dataset (with its ground truth) as a dataset directory.
import {Flags} from '@oclif/core'

import {formatCount} from '../lib/dataset/manifest-summary.js'
import {SPLIT_METHODS, toSplitRequest} from '../lib/dataset/split-options.js'
import {generateDataset, type GenerateSummary} from '../lib/dataset/synthetic/generate.js'
import {DEFAULT_WORLD} from '../lib/dataset/synthetic/params.js'
import {RecError} from '../lib/errors.js'
import {RecCommand} from './_cli/rec-command.js'
import {fractionFlags} from './data/_flags/split-flags.js'

/** Fractions are read as text and parsed here, so that a bad value is one RecError line like any other. */
function parseNumber(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback
  const value = text.trim() === '' ? Number.NaN : Number(text)
  if (!Number.isFinite(value)) throw new RecError('INVALID_ARGUMENT', `--${flag} ${JSON.stringify(text)} is not a number`, {hint: 'e.g. 0.05'})
  return value
}

export default class GenData extends RecCommand {
  static override summary = 'Generate a synthetic Twitter-like dataset with its ground truth.'

  static override description = `Users have a hidden interest mix over topics (Dirichlet), heavy-tailed activity (Pareto) and a home region; they follow each other by shared interests and preferential attachment. Items are posted by users, on topics drawn from their authors' interests, with a hidden quality; a few are unsafe (nsfw or toxic), which their observable features (media, hashtags, length) and author hint at noisily, and moderation labels are published for a --label-frac subset only (null elsewhere). Feed sessions then run in time order: impressions at list positions (only of items already posted), and clicks, long dwells, likes, reposts, replies, shares, follows of the author, skips, hides and reports, with probabilities driven by interest match, quality, recency, whether the author is followed, and position. Exactly --interactions rows are written (impressions included; about 70% are impressions). The truth (interests, true topics, quality, safety, response model) goes to truth/ inside the dataset.

Split: leave-last-out (default) is computed over engaged impressions, not rows: per user, the last impression that drew a positive event and everything after it -> test, the one before -> val, the rest -> train; so test targets, their impressions and their clicks never reach training. temporal-global cuts all rows at global time quantiles (--val-frac, --test-frac).

Same flags and seed give byte-identical files. The weight column is 1 on every row; positive events and their training weights are listed in dataset.json.`

  static override examples = [
    '<%= config.bin %> gen-data --out data/quickstart',
    '<%= config.bin %> gen-data --out data/world-1m --users 20000 --items 100000 --interactions 1000000 --seed 7',
    '<%= config.bin %> gen-data -o data/world-10m --users 100000 --items 1000000 --interactions 10000000 --days 30 --force',
    '<%= config.bin %> gen-data -o data/world-tg --split temporal-global --val-frac 0.1 --test-frac 0.1 --json',
  ]

  static override flags = {
    out: Flags.string({char: 'o', description: 'Dataset directory to write.', required: true}),
    users: Flags.integer({description: 'Number of users.', default: DEFAULT_WORLD.users, min: 2}),
    items: Flags.integer({description: 'Number of items (posts).', default: DEFAULT_WORLD.items, min: 2}),
    interactions: Flags.integer({char: 'n', description: 'Interaction rows to generate, impressions included (up to 20,000,000).', default: DEFAULT_WORLD.interactions, min: 1}),
    days: Flags.integer({description: 'Length of the interaction window in days.', default: DEFAULT_WORLD.days, min: 1}),
    topics: Flags.integer({description: `Number of topics, at most --items and 1000 [default: ${DEFAULT_WORLD.topics}, or --items if fewer].`, min: 2}),
    seed: Flags.integer({description: 'Random seed: same seed and flags, same files.', default: DEFAULT_WORLD.seed, min: 0}),
    follows: Flags.integer({description: `Mean accounts each user follows before the window [default: ${DEFAULT_WORLD.followsPerUser}, or --users - 1 if fewer].`, min: 0}),
    'unsafe-frac': Flags.string({description: `Approximate share of unsafe (nsfw or toxic) items, 0 to 0.5 [default: ${DEFAULT_WORLD.unsafeFrac}].`}),
    'label-frac': Flags.string({description: `Share of items whose moderation labels are published, 0 to 1 [default: ${DEFAULT_WORLD.labelFrac}].`}),
    split: Flags.option({options: SPLIT_METHODS, description: 'How interactions are split by time.', default: 'leave-last-out' as const})(),
    ...fractionFlags,
    force: Flags.boolean({description: 'Replace an existing --out directory.', default: false}),
  }

  async run(): Promise<GenerateSummary> {
    const {flags} = await this.parse(GenData)
    const split = toSplitRequest(flags.split, flags['val-frac'], flags['test-frac'])
    const summary = await generateDataset(flags.out, {
      params: {
        users: flags.users,
        items: flags.items,
        interactions: flags.interactions,
        days: flags.days,
        topics: flags.topics,
        seed: flags.seed,
        followsPerUser: flags.follows,
        unsafeFrac: parseNumber('unsafe-frac', flags['unsafe-frac'], DEFAULT_WORLD.unsafeFrac),
        labelFrac: parseNumber('label-frac', flags['label-frac'], DEFAULT_WORLD.labelFrac),
      },
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
