// HNSW parameters and their defaults, tuned with bench/index.bench.js on 64-d clustered vectors.
import {RecError} from '../errors.js'

export interface HnswParams {
  /** Links per node (M): more links, better recall, slower build, 8 more bytes per row per link. */
  connectivity: number
  /** Candidate list size while inserting (efConstruction). */
  expansionAdd: number
  /** Candidate list size while searching (ef); raised to k when k is larger. Can be changed at load. */
  expansionSearch: number
}

/**
 * 1M x 64 clustered (bench/index.bench.js): M 16 / efAdd 128 / ef 64 gives recall@10 0.99+ at a
 * p50 near 0.2 ms on one core; higher ef buys recall at a linear latency cost.
 */
export const DEFAULT_HNSW_PARAMS: HnswParams = {connectivity: 16, expansionAdd: 128, expansionSearch: 64}

/** Fills defaults and rejects values usearch would misread (it takes 0 as "use the default"). */
export function resolveHnswParams(partial: Partial<HnswParams> = {}): HnswParams {
  const params = {...DEFAULT_HNSW_PARAMS}
  for (const key of Object.keys(DEFAULT_HNSW_PARAMS) as (keyof HnswParams)[]) {
    const value = partial[key]
    if (value === undefined) continue
    const min = key === 'connectivity' ? 2 : 1
    if (!Number.isInteger(value) || value < min || value > 4096) {
      throw new RecError('INVALID_ARGUMENT', `${key} must be an integer in [${min}, 4096], got ${value}`)
    }
    params[key] = value
  }
  return params
}
