// Full-ranking evaluation of a two-tower model on a held-out task, through the shared metric code.
import {evaluateRanking, type RankingEvalResult} from '../../eval/engine/evaluate-ranking.js'
import {dotScoreProvider, type ScoreProvider} from '../../eval/engine/score-provider.js'
import type {RankingTask} from '../../features/holdout.js'
import type {Reporter} from '../../reporter.js'
import {embedItems, embedUsers} from './embed.js'
import type {TwoTowerModel} from './model.js'

/** Evaluates any score provider whose user index i is task.users[i] (CSR lists of the task are per i). */
export function evaluateTask(scores: ScoreProvider, task: RankingTask, ks: readonly number[], reporter?: Reporter): Promise<RankingEvalResult> {
  const users = Int32Array.from({length: task.users.length}, (_, i) => i)
  return evaluateRanking({scores, users, exclude: task.exclude, targets: task.targets, ks, reporter})
}

/** Embeds the task's users (reading the task's history) and every item, then ranks by inner product. */
export function evaluateTwoTower(model: TwoTowerModel, task: RankingTask, ks: readonly number[], reporter?: Reporter): Promise<RankingEvalResult> {
  const users = embedUsers(model, task.users, task.history)
  const items = embedItems(model)
  return evaluateTask(dotScoreProvider(users, items, model.dim), task, ks, reporter)
}

