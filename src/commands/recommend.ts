import {availableParallelism} from 'node:os'

import {Flags} from '@oclif/core'

import {recommendAll, type RecommendAllSummary} from '../lib/batch/recommend-all.js'
import {parseTimestamp} from './_cli/flag-values.js'
import {RecCommand} from './_cli/rec-command.js'

export default class Recommend extends RecCommand {
  static override summary = "Precompute every user's feed (top-N) through the serving pipeline into a Parquet file."

  static override description = [
    "Runs the mixer pipeline rec serve runs (config/mixer.yaml or --config) for each user, as a feed of --k items for a user with no session, on worker threads (--workers), and writes topn.parquet: user_id int64, rank int32 (1 = first), item_id int64, score float32, source, reason, versions (JSON of the model versions), generated_at timestamp[ms]. A user's list is the feed the live server gives that user for the same k and seed before any interaction.",
    '--users all takes every user of the dataset\'s users.parquet, in its order; --users FILE a text or CSV file of ids (one a line, a header line allowed) or a Parquet file with a user_id column. An id the model does not know gets a cold-start list, as the live server serves it (counted in the summary); a repeated id gets one list.',
    'Determinism: the same inputs and seed give the same bytes. generated_at is the dataset\'s newest interaction time unless --generated-at says otherwise (an ISO time, or "now"); rec serve --topn serves a list while it is younger than --cache-max-age by the wall clock, so a replayed world\'s lists need --generated-at now or a long --cache-max-age.',
    'With --state DIR or --store URL the lists are also saved into that store, for rec serve --topn store (a user keeps the newest list: a recompute made since is not undone).',
  ].join('\n\n')

  static override examples = [
    '<%= config.bin %> recommend --retrieval ckpt/world --index index/world --dataset data/world --users all --k 100 --out topn.parquet',
    '<%= config.bin %> recommend --registry registry/ --alias production --ranking ckpt/ranker --dataset data/world --users active.txt --out topn.parquet --generated-at now',
    '<%= config.bin %> recommend --retrieval ckpt/world --dataset data/world --out topn.parquet --state state/ --json',
  ]

  static override flags = {
    retrieval: Flags.directory({description: 'Retrieval checkpoint directory.', exclusive: ['registry']}),
    index: Flags.directory({description: 'Index directory built from the retrieval checkpoint (default: exact index in memory).'}),
    ranking: Flags.directory({description: 'Heavy-ranker checkpoint; without it candidates are scored by retrieval cosine.'}),
    registry: Flags.directory({description: 'Registry directory: use the checkpoint an alias points to.', dependsOn: ['alias']}),
    alias: Flags.string({description: 'Registry alias (e.g. production).', dependsOn: ['registry']}),
    dataset: Flags.directory({char: 'd', description: 'Dataset directory the checkpoint was trained on.', required: true}),
    config: Flags.file({char: 'c', description: 'Mixer config YAML (the pipeline; default the built-in one).'}),
    users: Flags.string({description: 'all, or a file of user ids: text/CSV (one a line) or Parquet with a user_id column.', default: 'all'}),
    k: Flags.integer({min: 1, description: "Items per user (at most the mixer config's max-k).", default: 100}),
    out: Flags.string({char: 'o', description: 'Parquet file to write (atomically: a temp file renamed into place).', required: true}),
    force: Flags.boolean({description: 'Replace an existing --out file.', default: false}),
    seed: Flags.integer({min: 0, max: 4_294_967_295, description: "Every user's exploration seed (default: the live server's for a user without a session)."}),
    'generated-at': Flags.custom<number>({description: "generated_at of every list: an ISO time or now (default: the dataset's newest interaction).", helpValue: '<time>', parse: async (text) => parseTimestamp(text)})(),
    workers: Flags.integer({min: 0, max: 64, description: 'Pipeline worker threads (0 = run on the main thread).', default: availableParallelism()}),
    state: Flags.string({description: 'Also save the lists into the SQLite store of this state directory (rec serve --topn store).', exclusive: ['store']}),
    store: Flags.string({description: 'Also save the lists into this PostgreSQL store (rec serve --topn store).', exclusive: ['state']}),
  }

  async run(): Promise<RecommendAllSummary> {
    const {flags} = await this.parse(Recommend)
    const summary = await recommendAll({
      dataset: flags.dataset,
      retrieval: flags.retrieval,
      index: flags.index,
      ranking: flags.ranking,
      registry: flags.registry,
      alias: flags.alias,
      config: flags.config,
      users: flags.users,
      k: flags.k,
      out: flags.out,
      force: flags.force,
      seed: flags.seed,
      generatedAt: flags['generated-at'],
      workers: flags.workers,
      store: flags.state || flags.store ? {state: flags.state, store: flags.store} : undefined,
      reporter: this.reporter(),
    })
    const cold = summary.cold_start > 0 ? ` (${summary.cold_start} unknown to the model: cold-start lists)` : ''
    this.say(`wrote ${summary.out}: ${summary.users} users${cold}, ${summary.rows} rows, k ${summary.k}, generated_at ${summary.generated_at}`)
    this.say(`${summary.users_per_second} users/s on ${summary.workers} workers (load ${summary.load_seconds} s, run ${summary.run_seconds} s)${summary.store ? `; saved to ${summary.store}` : ''}`)
    return summary
  }
}
