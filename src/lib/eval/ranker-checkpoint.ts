// A ranking checkpoint for the second stage of `rec eval`: its kind, its fit to the dataset, then the loaded ranker.
import {readCheckpointManifest} from '../checkpoint/checkpoint-io.js'
import type {CheckpointManifest} from '../checkpoint/manifest.js'
import {readVocabularies} from '../checkpoint/vocab-files.js'
import {TRAIN, VAL} from '../dataset/schema.js'
import {RecError} from '../errors.js'
import {type LoadedRanker, loadRanker} from '../models/ranker/load.js'
import {sameIds, short} from './checkpoint-model.js'
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
 * any weight is read); another dataset fingerprint with the same ids is a warning, as for retrieval.
 * Cross statistics count the engagements of the splits before the evaluated one, as training counts
 * train's for validation, and stay causal: a feature at time t reads only events before t.
 */
export async function loadEvalRanker(path: string, manifest: CheckpointManifest, ctx: EvalContext): Promise<EvalRanker> {
  const trainedOn = manifest.dataset.fingerprint
  const current = ctx.dataset.manifest.fingerprint
  const vocabs = await readVocabularies(path)
  for (const [what, theirs, ours] of [['user', vocabs.ids.users, ctx.users], ['item', vocabs.ids.items, ctx.items]] as const) {
    if (!theirs || !sameIds(theirs.ids, ours.ids)) {
      throw new RecError(
        'MISMATCH',
        `ranking checkpoint ${path} (vocabulary ${short(manifest.vocabFingerprint)}, trained on dataset ${short(trainedOn)}) does not fit ${ctx.datasetDir} (dataset ${short(current)}): their ${what} ids differ (${theirs?.ids.length ?? 0} in the checkpoint, ${ours.ids.length} in the dataset)`,
        {hint: `evaluate on the dataset it was trained on: ${manifest.dataset.path}`},
      )
    }
  }
  const warnings: string[] = []
  if (trainedOn !== current) {
    warnings.push(
      `FINGERPRINT MISMATCH: ranking checkpoint ${path} was trained on dataset ${short(trainedOn)} (${manifest.dataset.path}) but ${ctx.datasetDir} is ${short(current)}; ` +
        'the user and item ids match, so it is evaluated, but its history or splits may differ from training',
    )
  }
  const statsSplits: EvalRanker['statsSplits'] = ctx.split === 'val' ? ['train'] : ['train', 'val']
  const loaded = await loadRanker(path, ctx.dataset, {statsSplits: statsSplits.map((s) => (s === 'train' ? TRAIN : VAL))})
  return {path, manifest, loaded, statsSplits, warnings}
}
