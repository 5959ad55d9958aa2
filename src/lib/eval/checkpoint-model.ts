// A retrieval checkpoint as a score provider: fingerprint and vocabulary checks, then embeddings of the task's users.
import {basename, resolve} from 'node:path'

import {readCheckpointManifest} from '../checkpoint/checkpoint-io.js'
import type {CheckpointManifest} from '../checkpoint/manifest.js'
import {readVocabularies} from '../checkpoint/vocab-files.js'
import {RecError} from '../errors.js'
import {embedItems, embedUsers} from '../models/two-tower/embed.js'
import {loadTwoTower} from '../models/two-tower/load.js'
import type {BuiltModel} from './built-model.js'
import {loadContentCheckpointModel} from './content-model.js'
import {dotScoreProvider} from './engine/score-provider.js'
import type {EvalContext} from './eval-context.js'

/** Reads manifest.json only; retrieval and content checkpoints rank the catalogue, a ranking one is refused (two-stage evaluation is an EvalStage, not a model). */
export async function readRetrievalManifest(path: string): Promise<CheckpointManifest> {
  const manifest = await readCheckpointManifest(path)
  if (manifest.kind !== 'retrieval' && manifest.kind !== 'content') {
    throw new RecError('MISMATCH', `${path} is a ${manifest.kind} checkpoint; rec eval ranks the catalogue with retrieval or content checkpoints`, {
      hint: manifest.kind === 'ranking' ? `pass a retrieval checkpoint as --ckpt and ${path} as --ranker to re-rank its candidates` : 'pass a checkpoint written by rec train retrieval',
    })
  }
  return manifest
}

/**
 * Loads the towers and embeds task.users (reading the task's history) and every item (a content
 * checkpoint: see loadContentCheckpointModel). Checkpoint
 * and dataset must agree (checkIdsFit) before any weight is read.
 */
export async function loadCheckpointModel(path: string, manifest: CheckpointManifest, ctx: EvalContext): Promise<BuiltModel> {
  if (manifest.kind === 'content') return loadContentCheckpointModel(path, manifest, ctx)
  const warnings = await checkIdsFit(path, manifest, ctx, 'checkpoint')
  const {model} = await loadTwoTower(path, ctx.dataset)
  if (model.items.rows !== ctx.items.size) throw new RecError('MISMATCH', `${path}: the item tower has ${model.items.rows} rows but the dataset has ${ctx.items.size}`)
  const users = embedUsers(model, ctx.task.users, ctx.task.history)
  const items = embedItems(model)
  return {
    id: `${path}@${manifest.createdAt}`,
    kind: 'checkpoint',
    name: basename(resolve(path)),
    provider: dotScoreProvider(users, items, model.dim),
    path,
    createdAt: manifest.createdAt,
    arch: manifest.arch,
    trainedOn: manifest.dataset.fingerprint,
    warnings,
  }
}

/**
 * A checkpoint's user and item ids must be the dataset's, row for row: MISMATCH naming both
 * fingerprints otherwise, before any weight is read. Another dataset fingerprint with the same ids
 * is MISMATCH too (its score would not measure the model: other history, other splits), unless
 * ctx.allowMismatch, which returns the FINGERPRINT MISMATCH warning for the report instead.
 */
export async function checkIdsFit(path: string, manifest: CheckpointManifest, ctx: EvalContext, kind: 'checkpoint' | 'ranking checkpoint'): Promise<string[]> {
  const trainedOn = manifest.dataset.fingerprint
  const current = ctx.dataset.manifest.fingerprint
  const vocabs = await readVocabularies(path)
  const about = kind === 'checkpoint' ? `trained on dataset ${short(trainedOn)}` : `vocabulary ${short(manifest.vocabFingerprint)}, trained on dataset ${short(trainedOn)}`
  for (const [what, theirs, ours] of [['user', vocabs.ids.users, ctx.users], ['item', vocabs.ids.items, ctx.items]] as const) {
    if (!theirs || !sameIds(theirs.ids, ours.ids)) {
      throw new RecError('MISMATCH', `${kind} ${path} (${about}) does not fit ${ctx.datasetDir} (dataset ${short(current)}): their ${what} ids differ (${theirs?.ids.length ?? 0} in the checkpoint, ${ours.ids.length} in the dataset)`, {
        hint: `evaluate on the dataset it was trained on: ${manifest.dataset.path}`,
      })
    }
  }
  if (trainedOn === current) return []
  if (!ctx.allowMismatch) {
    throw new RecError('MISMATCH', `${kind} ${path} was trained on dataset ${short(trainedOn)} (${manifest.dataset.path}) but ${ctx.datasetDir} is dataset ${short(current)}: its score there would not measure it`, {
      hint: `evaluate on ${manifest.dataset.path}, or pass --allow-mismatch to evaluate anyway (the report then warns)`,
    })
  }
  return [
    `FINGERPRINT MISMATCH: ${kind} ${path} was trained on dataset ${short(trainedOn)} (${manifest.dataset.path}) but ${ctx.datasetDir} is ${short(current)}; ` +
      'the user and item ids match, so it is evaluated, but its history or splits may differ from training',
  ]
}

/** Same ids in the same row order. */
function sameIds(a: BigInt64Array, b: BigInt64Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** The first 12 hex digits: enough to tell fingerprints apart in a message. */
function short(fingerprint: string): string {
  return fingerprint.slice(0, 12)
}
