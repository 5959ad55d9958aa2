// Two-tower weights as named tensors: export for checkpoints, import for loading and warm starts.
import * as tf from '@tensorflow/tfjs'

import type {SafeTensor} from '../../engine/safetensors.js'
import {RecError} from '../../errors.js'
import {denseVariablesByName, sparseTablesByName, type TwoTowerModel} from './model.js'

/** Every weight by name: sparse tables [rows, dim] and dense variables in their own shapes. */
export function exportTensors(model: TwoTowerModel): Map<string, SafeTensor> {
  const out = new Map<string, SafeTensor>()
  for (const [name, table] of Object.entries(sparseTablesByName(model))) out.set(name, {dtype: 'F32', shape: [table.rows, table.dim], data: table.weights.slice()})
  for (const [name, variable] of Object.entries(denseVariablesByName(model))) {
    out.set(name, {dtype: 'F32', shape: [...variable.shape], data: Float32Array.from(variable.dataSync() as Float32Array)})
  }
  return out
}

export interface ImportReport {
  loaded: string[]
  /** Present in the model but absent or of another shape in the source. */
  skipped: string[]
}

/**
 * Copies tensors by name into the model. `strict`: every model tensor must be present with its
 * shape (loading a checkpoint); otherwise mismatches are skipped and reported (warm start).
 */
export function importTensors(model: TwoTowerModel, tensors: Map<string, SafeTensor>, source: string, strict: boolean): ImportReport {
  const report: ImportReport = {loaded: [], skipped: []}
  const fits = (name: string, shape: number[]): SafeTensor | undefined => {
    const t = tensors.get(name)
    if (t && t.dtype === 'F32' && t.shape.join(',') === shape.join(',')) return t
    if (strict) throw new RecError('MISMATCH', `${source}: tensor ${name} is ${t ? `[${t.shape}]` : 'missing'}, the model needs [${shape}]`)
    report.skipped.push(name)
    return undefined
  }
  for (const [name, table] of Object.entries(sparseTablesByName(model))) {
    const t = fits(name, [table.rows, table.dim])
    if (!t) continue
    table.weights.set(t.data as Float32Array)
    report.loaded.push(name)
  }
  for (const [name, variable] of Object.entries(denseVariablesByName(model))) {
    const t = fits(name, [...variable.shape])
    if (!t) continue
    tf.tidy(() => variable.assign(tf.tensor(t.data as Float32Array, variable.shape)))
    report.loaded.push(name)
  }
  return report
}
