// Checks an evaluation's flags against the dataset's catalogue before any table is read.
import {RecError} from '../errors.js'
import type {EvalProtocol} from './evaluate-model.js'
import type {ModelSpec} from './model-spec.js'

/** The second stage asked for with --ranker: a ranking checkpoint re-ranking each user's top `candidates`. */
export interface RankerOption {
  path: string
  candidates: number
}

/** The list lengths used when none are given, those within the catalogue. */
export const DEFAULT_KS = [10, 20, 50, 100] as const

/**
 * Sorted distinct ks (given ones must fit the catalogue; defaults are cut to it); throws
 * INVALID_ARGUMENT naming the bad value and the fix.
 */
export function checkEvalOptions(options: {models: ModelSpec[]; ks?: readonly number[]; protocol: EvalProtocol; ranker?: RankerOption}, items: number, datasetDir: string): number[] {
  if (options.models.length < 1 || options.models.length > 2) {
    throw new RecError('INVALID_ARGUMENT', `evaluate one model or compare two (got ${options.models.length})`)
  }
  const fitting = DEFAULT_KS.filter((k) => k <= items && (options.protocol.kind === 'full' || k <= options.protocol.negatives + 1))
  const given = options.ks ?? (fitting.length > 0 ? fitting : [Math.min(items, options.protocol.kind === 'full' ? items : options.protocol.negatives + 1)])
  if (given.length === 0) throw new RecError('INVALID_ARGUMENT', 'no K given', {hint: 'e.g. --k 10,20,50,100'})
  for (const k of given) {
    if (!(Number.isInteger(k) && k >= 1)) throw new RecError('INVALID_ARGUMENT', `K must be a positive integer (got ${k})`)
    if (k > items) throw new RecError('INVALID_ARGUMENT', `K=${k} is larger than the catalogue of ${items} items in ${datasetDir}`, {hint: `use K <= ${items}`})
  }
  const ks = [...new Set(given)].sort((a, b) => a - b)
  if (options.protocol.kind === 'sampled') {
    const {negatives} = options.protocol
    if (!(Number.isInteger(negatives) && negatives >= 1 && negatives < items)) {
      throw new RecError('INVALID_ARGUMENT', `sampled:${negatives}: the number of negatives must be an integer in [1, ${items - 1}]`)
    }
    const tooLarge = ks.find((k) => k > negatives + 1)
    if (tooLarge !== undefined) {
      throw new RecError('INVALID_ARGUMENT', `K=${tooLarge} is larger than a sampled list of ${negatives} negatives + 1 target`, {hint: `use K <= ${negatives + 1} or more negatives`})
    }
  }
  if (options.ranker) checkRankerOption(options.ranker, options, ks)
  return ks
}

/** The ranker re-orders full-ranking lists of retrieval checkpoints, at least as long as the longest K. */
function checkRankerOption(ranker: RankerOption, options: {models: ModelSpec[]; protocol: EvalProtocol}, ks: number[]): void {
  if (options.protocol.kind !== 'full') {
    throw new RecError('INVALID_ARGUMENT', `--ranker re-ranks full-ranking lists, and --protocol sampled:${options.protocol.negatives} has none`, {hint: 'drop --protocol (full ranking is the default)'})
  }
  const baseline = options.models.find((m) => m.kind === 'baseline')
  if (baseline?.kind === 'baseline') {
    throw new RecError('INVALID_ARGUMENT', `--ranker re-ranks a retrieval checkpoint's candidates, and model:${baseline.name} is a baseline`, {hint: 'evaluate a checkpoint: --ckpt DIR --ranker RANKER'})
  }
  if (!(Number.isInteger(ranker.candidates) && ranker.candidates >= 1)) throw new RecError('INVALID_ARGUMENT', `--candidates must be a positive integer (got ${ranker.candidates})`)
  const longest = ks.at(-1)!
  if (ranker.candidates < longest) {
    throw new RecError('INVALID_ARGUMENT', `--candidates ${ranker.candidates} is smaller than K=${longest}: the re-ranked list could not fill the longest K`, {hint: `use --candidates >= ${longest} or a smaller --k`})
  }
}
