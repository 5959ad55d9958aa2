// Sums gradients per table row over one step, in insertion order, touching only the rows it is given.
import {addScaledRow} from '../kernels/rows.js'

/**
 * Pending gradients of a [rows, dim] table: row r's sum lives at values[slot * dim ..] where
 * slot is the order in which r was first added. Memory is 4 bytes per table row for the slot map
 * plus [touched rows, dim] floats, so a 1M-row table does not pay for a dense gradient.
 */
export class RowGradients {
  readonly dim: number
  /** Rows with a pending gradient, in first-touch order; valid up to `count`. */
  rowList: Int32Array
  /** [count, dim] summed gradients, aligned with rowList. */
  values: Float32Array
  count = 0
  private readonly slotOf: Int32Array

  constructor(rows: number, dim: number) {
    this.dim = dim
    this.slotOf = new Int32Array(rows).fill(-1)
    const capacity = Math.min(rows, 1024)
    this.rowList = new Int32Array(capacity)
    this.values = new Float32Array(capacity * dim)
  }

  /** values[row] += scale * grad[offset .. offset + dim]. */
  add(row: number, grad: Float32Array, offset: number, scale: number): void {
    let slot = this.slotOf[row]
    if (slot < 0) {
      slot = this.count++
      if (slot === this.rowList.length) this.grow()
      this.slotOf[row] = slot
      this.rowList[slot] = row
      this.values.fill(0, slot * this.dim, slot * this.dim + this.dim)
    }
    addScaledRow(this.values, slot * this.dim, grad, offset, this.dim, scale)
  }

  /** Forgets every pending row in O(touched rows). */
  clear(): void {
    for (let k = 0; k < this.count; k++) this.slotOf[this.rowList[k]] = -1
    this.count = 0
  }

  private grow(): void {
    const capacity = Math.min(this.slotOf.length, this.rowList.length * 2)
    const rowList = new Int32Array(capacity)
    rowList.set(this.rowList)
    const values = new Float32Array(capacity * this.dim)
    values.set(this.values)
    this.rowList = rowList
    this.values = values
  }
}
