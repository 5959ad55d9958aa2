// Saves and loads checkpoint directories: manifest.json, weights.safetensors, vocab/*.parquet.
import {existsSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'

import {readSafetensors, type SafeTensor, writeSafetensors} from '../engine/safetensors.js'
import {RecError} from '../errors.js'
import {writeDirAtomic, writeFileAtomic} from '../io/atomic.js'
import {type CheckpointKind, type CheckpointManifest, CheckpointManifestSchema} from './manifest.js'
import {readVocabularies, type Vocabularies, writeVocabularies} from './vocab-files.js'

export interface Checkpoint {
  dir: string
  manifest: CheckpointManifest
  tensors: Map<string, SafeTensor>
  vocabs: Vocabularies
}

export const WEIGHTS_FILE = 'weights.safetensors'

/** Writes the checkpoint directory atomically; an existing `out` is replaced only with `force`. */
export async function saveCheckpoint(out: string, contents: Omit<Checkpoint, 'dir'>, options: {force?: boolean} = {}): Promise<void> {
  await writeDirAtomic(out, options.force ?? false, async (dir) => {
    await writeSafetensors(join(dir, WEIGHTS_FILE), contents.tensors, {format: contents.manifest.format, kind: contents.manifest.kind, arch: contents.manifest.arch})
    await writeVocabularies(dir, contents.vocabs)
    await writeFileAtomic(join(dir, 'manifest.json'), JSON.stringify(contents.manifest, null, 2) + '\n')
  })
}

/** Reads and validates manifest.json; `kind` makes a checkpoint of another kind an error. */
export async function readCheckpointManifest(dir: string, kind?: CheckpointKind): Promise<CheckpointManifest> {
  const path = join(dir, 'manifest.json')
  if (!existsSync(dir)) throw new RecError('NOT_FOUND', `checkpoint directory ${dir} does not exist`)
  let raw: unknown
  try {
    raw = JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new RecError('NOT_FOUND', `${path} is missing: ${dir} is not a rec checkpoint`)
    throw new RecError('BAD_DATA', `${path} is not valid JSON: ${(error as Error).message}`)
  }
  const parsed = CheckpointManifestSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new RecError('BAD_SCHEMA', `${path}: field "${issue.path.join('.')}" ${issue.message}`)
  }
  if (kind && parsed.data.kind !== kind) {
    throw new RecError('MISMATCH', `${dir} is a ${parsed.data.kind} checkpoint, expected ${kind}`)
  }
  return parsed.data
}

export async function loadCheckpoint(dir: string, kind?: CheckpointKind): Promise<Checkpoint> {
  const manifest = await readCheckpointManifest(dir, kind)
  const weights = join(dir, WEIGHTS_FILE)
  if (!existsSync(weights)) throw new RecError('NOT_FOUND', `${weights} is missing`)
  const {tensors} = await readSafetensors(weights)
  const vocabs = await readVocabularies(dir)
  return {dir, manifest, tensors, vocabs}
}

/** The F32 tensor `name`, checked against an expected shape. */
export function requireTensor(checkpoint: Pick<Checkpoint, 'dir' | 'tensors'>, name: string, shape: number[]): Float32Array {
  const tensor = checkpoint.tensors.get(name)
  if (!tensor) throw new RecError('BAD_SCHEMA', `${checkpoint.dir}: tensor ${name} is missing from ${WEIGHTS_FILE}`)
  if (tensor.dtype !== 'F32' || tensor.shape.join(',') !== shape.join(',')) {
    throw new RecError('MISMATCH', `${checkpoint.dir}: tensor ${name} is ${tensor.dtype} [${tensor.shape}], expected F32 [${shape}]`)
  }
  return tensor.data as Float32Array
}
