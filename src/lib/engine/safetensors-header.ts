// Parses and validates a safetensors header: every error is BAD_DATA naming the file and the entry.
import {RecError} from '../errors.js'

export type SafeDtype = 'F32' | 'I32' | 'I64'

export const ITEM_BYTES: Record<SafeDtype, number> = {F32: 4, I32: 4, I64: 8}

export interface HeaderEntry {
  name: string
  dtype: SafeDtype
  shape: number[]
  /** Byte range relative to dataStart. */
  begin: number
  end: number
}

export interface SafetensorsHeader {
  entries: HeaderEntry[]
  metadata: Record<string, string>
  /** Byte offset of the data block in the file: 8 + header length. */
  dataStart: number
}

/**
 * Checks what a reader must trust before slicing: the length prefix fits in the file, the header is
 * a JSON object, each tensor has a supported dtype, a shape of non-negative integers and offsets
 * whose size matches the shape, and the tensors tile the data block exactly (no gaps, no overlap).
 */
export function parseSafetensorsHeader(bytes: Uint8Array, source: string): SafetensorsHeader {
  function bad(what: string): never {
    throw new RecError('BAD_DATA', `${source}: not a valid safetensors file: ${what}`, {hint: 'rewrite it with rec or the safetensors library'})
  }
  if (bytes.length < 8) bad(`${bytes.length} bytes, too short for the 8-byte header length`)
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true)
  if (headerLength > BigInt(bytes.length - 8)) bad(`header length ${headerLength} exceeds the ${bytes.length - 8} bytes after it`)
  const dataStart = 8 + Number(headerLength)
  let header: unknown
  try {
    header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 8, dataStart - 8).toString('utf8'))
  } catch (error) {
    bad(`header is not JSON (${(error as Error).message})`)
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) bad('header is not a JSON object')
  const metadata: Record<string, string> = {}
  const entries: HeaderEntry[] = []
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) bad('__metadata__ is not an object')
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (typeof v !== 'string') bad(`__metadata__.${k} is not a string`)
        metadata[k] = v as string
      }
      continue
    }
    const {dtype, shape, data_offsets: offsets} = (value ?? {}) as {dtype?: unknown; shape?: unknown; data_offsets?: unknown}
    if (typeof dtype !== 'string' || !Object.hasOwn(ITEM_BYTES, dtype)) bad(`tensor ${name} has dtype ${JSON.stringify(dtype)}; supported: F32, I32, I64`)
    if (!Array.isArray(shape) || !shape.every((s) => Number.isSafeInteger(s) && s >= 0)) bad(`tensor ${name} has shape ${JSON.stringify(shape)}`)
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) || offsets[0] > offsets[1]) {
      bad(`tensor ${name} has data_offsets ${JSON.stringify(offsets)}`)
    }
    const [begin, end] = offsets as [number, number]
    const expected = (shape as number[]).reduce((a, b) => a * b, 1) * ITEM_BYTES[dtype as SafeDtype]
    if (end - begin !== expected) bad(`tensor ${name} spans ${end - begin} bytes but ${dtype} [${(shape as number[]).join(', ')}] needs ${expected}`)
    entries.push({name, dtype: dtype as SafeDtype, shape: shape as number[], begin, end})
  }
  const dataLength = bytes.length - dataStart
  let covered = 0
  for (const entry of [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end)) {
    if (entry.begin !== covered) bad(`tensor ${entry.name} starts at byte ${entry.begin}, expected ${covered} (gap or overlap)`)
    covered = entry.end
  }
  if (covered !== dataLength) bad(`tensors cover ${covered} data bytes but the file holds ${dataLength}`)
  return {entries, metadata, dataStart}
}
