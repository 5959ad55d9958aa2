// Source-score scorer: keeps each candidate's own source score (popularity, content cosine) as its score.
import type {Scorer} from '../types.js'

/** For strategies of one source whose score already ranks (Popular, Content): `final` is that score, unchanged. */
export const sourceScore: Scorer = {
  id: 'SourceScore',
  async apply(_query, candidates) {
    const final = Float64Array.from(candidates, (c) => c.sourceScore)
    return {source: final, final}
  },
}
