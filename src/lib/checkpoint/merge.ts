// `rec merge`: a weighted average of checkpoints, tensor by tensor, onto the first input (the anchor).
import type {SafeTensor} from '../engine/safetensors.js'
import {RecError} from '../errors.js'
import {assertWritable} from '../io/atomic.js'
import {REC_VERSION} from '../version.js'
import {type Checkpoint, loadCheckpoint, readCheckpointManifest, saveCheckpoint} from './checkpoint-io.js'
import type {CheckpointManifest} from './manifest.js'
import {alignRows} from './merge-align.js'
import {normalizeMergeWeights} from './merge-weights.js'

export interface MergeOptions {
  /** Checkpoint directories; the first is the anchor (its vocabularies, config and kept tensors). */
  inputs: string[]
  /** One weight per input (default equal); normalised to sum 1. */
  weights?: number[]
  out: string
  force?: boolean
  /** Merge checkpoints with other vocabularies: id/category tables are averaged row by row, matched by id. */
  allowVocabMismatch?: boolean
}

export interface MergedTensor {
  name: string
  shape: number[]
  /** averaged: same name and shape everywhere; aligned: rows matched by id across vocabularies; kept: the anchor's. */
  action: 'averaged' | 'aligned' | 'kept'
  reason?: string
}

export interface MergeResult {
  out: string
  kind: string
  /** Normalised weights, in input order. */
  weights: number[]
  tensors: MergedTensor[]
  /** Tensors some non-anchor input has but the anchor lacks: not in the output. */
  ignored: string[]
}

/** Checks every input before reading any weights: existence, one kind, matching vocabularies, weights, output. */
async function checkInputs(options: MergeOptions): Promise<{manifests: CheckpointManifest[]; weights: number[]}> {
  if (options.inputs.length < 2) throw new RecError('INVALID_ARGUMENT', `merge needs at least 2 checkpoints, got ${options.inputs.length}`)
  const weights = normalizeMergeWeights(options.weights, options.inputs.length)
  const manifests: CheckpointManifest[] = []
  for (const dir of options.inputs) manifests.push(await readCheckpointManifest(dir))
  const anchor = manifests[0]
  // averaging CSR arrays by name would mix one item's term rows with another's values
  const content = manifests.findIndex((m) => m.kind === 'content')
  if (content >= 0) throw new RecError('INVALID_ARGUMENT', `${options.inputs[content]} is a content checkpoint: its sparse item vectors cannot be averaged`, {hint: 'retrain it with rec train content instead'})
  manifests.forEach((m, i) => {
    if (m.kind !== anchor.kind) throw new RecError('MISMATCH', `cannot merge a ${anchor.kind} checkpoint (${options.inputs[0]}) with a ${m.kind} one (${options.inputs[i]})`)
    if (m.vocabFingerprint !== anchor.vocabFingerprint && !options.allowVocabMismatch) {
      throw new RecError('MISMATCH', `${options.inputs[i]} has other vocabularies than ${options.inputs[0]} (vocab fingerprints differ)`, {hint: 'pass --allow-vocab-mismatch to align embedding rows by id'})
    }
  })
  assertWritable(options.out, options.force ?? false)
  return {manifests, weights}
}

export async function mergeCheckpoints(options: MergeOptions): Promise<MergeResult> {
  const {weights} = await checkInputs(options)
  const checkpoints: Checkpoint[] = []
  for (const dir of options.inputs) checkpoints.push(await loadCheckpoint(dir))
  const [anchor] = checkpoints
  const out = new Map<string, SafeTensor>()
  const tensors: MergedTensor[] = []
  for (const [name, tensor] of anchor.tensors) {
    const merged = mergeTensor(name, tensor, checkpoints, weights, options.allowVocabMismatch ?? false)
    out.set(name, merged.tensor)
    tensors.push({name, shape: tensor.shape, action: merged.action, reason: merged.reason})
  }
  const ignored = [...new Set(checkpoints.slice(1).flatMap((c) => [...c.tensors.keys()].filter((name) => !anchor.tensors.has(name))))].sort()
  const manifest: CheckpointManifest = {
    ...anchor.manifest,
    // Metrics and history belong to the anchor's training run, not to the merge: evaluate the result.
    metrics: {},
    history: [],
    bestEpoch: 0,
    parents: options.inputs.map((path, i) => ({path, weight: weights[i]})),
    recVersion: REC_VERSION,
    // derived from the inputs, not the clock: the same merge gives the same bytes (ISO strings sort by time)
    createdAt: checkpoints.map((c) => c.manifest.createdAt).reduce((a, b) => (b > a ? b : a)),
  }
  await saveCheckpoint(options.out, {manifest, tensors: out, vocabs: anchor.vocabs}, {force: options.force})
  return {out: options.out, kind: anchor.manifest.kind, weights, tensors, ignored}
}

function mergeTensor(name: string, tensor: SafeTensor, checkpoints: Checkpoint[], weights: number[], allowVocabMismatch: boolean): {tensor: SafeTensor; action: MergedTensor['action']; reason?: string} {
  if (tensor.dtype !== 'F32') return {tensor, action: 'kept', reason: `${tensor.dtype}, not float`}
  const others = checkpoints.map((c) => c.tensors.get(name))
  const missing = others.findIndex((t) => !t || t.dtype !== 'F32')
  if (missing > 0) return {tensor, action: 'kept', reason: `missing from input ${missing + 1}`}
  const anchor = {tensor, vocabs: checkpoints[0].vocabs}
  if (allowVocabMismatch) {
    const alignments = others.map((t, k) => alignRows(name, anchor, {tensor: t!, vocabs: checkpoints[k].vocabs}))
    if (alignments.every((a) => a !== undefined)) return {tensor: averageAligned(tensor, others as SafeTensor[], alignments as Int32Array[], weights), action: 'aligned'}
  }
  const other = others.findIndex((t) => t!.shape.join(',') !== tensor.shape.join(','))
  if (other > 0) return {tensor, action: 'kept', reason: `shape [${others[other]!.shape}] in input ${other + 1}`}
  const sum = new Float64Array(tensor.data.length)
  others.forEach((t, k) => {
    const data = t!.data as Float32Array
    for (let i = 0; i < sum.length; i++) sum[i] += weights[k] * data[i]
  })
  return {tensor: {dtype: 'F32', shape: [...tensor.shape], data: Float32Array.from(sum)}, action: 'averaged'}
}

/** Row r of the result averages the inputs that have row r's id, their weights renormalised; a row nobody weights keeps the anchor's. */
function averageAligned(anchor: SafeTensor, inputs: SafeTensor[], alignments: Int32Array[], weights: number[]): SafeTensor {
  const [rows, dim] = anchor.shape
  const out = new Float32Array(rows * dim)
  const row = new Float64Array(dim)
  for (let r = 0; r < rows; r++) {
    row.fill(0)
    let total = 0
    inputs.forEach((t, k) => {
      const s = alignments[k][r]
      if (s < 0 || weights[k] === 0) return
      const data = t.data as Float32Array
      for (let j = 0; j < dim; j++) row[j] += weights[k] * data[s * dim + j]
      total += weights[k]
    })
    if (total > 0) for (let j = 0; j < dim; j++) out[r * dim + j] = row[j] / total
    else out.set((anchor.data as Float32Array).subarray(r * dim, r * dim + dim), r * dim)
  }
  return {dtype: 'F32', shape: [rows, dim], data: out}
}
