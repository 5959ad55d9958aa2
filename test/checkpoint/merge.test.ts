// rec merge: weighted averages by tensor name, the anchor kept where shapes differ, vocabularies aligned by id on request.
import {existsSync} from 'node:fs'
import {join} from 'node:path'

import {beforeAll, describe, expect, it} from 'vitest'

import {loadCheckpoint, saveCheckpoint} from '../../src/lib/checkpoint/checkpoint-io.js'
import {CHECKPOINT_FORMAT, type CheckpointKind} from '../../src/lib/checkpoint/manifest.js'
import {mergeCheckpoints} from '../../src/lib/checkpoint/merge.js'
import type {SafeTensor} from '../../src/lib/engine/safetensors.js'
import {CategoryVocab, IdVocab, vocabFingerprint} from '../../src/lib/features/vocab.js'
import {runCli, tempDir} from '../helpers/cli.js'

interface Spec {
  kind?: CheckpointKind
  tensors: Record<string, [number[], number[]]>
  users?: bigint[]
}

async function writeCheckpoint(dir: string, spec: Spec): Promise<string> {
  const ids = {users: new IdVocab(BigInt64Array.from(spec.users ?? [1n, 2n])), items: new IdVocab(BigInt64Array.of(10n))}
  const categories = {'items.topic': new CategoryVocab(['a', 'b'])}
  const tensors = new Map<string, SafeTensor>(Object.entries(spec.tensors).map(([name, [shape, data]]) => [name, {dtype: 'F32', shape, data: Float32Array.from(data)}]))
  await saveCheckpoint(dir, {
    manifest: {
      format: CHECKPOINT_FORMAT,
      kind: spec.kind ?? 'ranking',
      arch: 'mlp',
      config: {dim: 2},
      backend: 'cpu',
      dataset: {path: '/data', name: 'tiny', fingerprint: 'f'},
      vocabFingerprint: vocabFingerprint(ids, categories),
      metrics: {'val.auc/like': 0.7},
      history: [],
      bestEpoch: 1,
      seed: 1,
      parents: [],
      recVersion: '0.1.0',
      createdAt: '2024-01-01T00:00:00.000Z',
    },
    tensors,
    vocabs: {ids, categories},
  })
  return dir
}

const data = async (dir: string, name: string) => Array.from((await loadCheckpoint(dir)).tensors.get(name)!.data as Float32Array)

let root: string
let a: string
let b: string

beforeAll(async () => {
  root = tempDir('rec-merge-')
  a = await writeCheckpoint(join(root, 'a'), {tensors: {w: [[2, 2], [1, 2, 3, 4]], bias: [[2], [0.1, 0.3]], x: [[2, 2], [1, 1, 1, 1]], only_a: [[1], [5]]}})
  b = await writeCheckpoint(join(root, 'b'), {tensors: {w: [[2, 2], [3, 6, 9, 12]], bias: [[2], [0.3, 0.1]], x: [[4], [9, 9, 9, 9]]}})
})

