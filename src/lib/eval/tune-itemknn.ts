// Chooses ItemKNN's neighbourhood size on the val split (train history), for evaluating test without leakage.
import {buildRankingTask} from '../features/holdout.js'
import {buildItemNeighbours} from '../models/baselines/item-neighbours.js'
import {itemKnnScores} from '../models/baselines/itemknn.js'
import {evaluateTask} from '../models/two-tower/evaluate.js'
import type {Reporter} from '../reporter.js'
import type {NeighbourChoice} from './built-model.js'
import type {EvalContext} from './eval-context.js'

/** The grid searched; sizes at or above the catalogue collapse to "every other item". */
export const NEIGHBOUR_GRID = [10, 20, 50, 100, 200] as const

/** Used without tuning (evaluating val itself). */
export const DEFAULT_NEIGHBOURS = 50

/** The grid clipped to the catalogue (nItems counts the OOV row, so nItems - 2 other real items). */
export function neighbourGrid(nItems: number): number[] {
  return [...new Set(NEIGHBOUR_GRID.map((n) => Math.max(1, Math.min(n, nItems - 2))))]
}

/**
 * Ranks every val user under each grid size (history = train, val targets) and keeps the size with
 * the best ndcg@k, the smaller size on a tie. Returns undefined when no user has a val target.
 */
export async function tuneNeighbours(ctx: EvalContext, k: number, reporter: Reporter): Promise<NeighbourChoice | undefined> {
  const valTask = buildRankingTask(ctx.positives, ctx.users.size, 'val')
  if (valTask.users.length === 0) return undefined
  const grid = neighbourGrid(ctx.items.size)
  const table = buildItemNeighbours(valTask.history, ctx.items.size, Math.max(...grid))
  const metric = `ndcg@${k}`
  const results: NeighbourChoice['grid'] = []
  for (const neighbours of grid) {
    const provider = itemKnnScores(table, neighbours, valTask.users, valTask.history)
    const value = (await evaluateTask(provider, valTask, [k])).mean[metric]
    results.push({neighbours, value})
    reporter.info(`itemknn: val ${metric} ${value.toFixed(4)} with ${neighbours} neighbours`)
  }
  const best = results.reduce((a, b) => (b.value > a.value ? b : a))
  return {chosen: best.neighbours, tunedOn: 'val', metric, grid: results}
}
