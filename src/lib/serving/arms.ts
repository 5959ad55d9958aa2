// An experiment's arms as served: arm name -> engine, and the router that picks a user's arm per request.
import {RecError} from '../errors.js'
import type {ExperimentRouter, Route} from '../experiments/assign.js'
import type {ServingEngine} from './serving-engine.js'

/**
 * The engine of every arm of the served experiment. Arms with the same models hold engines built on one
 * ServingModels (same weights, world and index; their own pipeline). Swapping an arm's engine (its alias
 * moved) leaves the others alone; requests already running keep the engine they started with.
 */
export class Arms {
  private readonly engines: Map<string, ServingEngine>

  constructor(
    readonly router: ExperimentRouter,
    engines: ReadonlyMap<string, ServingEngine>,
  ) {
    const missing = router.arms.filter((arm) => !engines.has(arm))
    if (missing.length > 0) throw new RecError('INVALID_ARGUMENT', `no engine for arm ${missing.join(', ')} of experiment ${router.id}`)
    this.engines = new Map(engines)
  }

  /** The control's engine: what requests without a user (similar items) and /admin/models' top level use. */
  get control(): ServingEngine {
    return this.engines.get(this.router.control)!
  }

  engine(arm: string): ServingEngine {
    const engine = this.engines.get(arm)
    if (!engine) throw new RecError('INVALID_ARGUMENT', `"${arm}" is not an arm of experiment ${this.router.id} (arms: ${this.router.arms.join(', ')})`)
    return engine
  }

  /** The route (assigned arm, reroute, or `forced`) and the engine that serves it. */
  pick(userId: bigint, forced?: string): {route: Route; engine: ServingEngine} {
    const route = this.router.route(userId, forced)
    return {route, engine: this.engine(route.arm)}
  }

  /** Puts `engine` in place of `arm`'s; returns the engine it replaced (for the caller to retire). */
  swap(arm: string, engine: ServingEngine): ServingEngine {
    const previous = this.engine(arm)
    this.engines.set(arm, engine)
    return previous
  }

  /** Arm names and engines, in arm order. */
  entries(): [string, ServingEngine][] {
    return this.router.arms.map((arm) => [arm, this.engines.get(arm)!])
  }
}
