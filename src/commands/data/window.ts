// rec data window D --out D2 [--from X] [--until X] [--split ...]: thin wrapper over windowDataset.
import {Args, Flags} from '@oclif/core'

import type {DatasetManifest} from '../../lib/dataset/manifest.js'
import {formatCount, summarizeManifest} from '../../lib/dataset/manifest-summary.js'
import {SPLIT_METHODS, toSplitRequest} from '../../lib/dataset/split-options.js'
import {readManifest} from '../../lib/dataset/store.js'
import {windowDataset} from '../../lib/dataset/window.js'
import {parseTimeBound} from '../../lib/dataset/window-bounds.js'
import {fractionFlags} from './_flags/split-flags.js'
import {RecCommand} from '../_cli/rec-command.js'

export interface WindowSummary {
  out: string
  /** The resolved bounds as ISO times; null = open. */
  from: string | null
  until: string | null
  interactions: {kept: number; total: number}
  follows: {kept: number; total: number} | null
  split: {method: string; train: number; val: number; test: number}
  manifest: DatasetManifest
}

export default class DataWindow extends RecCommand {
  static override summary = 'Cut a dataset down to the interactions in a time window, re-split.'

  static override description = `Keeps the interactions with --from <= ts < --until and splits them anew (by default the way the source dataset was split). A bound is an ISO date or time (UTC unless an offset is given), epoch milliseconds, or a quantile of the interaction times: qP is the time of the interaction at position floor(P * n) in time order, so --until q0.5 and --from q0.5 cut the log into two halves that share no interaction (q1 lies past the last one). Users and items are kept whole: they are attributes, not events; an item published after --until has no interactions in the window anyway, and equal tables give every window the same id vocabularies. Follows made at or after --until are dropped (the window is the log as it stood then); earlier ones, even before --from, are kept because they still hold during the window. dataset.json records the window and the source dataset's fingerprint.

Use it to give 'rec train ranking --retrieval' a retrieval model that never saw the ranker's training events: train the retrieval model on an early window and the ranker on a later one.`

  static override examples = [
    '<%= config.bin %> data window data/world --until q0.5 --out data/world-early',
    '<%= config.bin %> data window data/world --from q0.5 --out data/world-late',
    '<%= config.bin %> train retrieval --dataset data/world-early --out ckpt/early',
    '<%= config.bin %> train ranking --dataset data/world-late --retrieval ckpt/early --out ckpt/ranker',
    '<%= config.bin %> data window data/ml100k --from 1998-01-01 --until 1998-03-01T12:00:00Z --split temporal-global --val-frac 0.1 --test-frac 0.2 --out data/ml100k-98 --json',
  ]

  static override args = {
    dataset: Args.string({description: 'Dataset directory', required: true}),
  }

  static override flags = {
    from: Flags.string({description: 'Keep interactions at or after this time: ISO date/time, epoch ms or a quantile like q0.5 [default: the first].'}),
    until: Flags.string({description: 'Keep interactions before this time (exclusive): ISO date/time, epoch ms or a quantile like q0.5 [default: past the last].'}),
    split: Flags.option({options: SPLIT_METHODS, description: 'How to split the window by time [default: as the source dataset is split].'})(),
    ...fractionFlags,
    out: Flags.string({char: 'o', description: 'Write the windowed dataset here.', required: true}),
    force: Flags.boolean({description: 'Replace an existing --out directory.', default: false}),
  }

  async run(): Promise<WindowSummary> {
    const {args, flags} = await this.parse(DataWindow)
    const from = flags.from === undefined ? undefined : parseTimeBound(flags.from, '--from')
    const until = flags.until === undefined ? undefined : parseTimeBound(flags.until, '--until')
    const fractions = flags['val-frac'] !== undefined || flags['test-frac'] !== undefined
    // fractions without --split go with the source's own method (read from its manifest, before any table)
    const method = flags.split ?? (fractions ? (await readManifest(args.dataset)).split.method : undefined)
    const split = method ? toSplitRequest(method, flags['val-frac'], flags['test-frac']) : undefined
    const result = await windowDataset(args.dataset, {from, until, split, out: flags.out, force: flags.force})
    const {manifest, interactions} = result
    const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString())
    const summary: WindowSummary = {
      out: flags.out,
      from: iso(result.fromMs),
      until: iso(result.untilMs),
      interactions,
      follows: result.follows ?? null,
      split: {method: manifest.split.method, train: manifest.counts.train, val: manifest.counts.val, test: manifest.counts.test},
      manifest,
    }
    this.say(
      `wrote ${flags.out}: window ${summary.from ?? 'start'} <= ts < ${summary.until ?? 'end'}, ${formatCount(interactions.kept)} of ${formatCount(interactions.total)} interactions kept; ` +
        `${summarizeManifest(manifest)}; fingerprint ${manifest.fingerprint.slice(0, 16)}`,
    )
    return summary
  }
}
