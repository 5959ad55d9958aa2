// Health, readiness, metrics, and the token-protected admin routes (models, reload).
import type {FastifyInstance} from 'fastify'

import type {AppContext} from './app.js'
import type {Arms} from './arms.js'
import {HttpError} from './http-errors.js'
import {labelText} from './metrics.js'

export function registerAdminRoutes(app: FastifyInstance, context: AppContext): void {
  const {recommender, metrics} = context
  metrics.gauge(() => {
    const lines = ['# HELP rec_model_info Loaded model versions (value 1), per arm with an experiment.', '# TYPE rec_model_info gauge']
    const engines = recommender.arms ? recommender.arms.entries() : [[undefined, recommender.engine] as const]
    for (const [arm, engine] of engines) {
      for (const [kind, version] of Object.entries(engine.versions)) lines.push(`rec_model_info${labelText(arm === undefined ? {kind, version} : {arm, kind, version})} 1`)
    }
    return lines.join('\n')
  })
  const queued = context.queuedRuns
  if (queued) metrics.gauge(() => `# HELP rec_pipeline_queued_runs Feed runs waiting for a pipeline worker.\n# TYPE rec_pipeline_queued_runs gauge\nrec_pipeline_queued_runs ${queued()}`)

  app.get('/healthz', async () => ({status: 'ok'}))
  app.get('/readyz', async (_request, reply) => {
    const ready = context.ready?.() ?? true
    return reply.status(ready ? 200 : 503).send({status: ready ? 'ready' : 'not ready', loaded_at: recommender.engine.loadedAt})
  })
  app.get('/metrics', async (_request, reply) => reply.type('text/plain; version=0.0.4').send(metrics.render()))

  app.get('/admin/models', {preHandler: [context.authenticate]}, async () => ({
    versions: recommender.engine.versions,
    loaded_at: recommender.engine.loadedAt,
    sources: recommender.engine.pipeline.sources.map(({source, quota}) => ({id: source.id, quota})),
    skipped: recommender.engine.pipeline.skipped,
    online: recommender.online,
    ...(recommender.arms ? {experiment: describeArms(recommender.arms)} : {}),
  }))
  // the bandit of strategy=auto: each arm's pulls, mean reward and its 95% interval, as the server holds them now
  app.get('/admin/bandit', {preHandler: [context.authenticate]}, async () => {
    const bandit = recommender.bandit
    if (!bandit) throw new HttpError('NOT_FOUND', 'this server runs no bandit (no strategy is available to choose among)')
    return {...bandit.summary(), default_strategy: recommender.config.strategy}
  })
  app.post('/admin/reload', {preHandler: [context.authenticate]}, async () => {
    if (!context.reload) throw new HttpError('CONFLICT', 'this server was started without a reloadable model source')
    return {versions: await context.reload(), loaded_at: recommender.engine.loadedAt}
  })
}

/** Each arm with its share, the versions it serves (and where in the registry they came from), its pipeline's sources, and reroutes. */
function describeArms(arms: Arms) {
  const {router} = arms
  const reroutes = router.reroutes()
  return {
    id: router.id,
    control: router.control,
    arms: arms.entries().map(([name, engine]) => ({
      name,
      percent: router.experiment.arms.find((arm) => arm.name === name)!.percent,
      overrides: router.experiment.arms.find((arm) => arm.name === name)!.overrides ?? {},
      versions: engine.versions,
      ...(engine.registry ? {registry: engine.registry} : {}),
      loaded_at: engine.loadedAt,
      // arms with the same number share one copy of the models (weights, world, index)
      models: engine.id,
      sources: engine.pipeline.sources.map(({source, quota}) => ({id: source.id, quota})),
      skipped: engine.pipeline.skipped,
      ...(reroutes.some((r) => r.from === name) ? {rerouted_to: reroutes.find((r) => r.from === name)!.to} : {}),
    })),
    reroutes,
  }
}
