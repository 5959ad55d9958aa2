// safetensors: exact layout on a tiny file, bit-exact round trips, deterministic bytes, strict reading.
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {type SafeTensor, decodeSafetensors, encodeSafetensors, readSafetensors, writeSafetensors} from '../../src/lib/engine/safetensors.js'
import {RecError} from '../../src/lib/errors.js'
import {Rng} from '../../src/lib/random/rng.js'
import {tempDir} from '../helpers/cli.js'

function errorOf(f: () => unknown): RecError {
  try {
    f()
  } catch (error) {
    if (error instanceof RecError) return error
    throw error
  }
  throw new Error('expected a RecError')
}

/** A file from a hand-written header and data block, for the invalid cases. */
function handMade(header: string, data: number[] = []): Uint8Array {
  const json = Buffer.from(header)
  const out = new Uint8Array(8 + json.length + data.length)
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true)
  out.set(json, 8)
  out.set(data, 8 + json.length)
  return out
}

describe('safetensors', () => {
  it('lays out a tiny file byte by byte: length prefix, padded JSON header, little-endian data', () => {
    const bytes = encodeSafetensors(
      {b: {dtype: 'F32', shape: [2], data: Float32Array.from([1.5, -2])}, a: {dtype: 'I32', shape: [1, 1], data: Int32Array.from([7])}},
      {format: 'pt'},
    )
    const json = '{"__metadata__":{"format":"pt"},"a":{"dtype":"I32","shape":[1,1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}'
    expect(json.length).toBe(141)
    const padded = 144 // next multiple of 8
    expect([...bytes.subarray(0, 8)]).toEqual([144, 0, 0, 0, 0, 0, 0, 0])
    expect(Buffer.from(bytes.subarray(8, 8 + padded)).toString('latin1')).toBe(json + '   ')
    expect([...bytes.subarray(8 + padded)]).toEqual([7, 0, 0, 0, 0, 0, 0xc0, 0x3f, 0, 0, 0, 0xc0])
    expect(bytes.length).toBe(8 + padded + 12)
  })

  it('reads back what it wrote bit for bit, through a real file, for F32, I32 and I64', async () => {
    const rng = new Rng(1)
    const f32 = Float32Array.from({length: 1000}, () => rng.normal())
    f32.set([Number.NaN, -0, Number.POSITIVE_INFINITY, 1e-45], 0)
    const tensors: Record<string, SafeTensor> = {
      'tower.0.kernel': {dtype: 'F32', shape: [10, 100], data: f32},
      'empty': {dtype: 'F32', shape: [0, 64], data: new Float32Array(0)},
      'counts': {dtype: 'I32', shape: [3], data: Int32Array.from([-1, 0, 2 ** 31 - 1])},
      'ids': {dtype: 'I64', shape: [2], data: BigInt64Array.from([2n ** 62n + 1n, -5n])},
    }
    const path = join(tempDir(), 'ckpt', 'weights.safetensors')
    await writeSafetensors(path, tensors, {arch: 'two-tower'})
    const back = await readSafetensors(path)
    expect(back.metadata).toEqual({arch: 'two-tower'})
    expect([...back.tensors.keys()].sort()).toEqual(Object.keys(tensors).sort())
    for (const [name, tensor] of Object.entries(tensors)) {
      const read = back.tensors.get(name)!
      expect(read.dtype).toBe(tensor.dtype)
      expect(read.shape).toEqual(tensor.shape)
      expect(Buffer.from(read.data.buffer, read.data.byteOffset, read.data.byteLength)).toEqual(
        Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength),
      )
    }
    // The I64 tensor is laid out first, so it starts 8-byte aligned.
    const header = JSON.parse(readFileSync(path).subarray(8, 8 + Number(readFileSync(path).readBigUInt64LE(0))).toString())
    expect(header.ids.data_offsets).toEqual([0, 16])
  })

  it('writes the same bytes whatever the insertion order', () => {
    const x: SafeTensor = {dtype: 'F32', shape: [2], data: Float32Array.from([1, 2])}
    const y: SafeTensor = {dtype: 'F32', shape: [1], data: Float32Array.from([3])}
    const z: SafeTensor = {dtype: 'I32', shape: [1], data: Int32Array.from([4])}
    const one = encodeSafetensors(new Map<string, SafeTensor>([['x', x], ['10', y], ['z', z]]), {b: '1', a: '2'})
    const two = encodeSafetensors(new Map<string, SafeTensor>([['z', z], ['x', x], ['10', y]]), {a: '2', b: '1'})
    expect(Buffer.from(one).equals(Buffer.from(two))).toBe(true)
    expect(Buffer.from(one).toString('latin1')).toContain('"__metadata__":{"a":"2","b":"1"},"10":')
  })

  it('rejects malformed files with BAD_DATA naming the file', () => {
    const cases: Array<[Uint8Array, RegExp]> = [
      [new Uint8Array(5), /too short/],
      [Uint8Array.from([200, 0, 0, 0, 0, 0, 0, 0, 32]), /header length 200 exceeds/],
      [handMade('{"a": '), /not JSON/],
      [handMade('[1]'), /not a JSON object/],
      [handMade('{"a":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}', [0, 0]), /dtype "F16"/],
      [handMade('{"a":{"dtype":"toString","shape":[1],"data_offsets":[0,4]}}', [0, 0, 0, 0]), /dtype "toString"/],
      [handMade('{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', [0, 0, 0, 0]), /shape \[-1\]/],
      [handMade('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}', [0, 0, 0, 0]), /spans 4 bytes but F32 \[2\] needs 8/],
      [handMade('{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', [0, 0, 0, 0, 0, 0, 0, 0]), /starts at byte 4, expected 0/],
      [handMade('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', [0, 0, 0, 0, 9]), /cover 4 data bytes but the file holds 5/],
      [handMade('{"__metadata__":{"n":1}}'), /__metadata__.n is not a string/],
    ]
    for (const [bytes, message] of cases) {
      const error = errorOf(() => decodeSafetensors(bytes, 'bad.safetensors'))
      expect(error.code).toBe('BAD_DATA')
      expect(error.message).toMatch(/^bad\.safetensors: not a valid safetensors file: /)
      expect(error.message).toMatch(message)
    }
  })

  it('reports a missing file as NOT_FOUND and a truncated real file as BAD_DATA', async () => {
    const dir = tempDir()
    await expect(readSafetensors(join(dir, 'nope.safetensors'))).rejects.toMatchObject({code: 'NOT_FOUND'})
    const path = join(dir, 'cut.safetensors')
    const whole = encodeSafetensors({w: {dtype: 'F32', shape: [4], data: new Float32Array(4)}})
    writeFileSync(path, whole.subarray(0, whole.length - 3))
    await expect(readSafetensors(path)).rejects.toMatchObject({code: 'BAD_DATA', message: expect.stringContaining(path)})
  })

  it('refuses tensors whose data does not match their shape', () => {
    expect(errorOf(() => encodeSafetensors({w: {dtype: 'F32', shape: [3], data: new Float32Array(4)}})).code).toBe('MISMATCH')
  })
})
