// What a response says of a shown candidate: its item id, source label, human reason and named scores.
import type {PipelineResult} from './run-pipeline.js'
import type {Candidate, HomeQuery, Pipeline} from './types.js'

export interface CandidateDescription {
  itemId: bigint
  /** The source id, with "+Explore" when the exploration slot moved it in. */
  source: string
  reason: string
}

export function describeCandidate(pipeline: Pipeline, query: HomeQuery, c: Candidate): CandidateDescription {
  const source = pipeline.sources.find((s) => s.source.id === c.source)?.source
  const reason = source ? source.reason(query, c) : 'picked for you'
  return {
    itemId: pipeline.items.id(c.row) ?? -1n,
    source: c.explored ? `${c.source}+Explore` : c.source,
    reason: c.explored ? `exploring: ${reason}` : reason,
  }
}

/** The candidate's value in every score column, in column order ({} before any scorer ran). */
export function namedScores(scores: PipelineResult['scores'], c: Candidate): Record<string, number> {
  const out: Record<string, number> = {}
  if (c.slot >= 0) for (const name in scores) out[name] = scores[name][c.slot]
  return out
}
