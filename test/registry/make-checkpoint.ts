// Writes a tiny but valid checkpoint directory (manifest.json, weights.safetensors, vocab/) for registry tests.
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {CHECKPOINT_FORMAT, type CheckpointKind, type CheckpointManifest} from '../../src/lib/checkpoint/manifest.js'

export interface FakeCheckpoint {
  kind?: CheckpointKind
  metrics?: Record<string, number>
  /** Distinguishes the weights bytes, so two checkpoints hash differently. */
  tag?: string
}

/** A safetensors file holding one float32 tensor "w" of shape [2]. */
function safetensors(values: [number, number]): Buffer {
  const header = Buffer.from(JSON.stringify({w: {dtype: 'F32', shape: [2], data_offsets: [0, 8]}}))
  const length = Buffer.alloc(8)
  length.writeBigUInt64LE(BigInt(header.length))
  const data = Buffer.from(new Float32Array(values).buffer)
  return Buffer.concat([length, header, data])
}

export function makeCheckpoint(dir: string, spec: FakeCheckpoint = {}): string {
  const manifest: CheckpointManifest = {
    format: CHECKPOINT_FORMAT,
    kind: spec.kind ?? 'retrieval',
    arch: spec.kind === 'ranking' ? 'mlp' : 'two-tower',
    config: {tag: spec.tag ?? 'a'},
    backend: 'cpu',
    dataset: {path: '/data/ds', name: 'tiny', fingerprint: 'sha256:00'},
    vocabFingerprint: 'v0',
    metrics: spec.metrics ?? {'val.ndcg@10': 0.1},
    history: [],
    bestEpoch: 0,
    seed: 1,
    parents: [],
    recVersion: '0.1.0',
    createdAt: '2024-01-01T00:00:00.000Z',
  }
  mkdirSync(join(dir, 'vocab'), {recursive: true})
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2))
  const seed = [...(spec.tag ?? 'a')].reduce((s, c) => s + c.charCodeAt(0), 0)
  writeFileSync(join(dir, 'weights.safetensors'), safetensors([seed, seed / 2]))
  writeFileSync(join(dir, 'vocab', 'items.parquet'), Buffer.from(`PAR1-${spec.tag ?? 'a'}-PAR1`))
  return dir
}