describe('mergeCheckpoints', () => {
  it('is the identity when a checkpoint is merged with itself, whatever the weights', async () => {
    const out = join(root, 'self')
    await mergeCheckpoints({inputs: [a, a, a], weights: [0.3, 0.3, 0.4], out})
    const [source, merged] = [await loadCheckpoint(a), await loadCheckpoint(out)]
    for (const [name, tensor] of source.tensors) expect(Array.from(merged.tensors.get(name)!.data as Float32Array)).toEqual(Array.from(tensor.data as Float32Array))
  })

  it('averages tensors of the same name and shape exactly, with weights normalised to sum 1', async () => {
    const out = join(root, 'ab')
    const result = await mergeCheckpoints({inputs: [a, b], weights: [3, 1], out})
    expect(result.weights).toEqual([0.75, 0.25])
    expect(await data(out, 'w')).toEqual([1.5, 3, 4.5, 6])
    expect((await data(out, 'bias')).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0.15, 0.25])
    expect(await data(join(root, 'ab'), 'only_a')).toEqual([5])
    const equal = join(root, 'ab-equal')
    await mergeCheckpoints({inputs: [a, b], out: equal})
    expect(await data(equal, 'w')).toEqual([2, 4, 6, 8])
  })

  it("keeps the anchor's tensor where an input lacks it or has another shape, and says why", async () => {
    const result = await mergeCheckpoints({inputs: [a, b], out: join(root, 'keep')})
    expect(await data(join(root, 'keep'), 'x')).toEqual([1, 1, 1, 1])
    const byName = Object.fromEntries(result.tensors.map((t) => [t.name, t]))
    expect(byName.x).toMatchObject({action: 'kept', reason: 'shape [4] in input 2'})
    expect(byName.only_a).toMatchObject({action: 'kept', reason: 'missing from input 2'})
    expect(byName.w.action).toBe('averaged')
  })

  it('records the parents and their weights, and drops the anchor metrics', async () => {
    const manifest = (await loadCheckpoint(join(root, 'ab'))).manifest
    expect(manifest.parents).toEqual([{path: a, weight: 0.75}, {path: b, weight: 0.25}])
    expect(manifest.metrics).toEqual({})
    expect(manifest.kind).toBe('ranking')
  })

  it('refuses bad inputs before writing anything', async () => {
    const retrieval = await writeCheckpoint(join(root, 'r'), {kind: 'retrieval', tensors: {w: [[1], [1]]}})
    const out = join(root, 'refused')
    await expect(mergeCheckpoints({inputs: [a, retrieval], out})).rejects.toThrow(/cannot merge a ranking checkpoint .* with a retrieval one/)
    await expect(mergeCheckpoints({inputs: [a, b], weights: [1], out})).rejects.toThrow(/--weights has 1 values for 2 checkpoints/)
    await expect(mergeCheckpoints({inputs: [a, b], weights: [1, -1], out})).rejects.toThrow(/negative/)
    await expect(mergeCheckpoints({inputs: [a, b], weights: [0, 0], out})).rejects.toThrow(/all zero/)
    await expect(mergeCheckpoints({inputs: [a, join(root, 'nope')], out})).rejects.toThrow(/does not exist/)
    await expect(mergeCheckpoints({inputs: [a], out})).rejects.toThrow(/at least 2/)
    await expect(mergeCheckpoints({inputs: [a, b], out: join(root, 'ab')})).rejects.toThrow(/already exists/)
    expect(existsSync(out)).toBe(false)
  })

  it('refuses other vocabularies unless asked, then averages id rows matched by id', async () => {
    // Users [1, 2, 3] and [2, 3, 4]: rows are [OOV, id...]; id 1 only in c, id 4 only in d (dropped: not in the anchor).
    const c = await writeCheckpoint(join(root, 'c'), {users: [1n, 2n, 3n], tensors: {'user_id.embedding': [[4, 2], [0, 0, 1, 1, 2, 2, 3, 3]], w: [[1], [2]]}})
    const d = await writeCheckpoint(join(root, 'd'), {users: [2n, 3n, 4n], tensors: {'user_id.embedding': [[4, 2], [10, 10, 20, 20, 30, 30, 40, 40]], w: [[1], [4]]}})
    await expect(mergeCheckpoints({inputs: [c, d], out: join(root, 'cd')})).rejects.toMatchObject({message: expect.stringMatching(/other vocabularies/), hint: expect.stringMatching(/--allow-vocab-mismatch/)})
    const result = await mergeCheckpoints({inputs: [c, d], out: join(root, 'cd'), allowVocabMismatch: true})
    expect(result.tensors.find((t) => t.name === 'user_id.embedding')!.action).toBe('aligned')
    // OOV: (0 + 10) / 2; id 1: c only; id 2: (2 + 20) / 2; id 3: (3 + 30) / 2.
    expect(await data(join(root, 'cd'), 'user_id.embedding')).toEqual([5, 5, 1, 1, 11, 11, 16.5, 16.5])
    expect(await data(join(root, 'cd'), 'w')).toEqual([3])
  })
})

describe('rec merge (CLI)', () => {
  it('prints the table of averaged and kept tensors and returns the result as JSON', () => {
    const out = join(root, 'cli')
    const {code, stdout, stderr} = runCli(['merge', a, b, '--weights', '1,1', '--out', out, '--json'])
    expect(code).toBe(0)
    expect(JSON.parse(stdout)).toMatchObject({kind: 'ranking', weights: [0.5, 0.5]})
    expect(stderr).toMatch(/weights \(normalised to sum 1\)/)
    expect(stderr).toMatch(/x\s+\[2, 2\]\s+kept \(anchor's: shape \[4\] in input 2\)/)
    expect(stderr).toMatch(/2 averaged, 0 aligned by id, 2 kept from the anchor/)
  })

  it('fails with one line and exit 2 on bad weights or an unknown flag', () => {
    for (const args of [['--weights', '1,x'], ['--weights', '1'], ['--bogus']]) {
      const {code, stderr} = runCli(['merge', a, b, '--out', join(root, 'bad'), ...args])
      expect(code).toBe(2)
      expect(stderr.trim().split('\n')).toHaveLength(1)
      expect(stderr).toMatch(/^rec: error: /)
    }
    expect(existsSync(join(root, 'bad'))).toBe(false)
  })
})
