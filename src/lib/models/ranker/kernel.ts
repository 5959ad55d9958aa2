// Request-time forward passes, one per arch: (one user, many candidates, one time) -> head probabilities.
import type {CrossStats} from '../../features/cross/cross-stats.js'
import {createDcnKernel} from './fast-dcn.js'
import {createDlrmKernel} from './fast-dlrm.js'
import {createLogregKernel} from './fast-logreg.js'
import {createMlpKernel} from './fast-mlp.js'
import type {RankerModel} from './model.js'

/**
 * Scores one request with the model's weights rearranged for it (parts that depend only on the
 * user computed once, item-only parts cached at load). Agrees with predictProbabilities on the
 * same pairs to float rounding.
 */
export interface RankerKernel {
  /** Probabilities [items.length, heads] of one user's candidates at time ts; offsets: one logit offset per candidate. */
  score(user: number, items: Int32Array, ts: number, retrieval: Float32Array | undefined, offsets?: Float32Array): Float32Array
  /** Releases the tensors the kernel made (never the model's). */
  dispose(): void
}

/** The kernel of the model's arch over item rows [0, nItems). */
export function createRankerKernel(model: RankerModel, stats: CrossStats, nItems: number): RankerKernel {
  switch (model.config.arch) {
    case 'mlp':
      // Without hidden layers an mlp is a dcn without cross layers: rows straight into the towers.
      return model.bottom.length > 0 ? createMlpKernel(model, stats, nItems) : createDcnKernel(model, stats, nItems)
    case 'dlrm':
      return createDlrmKernel(model, stats, nItems)
    case 'dcn':
      return createDcnKernel(model, stats, nItems)
    case 'logreg':
      return createLogregKernel(model, stats)
  }
}
