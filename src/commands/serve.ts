import {availableParallelism} from 'node:os'

import {Flags} from '@oclif/core'

import {RecError} from '../lib/errors.js'
import {LOG_FORMATS} from '../lib/serving/log-destination.js'
import {parseDuration} from './_cli/flag-values.js'
import {startServer} from '../lib/serving/server.js'
import {RecCommand} from './_cli/rec-command.js'

export default class Serve extends RecCommand {
  static override summary = 'Serve recommendations over HTTP through the mixer pipeline.'
  static override description = [
    "Loads a retrieval checkpoint, its item index and the dataset, and serves /v1/recommendations, /v1/items/:id/similar and /v1/interactions. Interactions are stored in SQLite under --state, or in PostgreSQL with --store (several replicas share one database); with --online private each one adapts that user's vector at once.",
    'With --state every served feed slot is logged as an impression (batched: every 200 ms or 1,000 rows; a kill -9 loses at most the last unflushed batch, never an acknowledged interaction). An interaction is attributed to the feed whose request_id it sends, else to the latest impression of its (user, item) within --attribution-window.',
    'With --topn a user\'s precomputed list (rec recommend) is served while younger than --cache-max-age, after the request-time filters (the dataset history and session\'s seen and hidden items, safety); a missing or stale list, too few items left, or a request with explain, debug or seed gets the live pipeline. The feed says which in "served_from". Events listed in the mixer config\'s top-n.recompute-on queue a recompute of the user\'s list in the background (at most one per user per top-n.min-interval), into memory (a Parquet --topn) or the store (--topn store).',
    'Auth: /admin routes (models, reload) need a bearer token from REC_API_TOKENS (comma-separated); without tokens they answer 401. --require-auth asks for a token on /v1 routes too. --rate-limit N allows N requests per second (bursts of 2N) per valid token, or per client IP otherwise; beyond it 429 with retry-after.',
    'Experiments: --experiments FILE (config/experiments.yaml) splits users into arms by sha256(salt:id:user_id) -> bucket 0..9999 -> arm by cumulative percent, the same for every request and restart. Each arm serves a registry alias or version (needs --registry; an arm naming none serves --retrieval/--alias) and its mixer overrides; arms on the same models share one copy. Feeds then carry experiment and arm; ?arm=NAME forces an arm with an admin token. A bad file exits 2 with one line naming the field, before any model loads.',
    'Strategies: ?strategy=NAME serves one of the mixer config\'s named strategies (mixer, two_tower, popularity, content, hybrid by default; content and hybrid\'s content part need --content); strategy=auto lets a bandit (Thompson sampling or epsilon-greedy, seeded by --seed) choose per request, learning from the interactions attributed to its feeds; its state is in the store and GET /admin/bandit shows it. Feeds carry strategy (and strategy_probability when the bandit chose).',
    'Errors answer {"error": CODE, "message": ...} with one of rec\'s codes. Logs: one JSON line per request on stdout (--log-format pretty: readable lines on stderr). A busy --port exits 2 before loading; SIGTERM finishes in-flight requests and closes the store.',
  ].join('\n\n')

  static override examples = [
    '<%= config.bin %> serve --retrieval ckpt/world --index index/world --dataset data/world --state state/',
    '<%= config.bin %> serve --registry registry/ --alias production --dataset data/world --port 8080',
    'REC_DATABASE_URL=postgres://rec@db.internal/rec <%= config.bin %> serve --registry registry/ --alias production --dataset data/world --port 8081',
    '<%= config.bin %> serve --retrieval ckpt/world --index index/world --dataset data/world --state state/ --topn topn.parquet --cache-max-age 24h',
    'REC_API_TOKENS=secret <%= config.bin %> serve --retrieval ckpt/world --index index/world --dataset data/world --ranking ckpt/ranker --require-auth',
    '<%= config.bin %> serve --registry registry/ --experiments config/experiments.yaml --dataset data/world',
    '<%= config.bin %> serve --retrieval ckpt/world --index index/world --dataset data/world --content ckpt/world-content --state state/ --seed 7',
  ]

  static override enableJsonFlag = false

