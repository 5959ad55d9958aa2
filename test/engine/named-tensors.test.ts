// Tables and dense layers survive a safetensors round trip by name; wrong names or shapes are MISMATCH.
import * as tf from '@tensorflow/tfjs'
import {beforeAll, describe, expect, it} from 'vitest'

import {initBackend} from '../../src/lib/engine/backend.js'
import {createMlp, denseVariables} from '../../src/lib/engine/dense.js'
import {denseToSafeTensors, loadDenseFromSafeTensors, tableFromSafeTensors, tableToSafeTensor} from '../../src/lib/engine/named-tensors.js'
import {decodeSafetensors, encodeSafetensors} from '../../src/lib/engine/safetensors.js'
import {SparseEmbedding} from '../../src/lib/engine/sparse-embedding.js'
import {Rng} from '../../src/lib/random/rng.js'

beforeAll(async () => {
  await initBackend('wasm')
})

describe('named tensors', () => {
  it('restores a table and an MLP exactly from encoded bytes', () => {
    const items = SparseEmbedding.create(12, 4, new Rng(1), {name: 'items'})
    const tower = createMlp('tower', [4, 8, 4], new Rng(2))
    const bytes = encodeSafetensors({items: tableToSafeTensor(items), ...denseToSafeTensors(tower)})
    const {tensors} = decodeSafetensors(bytes, 'w.safetensors')
    expect([...tensors.keys()].sort()).toEqual(['items', 'tower.0.bias', 'tower.0.kernel', 'tower.1.bias', 'tower.1.kernel'])

    const table = tableFromSafeTensors(tensors, 'items', 'w.safetensors')
    expect([table.rows, table.dim]).toEqual([12, 4])
    expect(table.weights).toEqual(items.weights)
    const fresh = createMlp('tower', [4, 8, 4], new Rng(99))
    expect(fresh[0].kernel.dataSync()).not.toEqual(tower[0].kernel.dataSync())
    loadDenseFromSafeTensors(fresh, tensors, 'w.safetensors')
    fresh.forEach((layer, i) => {
      expect(layer.kernel.dataSync()).toEqual(tower[i].kernel.dataSync())
      expect(layer.bias.dataSync()).toEqual(tower[i].bias.dataSync())
    })
    tf.dispose([...denseVariables(tower), ...denseVariables(fresh)])
  })

  it('names the file and the tensor when a name is missing or a shape differs', () => {
    const bytes = encodeSafetensors(denseToSafeTensors(createMlp('tower', [4, 8, 4], new Rng(2))))
    const {tensors} = decodeSafetensors(bytes, 'w.safetensors')
    expect(() => tableFromSafeTensors(tensors, 'items', 'w.safetensors')).toThrow('w.safetensors: no tensor named items')
    expect(() => tableFromSafeTensors(tensors, 'tower.0.bias', 'w.safetensors')).toThrow(/expected non-empty F32 \[rows, dim\]/)
    expect(() => loadDenseFromSafeTensors(createMlp('tower', [4, 16, 4], new Rng(3)), tensors, 'w.safetensors')).toThrow(
      'w.safetensors: tensor tower.0.kernel is F32 [4, 8], the model needs F32 [4, 16]',
    )
    expect(() => loadDenseFromSafeTensors(createMlp('other', [4, 8, 4], new Rng(3)), tensors, 'w.safetensors')).toThrow(/no tensor named other.0.kernel/)
  })
})
