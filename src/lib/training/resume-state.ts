// Training state after each epoch in <out>.resume/, so `--resume` continues an interrupted run exactly.
import {existsSync} from 'node:fs'
import {readFile, rm} from 'node:fs/promises'
import {join} from 'node:path'

import type {DenseAdam} from '../engine/dense-adam.js'
import {readSafetensors, type SafeTensor, writeSafetensors} from '../engine/safetensors.js'
import {RecError} from '../errors.js'
import {writeDirAtomic, writeFileAtomic} from '../io/atomic.js'
import {denseVariablesByName, sparseTablesByName, type TwoTowerModel} from '../models/two-tower/model.js'
import {exportTensors, importTensors} from '../models/two-tower/persist.js'

export interface EpochRecord {
  epoch: number
  loss: number
  metrics: Record<string, number>
  examplesPerSecond: number
  seconds: number
}

export interface BestEpoch {
  epoch: number
  score: number
  metrics: Record<string, number>
  tensors: Map<string, SafeTensor>
}

interface StateFile {
  /** The last finished epoch. */
  epoch: number
  epochs: EpochRecord[]
  best: Omit<BestEpoch, 'tensors'>
  config: unknown
  datasetFingerprint: string
  denseStep: number
}

export function resumeDir(out: string): string {
  return `${out.replace(/[/\\]+$/, '')}.resume`
}

/** Weights, both optimizers' moments and the best epoch so far; replaces the previous epoch's state. */
export async function saveResumeState(out: string, epochs: EpochRecord[], best: BestEpoch, model: TwoTowerModel, adam: DenseAdam, config: unknown, datasetFingerprint: string): Promise<void> {
  const current = exportTensors(model)
  for (const [name, table] of Object.entries(sparseTablesByName(model))) {
    const state = table.optimizerState()
    if (!state) continue
    current.set(`${name}.adam.m`, {dtype: 'F32', shape: [table.rows, table.dim], data: state.m.slice()})
    current.set(`${name}.adam.v`, {dtype: 'F32', shape: [table.rows, table.dim], data: state.v.slice()})
    current.set(`${name}.adam.steps`, {dtype: 'I32', shape: [table.rows], data: state.steps.slice()})
  }
  const dense = adam.exportState(denseVariablesByName(model))
  for (const [name, {m, v}] of Object.entries(dense.moments)) {
    current.set(`${name}.adam.m`, {dtype: 'F32', shape: [m.length], data: m})
    current.set(`${name}.adam.v`, {dtype: 'F32', shape: [v.length], data: v})
  }
  const state: StateFile = {epoch: epochs.at(-1)?.epoch ?? 0, epochs, best: {epoch: best.epoch, score: best.score, metrics: best.metrics}, config, datasetFingerprint, denseStep: dense.t}
  await writeDirAtomic(resumeDir(out), true, async (dir) => {
    await writeSafetensors(join(dir, 'current.safetensors'), current)
    await writeSafetensors(join(dir, 'best.safetensors'), best.tensors)
    await writeFileAtomic(join(dir, 'state.json'), JSON.stringify(state, null, 2) + '\n')
  })
}

/** The config without keys that change how training runs but not what it computes (the thread count). */
function algorithmOf(config: unknown): string {
  const {workers: _workers, ...rest} = config as Record<string, unknown>
  return JSON.stringify(rest)
}

/**
 * Restores model, optimizers and history from <out>.resume/. The run must have the same config and
 * dataset, or resuming would silently mix two experiments.
 */
export async function loadResumeState(out: string, model: TwoTowerModel, adam: DenseAdam, config: unknown, datasetFingerprint: string): Promise<{epochs: EpochRecord[]; best: BestEpoch}> {
  const dir = resumeDir(out)
  if (!existsSync(join(dir, 'state.json'))) throw new RecError('NOT_FOUND', `nothing to resume: ${dir} does not exist`, {hint: 'drop --resume to start a new run'})
  const state = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as StateFile
  // Another thread count is allowed: the same algorithm, only the float summation order differs.
  if (algorithmOf(state.config) !== algorithmOf(config)) throw new RecError('MISMATCH', `${dir} was written with another config`, {hint: 'resume with the same config and flags, or drop --resume'})
  if (state.datasetFingerprint !== datasetFingerprint) throw new RecError('MISMATCH', `${dir} was written for another dataset (fingerprint differs)`)
  const {tensors} = await readSafetensors(join(dir, 'current.safetensors'))
  importTensors(model, tensors, dir, true)
  for (const [name, table] of Object.entries(sparseTablesByName(model))) {
    const m = tensors.get(`${name}.adam.m`)
    const v = tensors.get(`${name}.adam.v`)
    const steps = tensors.get(`${name}.adam.steps`)
    if (m && v && steps) table.restoreOptimizerState({m: m.data as Float32Array, v: v.data as Float32Array, steps: steps.data as Int32Array})
  }
  const moments: Record<string, {m: Float32Array; v: Float32Array}> = {}
  for (const name of Object.keys(denseVariablesByName(model))) {
    const m = tensors.get(`${name}.adam.m`)
    const v = tensors.get(`${name}.adam.v`)
    if (m && v) moments[name] = {m: m.data as Float32Array, v: v.data as Float32Array}
  }
  adam.importState(denseVariablesByName(model), {t: state.denseStep, moments})
  const best = (await readSafetensors(join(dir, 'best.safetensors'))).tensors
  return {epochs: state.epochs, best: {...state.best, tensors: best}}
}

export async function clearResumeState(out: string): Promise<void> {
  await rm(resumeDir(out), {recursive: true, force: true})
}
