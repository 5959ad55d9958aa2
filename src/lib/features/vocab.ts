// Id and category vocabularies: caller ids -> dense rows, with row 0 reserved for out-of-vocabulary.
import {createHash} from 'node:crypto'

/** Row 0 of every table is the out-of-vocabulary row: unseen ids and values map there. */
export const OOV_ROW = 0

/** int64 ids -> rows 1..n, in ascending id order so that the same id set always gives the same rows. */
export class IdVocab {
  readonly ids: BigInt64Array // row - 1 -> id
  private readonly index: Map<bigint, number>

  constructor(ids: BigInt64Array) {
    this.ids = ids
    this.index = new Map()
    for (let i = 0; i < ids.length; i++) this.index.set(ids[i], i + 1)
  }

  static fromValues(values: BigInt64Array): IdVocab {
    const unique = BigInt64Array.from(new Set(values))
    unique.sort()
    return new IdVocab(unique)
  }

  /** Rows including the OOV row. */
  get size(): number {
    return this.ids.length + 1
  }

  row(id: bigint): number {
    return this.index.get(id) ?? OOV_ROW
  }

  has(id: bigint): boolean {
    return this.index.has(id)
  }

  rows(ids: BigInt64Array): Int32Array {
    const out = new Int32Array(ids.length)
    for (let i = 0; i < ids.length; i++) out[i] = this.index.get(ids[i]) ?? OOV_ROW
    return out
  }

  /** The id of a row; undefined for the OOV row. */
  id(row: number): bigint | undefined {
    return row >= 1 && row <= this.ids.length ? this.ids[row - 1] : undefined
  }
}

/** Strings -> rows 1..n in sorted order (row 0 = OOV). */
export class CategoryVocab {
  readonly values: string[]
  private readonly index: Map<string, number>

  constructor(values: string[]) {
    this.values = values
    this.index = new Map(values.map((v, i) => [v, i + 1]))
  }

  static fromValues(values: Iterable<string>): CategoryVocab {
    return new CategoryVocab([...new Set(values)].sort())
  }

  get size(): number {
    return this.values.length + 1
  }

  row(value: string): number {
    return this.index.get(value) ?? OOV_ROW
  }
}

/** A stable digest of vocabularies: equal digests mean rows line up across checkpoints. */
export function vocabFingerprint(ids: Record<string, IdVocab>, categories: Record<string, CategoryVocab>): string {
  const hash = createHash('sha256')
  for (const name of Object.keys(ids).sort()) {
    hash.update(`id:${name}:`)
    hash.update(new Uint8Array(ids[name].ids.buffer, ids[name].ids.byteOffset, ids[name].ids.byteLength))
  }
  for (const name of Object.keys(categories).sort()) hash.update(`cat:${name}:${JSON.stringify(categories[name].values)}`)
  return hash.digest('hex')
}
