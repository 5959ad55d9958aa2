// recall@k of an index against exact search on given query vectors; warns when it falls under 0.95.
import {RecError} from '../errors.js'
import {silentReporter, type Reporter} from '../reporter.js'
import {checkQueries, type TopK} from './top-k.js'

/** Below this recall@k, results visibly differ from exact search: raise expansionSearch or connectivity. */
export const MIN_RECALL = 0.95

export interface RecallReport {
  k: number
  /** Mean over queries of |index top-k ∩ exact top-k| / |exact top-k|, in [0, 1]. */
  recall: number
  queries: number
  /** Wall time of the index's searches alone, per query, in ms (one thread each). */
  indexMsPerQuery: number
}

/**
 * Runs every query [n, dim] through both indexes in blocks of 50 (3-6 s of exact search at 1M x 64)
 * so progress is reported.
 */
export function measureRecall(index: TopK, exact: TopK, queries: Float32Array, k = 10, reporter: Reporter = silentReporter): RecallReport {
  if (!exact.isExact) throw new RecError('INVALID_ARGUMENT', 'recall must be measured against an exact index')
  if (index.dim !== exact.dim || index.size !== exact.size) {
    throw new RecError('MISMATCH', `index (${index.size} x ${index.dim}) and exact index (${exact.size} x ${exact.dim}) hold different rows`)
  }
  const n = checkQueries(queries, index.dim, k)
  const block = 50
  const bar = reporter.progress(`recall@${k}`, n)
  let sum = 0
  let indexMs = 0
  try {
    for (let start = 0; start < n; start += block) {
      const slice = queries.subarray(start * index.dim, Math.min(n, start + block) * index.dim)
      const truth = exact.searchBatch(slice, k)
      for (let i = 0; i < truth.length; i++) {
        const query = slice.subarray(i * index.dim, (i + 1) * index.dim)
        const t0 = performance.now()
        const found = index.search(query, k)
        indexMs += performance.now() - t0
        if (truth[i].rows.length === 0) {
          sum += 1
          continue
        }
        const expected = new Set(truth[i].rows)
        let hits = 0
        for (const row of found.rows) if (expected.has(row)) hits++
        sum += hits / truth[i].rows.length
      }
      bar.tick(truth.length)
    }
  } finally {
    bar.stop()
  }
  const report: RecallReport = {k, recall: sum / n, queries: n, indexMsPerQuery: indexMs / n}
  if (report.recall < MIN_RECALL) {
    reporter.warn(
      `recall@${k} ${report.recall.toFixed(3)} on ${n} queries is under ${MIN_RECALL}: raise expansionSearch (or connectivity and rebuild), or build an exact index`,
    )
  }
  return report
}
