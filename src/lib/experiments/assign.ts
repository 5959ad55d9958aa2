// The experiment router: each user's arm by bucket (assign), and guardrail reroutes that send an arm's users to another arm.
import {RecError} from '../errors.js'
import {type BucketRange, bucketOf, bucketRanges, rangeOf} from './bucket.js'

/** What the router needs of an experiment (config.ts's Experiment is one). */
export interface RoutedExperiment {
  id: string
  salt: string
  /** In order; the first is the control. */
  /** `overrides` (the arm's mixer overrides) is only shown, e.g. by /admin/models. */
  arms: readonly {name: string; percent: number; overrides?: Record<string, unknown>}[]
}

/** A user's arm by bucket alone: the same for every request, process and restart. */
export interface Assignment {
  experiment: string
  arm: string
  bucket: number
}

/** The arm a request is served: the assigned one, a reroute's target, or an arm forced by an admin. */
export interface Route extends Assignment {
  /** The assigned arm when a reroute serves the user `arm` instead. */
  reroutedFrom?: string
  /** The arm was forced (?arm=NAME): reroutes do not apply. */
  forced?: boolean
}

export interface Reroute {
  experiment: string
  from: string
  to: string
  /** ISO time the reroute was made. */
  at: string
}

/**
 * Routes users of one experiment. Reroutes live in this object (not on disk): they hold from the next
 * request on, until lifted or until the server restarts; whoever decides them (the guardrail) records them.
 */
export class ExperimentRouter {
  private readonly ranges: BucketRange[]
  private readonly names: string[]
  /** from arm -> reroute */
  private readonly rerouted = new Map<string, Reroute>()

  constructor(readonly experiment: RoutedExperiment) {
    this.names = experiment.arms.map((arm) => arm.name)
    this.ranges = bucketRanges(experiment.arms.map((arm) => arm.percent))
    if (this.ranges.at(-1)?.end !== 10_000) throw new RecError('INVALID_ARGUMENT', `experiment ${experiment.id}: the arms' percents must sum to 100`)
  }

  get id(): string {
    return this.experiment.id
  }

  /** The first arm. */
  get control(): string {
    return this.names[0]
  }

  get arms(): readonly string[] {
    return this.names
  }

  assign(userId: bigint): Assignment {
    const bucket = bucketOf(this.experiment.salt, this.experiment.id, userId)
    return {experiment: this.experiment.id, arm: this.names[rangeOf(this.ranges, bucket)], bucket}
  }

  /** The arm to serve: `forced` when given (INVALID_ARGUMENT naming an unknown arm), else the assigned arm after reroutes. */
  route(userId: bigint, forced?: string): Route {
    const assigned = this.assign(userId)
    if (forced !== undefined) {
      this.check(forced, 'arm')
      return {...assigned, arm: forced, forced: true}
    }
    const to = this.rerouted.get(assigned.arm)?.to
    return to === undefined ? assigned : {...assigned, arm: to, reroutedFrom: assigned.arm}
  }

  /**
   * Serves `fromArm`'s users `toArm` from the next request on (a guardrail sends them to the control);
   * `toArm` equal to `fromArm` lifts the reroute. Refuses a reroute whose target is itself rerouted, or one
   * that would leave an arm's users without an arm of their own (a target already rerouted away).
   */
  reroute(experimentId: string, fromArm: string, toArm: string): void {
    if (experimentId !== this.experiment.id) throw new RecError('NOT_FOUND', `experiment "${experimentId}" is not served here (serving: ${this.experiment.id})`)
    this.check(fromArm, 'fromArm')
    this.check(toArm, 'toArm')
    if (fromArm === toArm) return void this.rerouted.delete(fromArm)
    if (this.rerouted.has(toArm)) throw new RecError('CONFLICT', `arm ${toArm} is itself rerouted to ${this.rerouted.get(toArm)!.to}`, {hint: `reroute ${fromArm} to ${this.rerouted.get(toArm)!.to}, or lift the reroute of ${toArm} first`})
    for (const reroute of this.rerouted.values()) {
      if (reroute.to === fromArm) throw new RecError('CONFLICT', `arm ${reroute.from} is rerouted to ${fromArm}`, {hint: `reroute ${reroute.from} elsewhere first`})
    }
    this.rerouted.set(fromArm, {experiment: experimentId, from: fromArm, to: toArm, at: new Date().toISOString()})
  }

  /** The reroutes in force, in the order they were made. */
  reroutes(): Reroute[] {
    return [...this.rerouted.values()].map((reroute) => ({...reroute}))
  }

  private check(arm: string, what: string): void {
    if (!this.names.includes(arm)) throw new RecError('INVALID_ARGUMENT', `${what} "${arm}" is not an arm of experiment ${this.experiment.id} (arms: ${this.names.join(', ')})`)
  }
}
