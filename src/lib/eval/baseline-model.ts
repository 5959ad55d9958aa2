// Built-in baselines as real score providers over the task's users: most-popular, ItemKNN and random.
import {buildItemNeighbours} from '../models/baselines/item-neighbours.js'
import {itemKnnScores} from '../models/baselines/itemknn.js'
import {popularityScores} from '../models/baselines/popular.js'
import {randomScores} from '../models/baselines/random.js'
import type {Reporter} from '../reporter.js'
import type {BuiltModel, NeighbourChoice} from './built-model.js'
import type {EvalContext} from './eval-context.js'
import type {BaselineName} from './model-spec.js'
import {DEFAULT_NEIGHBOURS, neighbourGrid, tuneNeighbours} from './tune-itemknn.js'

export interface BaselineOptions {
  seed: number
  /** ItemKNN is tuned on ndcg@tuneK. */
  tuneK: number
  reporter: Reporter
}

/**
 * popular: history-split interaction counts (train; train+val for test). random: seeded uniform.
 * itemknn: cosine neighbours over the history split's positives; the neighbourhood size is tuned on
 * val when evaluating test and fixed at DEFAULT_NEIGHBOURS when evaluating val.
 */
export async function buildBaseline(name: BaselineName, ctx: EvalContext, options: BaselineOptions): Promise<BuiltModel> {
  const base = {id: `model:${name}`, kind: 'baseline' as const, name, warnings: [] as string[]}
  const {task} = ctx
  switch (name) {
    case 'popular':
      return {...base, provider: popularityScores(ctx.historyCounts)}
    case 'random':
      return {...base, provider: randomScores(ctx.items.size, task.users, options.seed), seed: options.seed}
    case 'itemknn': {
      let choice = ctx.split === 'test' ? await tuneNeighbours(ctx, options.tuneK, options.reporter) : undefined
      if (!choice) {
        const fixed = Math.min(DEFAULT_NEIGHBOURS, Math.max(...neighbourGrid(ctx.items.size)))
        choice = {chosen: fixed, tunedOn: null, metric: `ndcg@${options.tuneK}`, grid: []} satisfies NeighbourChoice
        if (ctx.split === 'test') base.warnings.push(`itemknn: no val targets to tune on; using ${fixed} neighbours`)
      }
      const table = buildItemNeighbours(task.history, ctx.items.size, choice.chosen)
      return {...base, provider: itemKnnScores(table, choice.chosen, task.users, task.history), neighbours: choice}
    }
  }
}
