// Blend scorer (the hybrid strategy): a weighted sum of the two-tower, content and popularity scores, each scaled to [0, 1] over the pool.
import {gatherDots} from '../../kernels/dot.js'
import {scaleToUnit} from '../../kernels/normalize.js'
import {gatherSparseDots} from '../../kernels/sparse-dot.js'
import {candidateRows} from '../candidate-rows.js'
import type {HomeQuery, ScoreColumns, Scorer} from '../types.js'
import type {ContentProfiles} from '../world-content.js'
import type {ServingWorld} from '../world.js'

/** The blended scores by the strategy they come from. */
export const BLEND_PARTS = ['two_tower', 'content', 'popularity'] as const
export type BlendPart = (typeof BLEND_PARTS)[number]

type PartScore = (query: HomeQuery, rows: Int32Array) => ArrayLike<number>

/** The parts whose model is loaded: content needs --content; the others are always there. */
export function blendParts(world: ServingWorld, profiles: ContentProfiles | undefined): Partial<Record<BlendPart, PartScore>> {
  return {
    two_tower: (query, rows) => gatherDots(query.userVector, world.itemVectors, rows, world.dim),
    popularity: (_query, rows) => Float64Array.from(rows, (row) => world.popularity[row]),
    ...(profiles && {
      content: (query: HomeQuery, rows: Int32Array) => {
        profiles.profile(query)
        const {rows: csr} = profiles.content.model
        return gatherSparseDots(profiles.dense, csr.offsets, csr.terms, csr.values, Int32Array.from(rows, (row) => profiles.content.contentRow[row]))
      },
    }),
  }
}

/**
 * final = sum_p weight_p x scaled_p, scaled_p = part p's scores min-max scaled over the candidates (a pool
 * where a part is constant adds 0 for it). Min-max rather than raw: the cosine spans ~0.3, the content
 * cosine ~0.5 and decayed popularity counts in the tens, so raw weights would mean nothing. Each part's raw
 * score is also a named column (explain=true).
 */
export function blendScorer(weights: Partial<Record<BlendPart, number>>, parts: Partial<Record<BlendPart, PartScore>>): Scorer {
  const used = BLEND_PARTS.filter((p) => (weights[p] ?? 0) > 0 && parts[p])
  return {
    id: 'Blend',
    async apply(query, candidates) {
      const rows = candidateRows(candidates)
      const columns: ScoreColumns = {}
      const final = new Float64Array(rows.length)
      for (const part of used) {
        const raw = parts[part]!(query, rows)
        columns[part] = raw
        const scaled = scaleToUnit(raw)
        const w = weights[part]!
        for (let i = 0; i < final.length; i++) final[i] += w * scaled[i]
      }
      columns.final = final
      return columns
    },
  }
}
