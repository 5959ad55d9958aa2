// A model ready to be ranked: its score provider over the task's users and what the report says about it.
import type {ScoreProvider} from './engine/score-provider.js'

/** How ItemKNN's neighbourhood size was chosen. */
export interface NeighbourChoice {
  chosen: number
  /** "val" when tuned there (test evaluation); null when fixed (val evaluation: tuning on it would leak). */
  tunedOn: 'val' | null
  /** The tuning metric, e.g. "ndcg@10" on val. */
  metric: string
  grid: {neighbours: number; value: number}[]
}

export interface BuiltModel {
  /** Checkpoint path + "@" + manifest createdAt, or "model:NAME" for a baseline. */
  id: string
  kind: 'checkpoint' | 'baseline'
  /** Short display name: the baseline's name or the checkpoint directory's base name. */
  name: string
  /** Provider index i scores the task's user task.users[i]. */
  provider: ScoreProvider
  path?: string
  createdAt?: string
  arch?: string
  /** The dataset fingerprint the checkpoint was trained on. */
  trainedOn?: string
  neighbours?: NeighbourChoice
  seed?: number
  /** Loud notes for the reader (fingerprint mismatch, different positive rule). */
  warnings: string[]
}
