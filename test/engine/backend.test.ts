// initBackend: auto takes tfjs-node when installed, else wasm; explicit choices; idempotence.
import {createRequire} from 'node:module'

import {describe, expect, it} from 'vitest'

import {initBackend} from '../../src/lib/engine/backend.js'
import {RecError} from '../../src/lib/errors.js'

function tfjsNodeInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node')
    return true
  } catch {
    return false
  }
}

function product(tf: Awaited<ReturnType<typeof initBackend>>['tf']): Float32Array {
  return tf.tidy(() => tf.matMul(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]), tf.tensor2d([1, 0, -1, 2, 0.5, 3], [3, 2])).dataSync() as Float32Array)
}

describe('initBackend', () => {
  it('auto picks tfjs-node when installed, else wasm, and returns the same object when repeated', async () => {
    const first = await initBackend('auto')
    const expected = tfjsNodeInstalled() ? 'tensorflow' : 'wasm'
    expect(first.name).toBe(expected)
    expect(first.tf.getBackend()).toBe(expected)
    if (expected === 'wasm') expect(first.skipped.join('\n')).toMatch(/tfjs-node is not installed/)
    expect(await initBackend('auto')).toBe(first)
    expect(await initBackend(expected === 'wasm' ? 'wasm' : 'node')).toBe(first)
    expect([...product(first.tf)]).toEqual([0.5, 13, 2, 28])
  })

  it.runIf(!tfjsNodeInstalled())("rejects 'node' without tfjs-node with a hint, leaving the active backend as it was", async () => {
    const before = await initBackend('auto')
    const error = await initBackend('node').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RecError)
    expect((error as RecError).code).toBe('INVALID_ARGUMENT')
    expect((error as RecError).hint).toMatch(/install @tensorflow\/tfjs-node/)
    expect(await initBackend('auto')).toBe(before)
    expect(before.tf.getBackend()).toBe(before.name)
  })

  it('switches to cpu on request, computes the same, and later auto calls keep cpu', async () => {
    const cpu = await initBackend('cpu')
    expect(cpu.name).toBe('cpu')
    expect(cpu.tf.getBackend()).toBe('cpu')
    expect([...product(cpu.tf)]).toEqual([0.5, 13, 2, 28])
    expect(await initBackend('auto')).toBe(cpu)
    expect(await initBackend('cpu')).toBe(cpu)
  })

  it('serialises concurrent calls: every caller gets one backend', async () => {
    const all = await Promise.all([initBackend('wasm'), initBackend('auto'), initBackend('wasm')])
    expect(all[0].name).toBe('wasm')
    expect(all[1]).toBe(all[0])
    expect(all[2]).toBe(all[0])
  })
})