  static override flags = {
    retrieval: Flags.directory({description: 'Retrieval checkpoint directory.', exclusive: ['alias']}),
    index: Flags.directory({description: 'Index directory built from the retrieval checkpoint (default: exact index in memory).'}),
    dataset: Flags.directory({char: 'd', description: 'Dataset directory the checkpoint was trained on.', required: true}),
    ranking: Flags.directory({description: 'Heavy-ranker checkpoint; without it candidates are scored by retrieval cosine.'}),
    content: Flags.directory({description: 'Content (TF-IDF) checkpoint of rec train content: the Content source, the content and hybrid strategies, and /v1/items/:id/similar?by=content.'}),
    seed: Flags.integer({min: 0, max: 2 ** 32 - 1, description: "Seed of the strategy bandit's choices (strategy=auto): the same seed and request sequence give the same choices.", default: 1}),
    registry: Flags.directory({description: 'Registry directory: serve the checkpoint --alias points to (or the arms of --experiments name) and follow it.'}),
    alias: Flags.string({description: 'Registry alias to serve and follow.', dependsOn: ['registry']}),
    host: Flags.string({description: 'Listen address.', default: '127.0.0.1'}),
    port: Flags.integer({min: 0, max: 65535, description: 'Listen port (0 = any free port).', default: 8080}),
    config: Flags.file({char: 'c', description: 'Mixer config YAML.'}),
    experiments: Flags.string({description: 'Experiments YAML (see config/experiments.yaml): users split into arms by a hash of their id; each arm serves its own registry alias or version and mixer overrides.'}),
    state: Flags.string({description: 'Directory of the interaction and session store (SQLite); none = in memory only.', exclusive: ['store']}),
    store: Flags.string({description: 'PostgreSQL URL of a store shared by several replicas (default: REC_DATABASE_URL when --state is not given).', exclusive: ['state']}),
    online: Flags.option({options: ['private', 'none', 'global'] as const, description: "Online learning mode: none; private (each user's own delta on their vector); global (the same SGD steps also move the shared item rows, renormalised, which every user's scoring reads; the ANN index is not rebuilt, and pipelines run on the HTTP thread: --workers is ignored).", default: 'private'})(),
    'require-auth': Flags.boolean({description: 'Require a bearer token on /v1 routes too.', default: false}),
    'rate-limit': Flags.integer({min: 1, description: 'Requests per second per token or IP (burst = 2x).'}),
    'max-ts-skew': Flags.integer({min: 0, description: 'Seconds an interaction\'s ts may lie ahead of the server clock; later ones are refused with 422.', default: 86_400}),
    'attribution-window': Flags.custom<number>({
      description: 'An interaction sent without request_id is attributed to the latest feed that showed its item to its user this long before its ts (30m, 24h, 7d).',
      helpValue: '<duration>',
      parse: async (text) => parseDuration(text),
      default: 86_400_000,
      defaultHelp: async () => '24h',
    })(),
    'guardrail-interval': Flags.custom<number>({
      description: "With --experiments and a store: how often the experiment's guardrail is evaluated (it rolls a treatment whose CTR or conversion dropped back and reroutes its users to the control); 0 = only on POST /admin/guardrails/evaluate.",
      helpValue: '<duration>',
      parse: async (text) => (text === '0' ? 0 : parseDuration(text)),
      default: 60_000,
      defaultHelp: async () => '60s',
    })(),
    'log-format': Flags.option({options: LOG_FORMATS, description: 'json: one JSON line per request on stdout (human text stays on stderr); pretty: one human line per request on stderr.', default: 'json'})(),
    topn: Flags.string({
      description: 'Serve precomputed lists while fresh: a topn.parquet of rec recommend, or store (the lists in --state/--store, which recomputes update).',
      helpValue: '<file>|store',
    }),
    'cache-max-age': Flags.custom<number>({
      description: 'A cached list older than this (by its generated_at) is not served; the feed is computed live (30m, 24h, 7d).',
      helpValue: '<duration>',
      parse: async (text) => parseDuration(text),
      defaultHelp: async () => '24h',
    })(),
    workers: Flags.integer({min: 0, max: 64, description: 'Pipeline worker threads, each with its own copy of the models (0 = run pipelines on the HTTP thread).', default: availableParallelism()}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Serve)
    const tokens = (process.env.REC_API_TOKENS ?? '').split(',').map((t) => t.trim()).filter(Boolean)
    if (flags['require-auth'] && tokens.length === 0) throw new RecError('INVALID_ARGUMENT', '--require-auth needs REC_API_TOKENS (comma-separated bearer tokens)')
    if (flags['cache-max-age'] !== undefined && !flags.topn) throw new RecError('INVALID_ARGUMENT', '--cache-max-age applies to cached lists: give --topn FILE|store with it')
    const server = await startServer({
      dataset: flags.dataset,
      retrieval: flags.retrieval,
      index: flags.index,
      ranking: flags.ranking,
      content: flags.content,
      seed: flags.seed,
      registry: flags.registry,
      alias: flags.alias,
      experiments: flags.experiments,
      host: flags.host,
      port: flags.port,
      config: flags.config,
      state: flags.state,
      store: flags.store,
      online: flags.online,
      requireAuth: flags['require-auth'],
      tokens,
      rateLimit: flags['rate-limit'] ? {perSecond: flags['rate-limit'], burst: 2 * flags['rate-limit']} : undefined,
      workers: flags.workers,
      logFormat: flags['log-format'],
      maxTsSkewMs: flags['max-ts-skew'] * 1000,
      attributionWindowMs: flags['attribution-window'],
      guardrailIntervalMs: flags['guardrail-interval'],
      topn: flags.topn,
      cacheMaxAgeMs: flags['cache-max-age'],
    })
    this.say(`listening on ${server.url}`)
    await new Promise<void>((resolve) => {
      const stop = () => void server.close().then(resolve)
      process.once('SIGTERM', stop)
      process.once('SIGINT', stop)
    })
  }
}
