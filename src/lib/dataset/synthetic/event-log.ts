// The interactions being generated, as preallocated typed columns in generation order (about 32 bytes a row).
export class EventLog {
  readonly capacity: number
  length = 0
  readonly user: Int32Array
  readonly item: Int32Array
  readonly ts: Float64Array
  readonly event: Uint8Array
  readonly position: Int16Array
  /** Read time for dwell rows; null (dwellNull = 1) elsewhere. */
  readonly dwellMs: Int32Array
  readonly dwellNull: Uint8Array
  readonly source: Uint8Array
  /** ts of the impression each row belongs to: ties a click to the impression that led to it. */
  readonly anchorTs: Float64Array

  constructor(capacity: number) {
    this.capacity = capacity
    this.user = new Int32Array(capacity)
    this.item = new Int32Array(capacity)
    this.ts = new Float64Array(capacity)
    this.event = new Uint8Array(capacity)
    this.position = new Int16Array(capacity)
    this.dwellMs = new Int32Array(capacity)
    this.dwellNull = new Uint8Array(capacity).fill(1)
    this.source = new Uint8Array(capacity)
    this.anchorTs = new Float64Array(capacity)
  }

  get full(): boolean {
    return this.length >= this.capacity
  }

  /** Appends one row; returns false (and drops it) once the log is full. */
  push(user: number, item: number, ts: number, event: number, position: number, source: number, anchorTs: number): boolean {
    const r = this.length
    if (r >= this.capacity) return false
    this.user[r] = user
    this.item[r] = item
    this.ts[r] = ts
    this.event[r] = event
    this.position[r] = position
    this.source[r] = source
    this.anchorTs[r] = anchorTs
    this.length = r + 1
    return true
  }

  /** Sets the dwell time of the row just pushed. */
  setDwell(ms: number): void {
    this.dwellMs[this.length - 1] = ms
    this.dwellNull[this.length - 1] = 0
  }
}
