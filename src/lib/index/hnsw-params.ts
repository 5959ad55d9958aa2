// HNSW parameters and their defaults, tuned with bench/index.bench.js on 64-d clustered vectors.
import {RecError} from '../errors.js'

/** How the graph stores its copy of the vectors: f16 halves memory, built 2x faster at 100k, and searched 1.3x (100k) to 1.6x (1M) faster as measured. */
export const HNSW_QUANTIZATIONS = ['f16', 'f32'] as const
export type HnswQuantization = (typeof HNSW_QUANTIZATIONS)[number]

export interface HnswParams {
  /** Links per node (M): more links, better recall, slower build; up to 2M links of 4 bytes per row (1M x M 16: 130 MB). */
  connectivity: number
  /** Candidate list size while inserting (efConstruction). */
  expansionAdd: number
  /** Candidate list size while searching (ef); raised to k when k is larger. Can be changed at load. */
  expansionSearch: number
  /** Scalar type of the graph's vectors; scores come back with its rounding (f16: about 1e-3). */
  quantization: HnswQuantization
}

type IntegerParam = Exclude<keyof HnswParams, 'quantization'>
const INTEGER_PARAMS: readonly IntegerParam[] = ['connectivity', 'expansionAdd', 'expansionSearch']

/**
 * Measured by bench/index.bench.js on 1M x 64 clustered vectors (10,000 topics), 1,000 queries, f16,
 * graph built on 2 threads (130-144 s, items.usearch 264 MB), idle 2-core machine, three builds:
 *   ef 64: recall@10 0.987-0.995, p50 0.16 ms;  ef 72: 0.992-0.996, 0.163-0.176 ms;
 *   ef 80: 0.997-0.998, 0.175-0.195 ms;  ef 96: 0.998, 0.222-0.226 ms.
 * ef 72 is the smallest that kept recall at or above 0.99. f32 storage, on the same machine under
 * load: 0.993 at ef 64 with p50 0.30 ms (f16 there: 0.991, 0.191 ms); at 100k f32 builds in 25 s
 * against 13 s (this EPYC has AVX and F16C, no AVX2; f16 halves the bytes each distance reads).
 * Measured with f32: efAdd 64 builds 2.4x faster but drops 1M recall at ef 64 to 0.974; vectors with
 * no structure (uniform on the sphere) reach only 0.47 at ef 64, so buildIndex's recall check warns
 * then, and a higher ef or an exact index is the remedy.
 */
export const DEFAULT_HNSW_PARAMS: HnswParams = {connectivity: 16, expansionAdd: 128, expansionSearch: 72, quantization: 'f16'}

/** Fills defaults and rejects values usearch would misread (it takes 0 as "use the default"). */
export function resolveHnswParams(partial: Partial<HnswParams> = {}): HnswParams {
  const params = {...DEFAULT_HNSW_PARAMS}
  for (const key of INTEGER_PARAMS) {
    const value = partial[key]
    if (value === undefined) continue
    const min = key === 'connectivity' ? 2 : 1
    if (!Number.isInteger(value) || value < min || value > 4096) {
      throw new RecError('INVALID_ARGUMENT', `${key} must be an integer in [${min}, 4096], got ${value}`)
    }
    params[key] = value
  }
  if (partial.quantization !== undefined) {
    if (!HNSW_QUANTIZATIONS.includes(partial.quantization)) {
      throw new RecError('INVALID_ARGUMENT', `quantization must be one of ${HNSW_QUANTIZATIONS.join(', ')}, got ${partial.quantization}`)
    }
    params.quantization = partial.quantization
  }
  return params
}
