// A ranking checkpoint for the second stage of `rec eval`: its kind, its fit to the dataset, then the loaded ranker.
import {readCheckpointManifest} from '../checkpoint/checkpoint-io.js'
import type {CheckpointManifest} from '../checkpoint/manifest.js'
import {TRAIN, VAL} from '../dataset/schema.js'
import {RecError} from '../errors.js'
import {type LoadedRanker, loadRanker} from '../models/ranker/load.js'
import {checkIdsFit} from './checkpoint-model.js'
import type {EvalContext} from './eval-context.js'

/** Reads manifest.json only; a retrieval checkpoint is refused (it belongs in --ckpt). */
export async function readRankingManifest(path: string): Promise<CheckpointManifest> {
  const manifest = await readCheckpointManifest(path)
  if (manifest.kind !== 'ranking') {
    throw new RecError('MISMATCH', `--ranker ${path} is a ${manifest.kind} checkpoint; the second stage needs one written by rec train ranking`, {
      hint: `pass ${path} as --ckpt and a ranking checkpoint as --ranker`,
    })
  }
  return manifest
}

export interface EvalRanker {
  path: string
  manifest: CheckpointManifest
  loaded: LoadedRanker
  /** Splits feeding the cross statistics: those before the evaluated split (val: train; test: train+val). */
  statsSplits: ('train' | 'val')[]
  warnings: string[]
}

/**
 * The ranker's user and item ids must be the dataset's (MISMATCH naming both fingerprints before
 * any weight is read); another dataset fingerprint with the same ids is refused unless ctx.allowMismatch, as for retrieval.
 * Cross statistics count the engagements of the splits before the evaluated one, as training counts
 * train's for validation, and stay causal: a feature at time t reads only events before t.
 */
export async function loadEvalRanker(path: string, manifest: CheckpointManifest, ctx: EvalContext): Promise<EvalRanker> {
  const warnings = await checkIdsFit(path, manifest, ctx, 'ranking checkpoint')
  const statsSplits: EvalRanker['statsSplits'] = ctx.split === 'val' ? ['train'] : ['train', 'val']
  const loaded = await loadRanker(path, ctx.dataset, {statsSplits: statsSplits.map((s) => (s === 'train' ? TRAIN : VAL))})
  return {path, manifest, loaded, statsSplits, warnings}
}
