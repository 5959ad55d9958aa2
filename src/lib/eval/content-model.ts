// A content checkpoint as a score provider: the same id checks as any checkpoint, then profiles from the task's history.
import {basename, resolve} from 'node:path'

import type {CheckpointManifest} from '../checkpoint/manifest.js'
import {RecError} from '../errors.js'
import {loadContentModel} from '../models/content/persist.js'
import {contentScoreProvider} from '../models/content/scorer.js'
import type {BuiltModel} from './built-model.js'
import {checkIdsFit} from './checkpoint-model.js'
import type {EvalContext} from './eval-context.js'

/**
 * Profiles read ctx.task.history (train for val, train+val for test, weighted by the checkpoint's
 * positive rule), exactly the history every other model reads; the evaluated split never reaches them.
 */
export async function loadContentCheckpointModel(path: string, manifest: CheckpointManifest, ctx: EvalContext): Promise<BuiltModel> {
  const warnings = await checkIdsFit(path, manifest, ctx, 'checkpoint')
  const {model} = await loadContentModel(path)
  if (model.items.size !== ctx.items.size) throw new RecError('MISMATCH', `${path}: the content model has ${model.items.size} item rows but the dataset has ${ctx.items.size}`)
  return {
    id: `${path}@${manifest.createdAt}`,
    kind: 'checkpoint',
    name: basename(resolve(path)),
    provider: contentScoreProvider(model, ctx.task.users, ctx.task.history),
    path,
    createdAt: manifest.createdAt,
    arch: manifest.arch,
    trainedOn: manifest.dataset.fingerprint,
    warnings,
  }
}
