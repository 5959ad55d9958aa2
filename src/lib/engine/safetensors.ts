// Named tensors to and from the safetensors layout, byte-deterministic, readable by PyTorch and HF tools.
import {readFile} from 'node:fs/promises'

import {RecError} from '../errors.js'
import {writeFileAtomic} from '../io/atomic.js'
import {ITEM_BYTES, parseSafetensorsHeader} from './safetensors-header.js'

export type SafeTensor =
  | {dtype: 'F32'; shape: number[]; data: Float32Array}
  | {dtype: 'I32'; shape: number[]; data: Int32Array}
  | {dtype: 'I64'; shape: number[]; data: BigInt64Array}

export interface SafetensorsFile {
  tensors: Map<string, SafeTensor>
  /** The header's "__metadata__": string to string. */
  metadata: Record<string, string>
}

// Typed arrays use the host byte order; safetensors is little-endian, as are all hosts Node runs on here.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

/**
 * Layout: u64 little-endian header length N, N bytes of JSON header (padded with spaces to a
 * multiple of 8 so data starts aligned), then the raw data. The header is
 * {"__metadata__": {...}, name: {"dtype", "shape", "data_offsets": [begin, end]}} with offsets
 * relative to the data start. Tensors are laid out by item size (8-byte types first, so every
 * tensor starts aligned to its type, as the safetensors library does) then by name: equal inputs
 * give equal bytes whatever their insertion order.
 */
export function encodeSafetensors(tensors: Map<string, SafeTensor> | Record<string, SafeTensor>, metadata: Record<string, string> = {}): Uint8Array {
  if (!LITTLE_ENDIAN) throw new RecError('INVALID_ARGUMENT', 'safetensors: writing requires a little-endian host')
  const entries = [...(tensors instanceof Map ? tensors.entries() : Object.entries(tensors))].sort(
    ([a, x], [b, y]) => ITEM_BYTES[y.dtype] - ITEM_BYTES[x.dtype] || (a < b ? -1 : a > b ? 1 : 0),
  )
  // The JSON is assembled by hand: JSON.stringify of an object would move integer-like names first.
  const parts: string[] = []
  const metaKeys = Object.keys(metadata).sort()
  if (metaKeys.length > 0) parts.push(`"__metadata__":{${metaKeys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(String(metadata[k]))}`).join(',')}}`)
  let offset = 0
  for (const [name, tensor] of entries) {
    if (name === '__metadata__') throw new RecError('INVALID_ARGUMENT', 'safetensors: "__metadata__" is reserved and cannot name a tensor')
    const size = tensor.shape.reduce((a, b) => a * b, 1)
    if (!tensor.shape.every((s) => Number.isInteger(s) && s >= 0) || size !== tensor.data.length) {
      throw new RecError('MISMATCH', `safetensors: tensor ${name} has ${tensor.data.length} values but shape [${tensor.shape.join(', ')}]`)
    }
    const end = offset + tensor.data.byteLength
    parts.push(`${JSON.stringify(name)}:{"dtype":"${tensor.dtype}","shape":[${tensor.shape.join(',')}],"data_offsets":[${offset},${end}]}`)
    offset = end
  }
  const json = Buffer.from(`{${parts.join(',')}}`, 'utf8')
  const headerLength = Math.ceil(json.length / 8) * 8
  const out = new Uint8Array(8 + headerLength + offset)
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true)
  out.set(json, 8)
  out.fill(0x20, 8 + json.length, 8 + headerLength)
  let at = 8 + headerLength
  for (const [, tensor] of entries) {
    out.set(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength), at)
    at += tensor.data.byteLength
  }
  return out
}

/** Parses and validates safetensors bytes; `source` (the file name) goes into every error. Copies the data out. */
export function decodeSafetensors(bytes: Uint8Array, source: string): SafetensorsFile {
  if (!LITTLE_ENDIAN) throw new RecError('INVALID_ARGUMENT', 'safetensors: reading requires a little-endian host')
  const {entries, metadata, dataStart} = parseSafetensorsHeader(bytes, source)
  const tensors = new Map<string, SafeTensor>()
  for (const {name, dtype, shape, begin, end} of entries) {
    // A fresh, aligned buffer per tensor (a Buffer's slice() would be a view into Node's shared pool).
    const copy = new Uint8Array(end - begin)
    copy.set(bytes.subarray(dataStart + begin, dataStart + end))
    const buffer = copy.buffer
    if (dtype === 'F32') tensors.set(name, {dtype, shape, data: new Float32Array(buffer)})
    else if (dtype === 'I32') tensors.set(name, {dtype, shape, data: new Int32Array(buffer)})
    else tensors.set(name, {dtype, shape, data: new BigInt64Array(buffer)})
  }
  return {tensors, metadata}
}

/** Writes the file atomically (temp file + rename). */
export async function writeSafetensors(path: string, tensors: Map<string, SafeTensor> | Record<string, SafeTensor>, metadata: Record<string, string> = {}): Promise<void> {
  await writeFileAtomic(path, encodeSafetensors(tensors, metadata))
}

/** Reads a file; a missing file is NOT_FOUND, a malformed one BAD_DATA naming the file. */
export async function readSafetensors(path: string): Promise<SafetensorsFile> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(path)
  } catch (error) {
    if ((error as {code?: string}).code === 'ENOENT') throw new RecError('NOT_FOUND', `weights file ${path} does not exist`, {cause: error})
    throw new RecError('BAD_DATA', `cannot read weights file ${path}: ${(error as Error).message}`, {cause: error})
  }
  return decodeSafetensors(bytes, path)
}
