// Runs a pipeline: sources in parallel under quotas (failing open by policy), then filters, scorers, selectors, side effects.
import {RecError} from '../errors.js'
import {type Candidate, type HomeQuery, NO_SCORES, type Pipeline, type StageRecord} from './types.js'

export interface PipelineResult {
  items: Candidate[]
  stages: StageRecord[]
  /** Candidates per source after quotas (before filters). */
  perSource: Record<string, number>
}

const elapsed = (start: number) => Math.round((performance.now() - start) * 1000) / 1000

export async function runPipeline(pipeline: Pipeline, query: HomeQuery): Promise<PipelineResult> {
  const stages: StageRecord[] = []
  const perSource: Record<string, number> = {}

  // --- sources, in parallel; a failing source fails the request unless its policy is fail-open.
  // Each is started in turn and computes until its first await, so `ms` is its own time on this
  // thread; `waitMs` is how long it kept the request waiting once all had started (~0 unless it awaits I/O).
  const own: number[] = []
  const pending = pipeline.sources.map(({source, quota}, i) => {
    const start = performance.now()
    let found: Promise<Candidate[]>
    try {
      found = source.apply(query, quota)
    } catch (error) {
      found = Promise.reject(error)
    }
    own[i] = elapsed(start)
    return found
  })
  const allStarted = performance.now()
  const fetched = await Promise.all(
    pipeline.sources.map(async ({source, quota}, i) => {
      try {
        const found = (await pending[i]).slice(0, quota)
        stages.push({stage: 'source', id: source.id, in: quota, out: found.length, ms: own[i], waitMs: elapsed(allStarted)})
        return found
      } catch (error) {
        if (pipeline.failOpen[source.id] !== 'always') throw error
        stages.push({stage: 'source', id: source.id, in: quota, out: 0, ms: own[i], waitMs: elapsed(allStarted), error: (error as Error).message})
        return []
      }
    }),
  )
  // pushed one by one: flat() and concat() take V8's generic paths here, ~0.1 ms for 5 x 100 candidates
  let candidates: Candidate[] = []
  for (const found of fetched) {
    for (const c of found) {
      candidates.push(c)
      perSource[c.source] = (perSource[c.source] ?? 0) + 1
    }
  }

  // --- filters, cheapest first
  for (const filter of pipeline.filters) {
    const start = performance.now()
    const {kept} = await filter.apply(query, candidates)
    stages.push({stage: 'filter', id: filter.id, in: candidates.length, out: kept.length, ms: elapsed(start)})
    candidates = kept
  }

  // --- scorers: one map per candidate, same order; `final` sets the score. Candidates are this
  // request's own objects, so they are updated in place (copying ~450 of them cost ~0.1 ms).
  for (const scorer of pipeline.scorers) {
    const start = performance.now()
    const maps = await scorer.apply(query, candidates)
    if (maps.length !== candidates.length) throw new RecError('MISMATCH', `scorer ${scorer.id} returned ${maps.length} score maps for ${candidates.length} candidates`)
    for (let i = 0; i < candidates.length; i++) {
      const c = candidates[i]
      // the first scorer's map becomes the candidate's scores: copying its keys cost ~20 us per feed
      c.scores = c.scores === NO_SCORES ? maps[i] : Object.assign(c.scores, maps[i])
      c.score = (maps[i].final ?? c.score) * (1 - c.penalty)
    }
    stages.push({stage: 'scorer', id: scorer.id, in: candidates.length, out: candidates.length, ms: elapsed(start)})
  }
  candidates.sort((a, b) => b.score - a.score || a.row - b.row)

  // --- selectors, in order
  for (const selector of pipeline.selectors) {
    const start = performance.now()
    const before = candidates.length
    candidates = selector.apply(query, candidates)
    stages.push({stage: 'selector', id: selector.id, in: before, out: candidates.length, ms: elapsed(start)})
  }

  // --- side effects never fail the request
  for (const effect of pipeline.sideEffects) {
    const start = performance.now()
    try {
      await effect.apply(query, candidates)
      stages.push({stage: 'side-effect', id: effect.id, in: candidates.length, out: candidates.length, ms: elapsed(start)})
    } catch (error) {
      stages.push({stage: 'side-effect', id: effect.id, in: candidates.length, out: candidates.length, ms: elapsed(start), error: (error as Error).message})
    }
  }
  return {items: candidates, stages, perSource}
}
