// --ranker: loads the ranking checkpoint, builds its stage, scores its heads, and says what the report keeps of it.
import {existsSync} from 'node:fs'
import {resolve} from 'node:path'

import type {CheckpointManifest} from '../checkpoint/manifest.js'
import {RETRIEVAL_SCORE} from '../features/cross/cross-features.js'
import {logregFeatureWeights} from '../models/ranker/logreg-weights.js'
import {disposeRanker} from '../models/ranker/model.js'
import {loadRetrievalFeature} from '../training/ranking/retrieval-feature.js'
import type {EvalContext} from './eval-context.js'
import {loadEvalRanker} from './ranker-checkpoint.js'
import {evaluateRankerHeads} from './ranker-heads.js'
import {createRankerStage, type RankerStage} from './ranker-stage.js'
import type {RankerSection} from './report-schema.js'

export interface RankerEvaluation {
  stage: RankerStage
  section: RankerSection
  warnings: string[]
  timing: {loadSeconds: number; headsSeconds: number}
  /** Releases the scorer and the model. */
  dispose(): void
}

/**
 * `checkpoints`: the retrieval checkpoints whose lists the stage will re-rank. A ranker reading
 * retrieval_score gets, per candidate, the score of the model whose list it re-ranks; its heads are
 * scored with the retrieval model it was trained with, or the first checkpoint when that one is gone
 * (with a warning either way the two differ).
 */
export async function prepareRankerEvaluation(path: string, manifest: CheckpointManifest, ctx: EvalContext, options: {candidates: number; checkpoints: string[]}): Promise<RankerEvaluation> {
  const t0 = performance.now()
  const ranker = await loadEvalRanker(path, manifest, ctx)
  const {loaded} = ranker
  const stage = createRankerStage(ranker, ctx, options.candidates)
  const warnings = [...ranker.warnings]
  const loadSeconds = (performance.now() - t0) / 1000

  const dispose = () => {
    stage.dispose()
    disposeRanker(loaded.model)
  }
  const t1 = performance.now()
  const retrievalScore = retrievalScoreSource(path, loaded.state.retrieval, loaded.model.cross.names.includes(RETRIEVAL_SCORE), options.checkpoints, warnings)
  let heads: RankerSection['heads']
  try {
    const feature = retrievalScore === null ? undefined : await loadRetrievalFeature(retrievalScore, ctx.dataset, loaded.inputs.users, loaded.inputs.items)
    heads = evaluateRankerHeads(ranker, ctx, feature)
  } catch (error) {
    dispose()
    throw error
  }
  const headsSeconds = (performance.now() - t1) / 1000

  const section: RankerSection = {
    path,
    id: `${path}@${manifest.createdAt}`,
    arch: manifest.arch,
    createdAt: manifest.createdAt,
    trainedOn: manifest.dataset.fingerprint,
    vocabFingerprint: manifest.vocabFingerprint,
    candidates: options.candidates,
    statsSplits: ranker.statsSplits,
    requestTime: `the user's first interaction in the ${ctx.split} split${loaded.stats.columns.createdAt ? '; candidates created after it are dropped' : ''}`,
    retrievalScore,
    fusion: Object.fromEntries(loaded.model.heads.map((h, k) => [h.name, loaded.model.fusion[k]])),
    ...(loaded.model.config.arch === 'logreg' ? {featureWeights: logregFeatureWeights(loaded.model)} : {}),
    heads,
  }
  return {
    stage,
    section,
    warnings,
    timing: {loadSeconds, headsSeconds},
    dispose,
  }
}

/**
 * Where the heads read retrieval_score from (null: the ranker reads none): the checkpoint it was
 * trained with, else the first evaluated one. Warns when that differs, or when a stage will feed it
 * another model's scores.
 */
function retrievalScoreSource(path: string, trained: string | undefined, reads: boolean, checkpoints: string[], warnings: string[]): string | null {
  if (!reads) return null
  const source = trained !== undefined && existsSync(trained) ? trained : checkpoints[0]
  if (source !== trained) warnings.push(`ranking checkpoint ${path} was trained reading ${RETRIEVAL_SCORE} from ${trained ?? 'a checkpoint it did not record'}, not found; its heads are scored with ${source}'s scores`)
  for (const parent of checkpoints) {
    if (trained !== undefined && resolve(parent) !== resolve(trained)) warnings.push(`ranking checkpoint ${path} was trained reading ${RETRIEVAL_SCORE} from ${trained}; re-ranking ${parent}'s candidates it reads ${parent}'s scores`)
  }
  return source
}
