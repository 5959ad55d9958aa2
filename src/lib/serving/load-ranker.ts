// Loads the heavy ranker for serving: its scorer, its vocabularies and its checkpoint time.
import type {Dataset} from '../dataset/store.js'
import type {IdVocab} from '../features/vocab.js'
import {loadRanker} from '../models/ranker/load.js'
import {createRankingScorer, type RankingScorer} from '../models/ranker/scorer.js'

export interface ServingRanker {
  scorer: RankingScorer
  users: IdVocab
  items: IdVocab
  createdAt: string
}

export async function loadRankerScorer(dir: string, dataset: Dataset): Promise<ServingRanker> {
  const loaded = await loadRanker(dir, dataset)
  return {scorer: createRankingScorer(loaded), users: loaded.inputs.users, items: loaded.inputs.items, createdAt: loaded.manifest.createdAt}
}
