// Content source: the items whose TF-IDF vectors are closest to the user's profile (the content model, rec serve --content).
import {TopKSelector} from '../../kernels/top-k.js'
import {scoreProfile} from '../../models/content/scorer.js'
import {type Candidate, type CandidateSource, makeCandidate} from '../types.js'
import type {ContentProfiles} from '../world-content.js'

/**
 * Scores every content item against the profile through the term columns (only items sharing a term are
 * touched), drops seen and unserved items, and returns the best `quota` with a cosine above 0 as candidates
 * of their world rows. A user without positives has an empty profile and gets none (Popular covers cold start).
 */
export function contentSource(profiles: ContentProfiles): CandidateSource {
  const {model, worldRow, contentRow, unserved} = profiles.content
  const n = model.items.size
  const scores = new Float32Array(n)
  return {
    id: 'Content',
    async apply(query, quota) {
      const profile = profiles.profile(query)
      if (profile.n === 0) return []
      scoreProfile(model, profile, scores, 0)
      scores[0] = Number.NaN
      for (let i = 0; i < unserved.length; i++) scores[unserved[i]] = Number.NaN
      for (const row of query.seen) if (contentRow[row] > 0) scores[contentRow[row]] = Number.NaN
      const take = Math.min(quota, n)
      const rows = new Int32Array(take)
      new TopKSelector(take).select(scores, 0, n, rows, 0)
      const out: Candidate[] = []
      for (let j = 0; j < take; j++) {
        const c = rows[j]
        if (c < 0 || !(scores[c] > 0)) break
        out.push(makeCandidate(worldRow[c], 'Content', scores[c]))
      }
      return out
    },
    reason(query, c) {
      const term = profiles.topTerm(query, contentRow[c.row])
      if (!term) return 'picked for you'
      const eq = term.indexOf('=')
      return `matches your interest in ${eq > 0 ? `#${term.slice(eq + 1)}` : `"${term}"`}`
    },
  }
}
