// What full and sampled ranking evaluation share: users with held-out targets in, one value per user and metric out.
import {RecError} from '../../errors.js'
import {checkCsr, type Csr, maxKey} from '../../metrics/csr.js'
import {type Reporter} from '../../reporter.js'
import {type ScoreProvider} from './score-provider.js'

export interface PerUserEvalInput {
  scores: ScoreProvider
  /** User rows to evaluate, in output order. */
  users: Int32Array
  /** Item rows never ranked for a user (train history; never drawn as a sampled negative), indexed by user row. */
  exclude: Csr
  /** Held-out item rows per user row (one for leave-last-out, possibly several); users with none are skipped. */
  targets: Csr
  /** List lengths to report, e.g. [10, 50, 100]. */
  ks: readonly number[]
  reporter?: Reporter
}

export interface PerUserEvalResult {
  /** Sorted, distinct. */
  ks: number[]
  /** Rows of the evaluated users: the order of every perUser array, so two runs can be paired. */
  users: Int32Array
  perUser: Record<string, Float32Array>
  /** The mean of each perUser array, plus any metric without a per-user value. */
  mean: Record<string, number>
  usersEvaluated: number
  usersSkipped: number
}

/** Targets and exclusions must cover every user row and hold item rows below nItems. */
export function checkUsers(users: Int32Array, targets: Csr, exclude: Csr, nItems: number): void {
  const maxUser = maxKey(users, 'users')
  checkCsr(targets, 'targets', maxUser + 1, nItems)
  checkCsr(exclude, 'exclude', maxUser + 1, nItems)
}

/** The users with at least one target, in the given order; EMPTY when there are none. */
export function usersWithTargets(users: Int32Array, targets: Csr): Int32Array {
  const kept = users.filter((u) => targets.offsets[u + 1] > targets.offsets[u])
  if (kept.length === 0) {
    throw new RecError('EMPTY', `none of the ${users.length} users has a target`, {hint: 'check the split: evaluation needs held-out interactions'})
  }
  return kept
}
