// The guardrails of the served experiment inside rec serve: on a timer, on POST /admin/guardrails/evaluate, and at start (stored reroutes).
import type {ExperimentRouter} from '../experiments/assign.js'
import {enforceGuardrails, type GuardedExperiment, type GuardrailRun} from '../experiments/guardrail.js'
import type {Store} from '../store/types.js'

export interface GuardrailRunnerOptions {
  store: Store
  registry?: string
  experiment: GuardedExperiment
  router: ExperimentRouter
}

/**
 * One evaluation at a time (a timer tick during a slow one waits for it rather than racing it). After
 * each, the reroutes in the store (this replica's and any other's) are applied to the router, so the
 * users of a rolled-back arm get the control from their next request on every replica.
 */
export class GuardrailRunner {
  /** Called with each run's counts (the app adds them to rec_guardrail_*_total). */
  onRun?: (counts: GuardrailRun['counts']) => void
  private running: Promise<GuardrailRun> | undefined
  private timer: NodeJS.Timeout | undefined

  constructor(private readonly options: GuardrailRunnerOptions) {}

  /** Applies the reroutes the store holds for this experiment. */
  async applyStoredReroutes(): Promise<void> {
    const {router, store, experiment} = this.options
    const known = new Set(router.reroutes().map((r) => `${r.from}\u0000${r.to}`))
    for (const r of await store.reroutes()) {
      if (r.experiment !== experiment.id || known.has(`${r.fromArm}\u0000${r.toArm}`)) continue
      router.reroute(r.experiment, r.fromArm, r.toArm)
    }
  }

  evaluate(now = Date.now()): Promise<GuardrailRun> {
    this.running ??= (async () => {
      try {
        const run = await enforceGuardrails({store: this.options.store, registry: this.options.registry, experiments: [this.options.experiment], now})
        this.onRun?.(run.counts)
        await this.applyStoredReroutes()
        return run
      } finally {
        this.running = undefined
      }
    })()
    return this.running
  }

  /** Evaluates every `intervalMs`; a failed run is reported to `onError`, never thrown. */
  start(intervalMs: number, onError: (error: unknown) => void): void {
    this.timer = setInterval(() => void this.evaluate().catch(onError), intervalMs)
    this.timer.unref()
  }

  async stop(): Promise<void> {
    clearInterval(this.timer)
    await this.running?.catch(() => undefined)
  }
}
