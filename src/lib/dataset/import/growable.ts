// Append-only typed arrays for readers that do not know the row count up front (capacity doubles).

type Typed = BigInt64Array | Float64Array | Float32Array | Int32Array | Uint8Array

interface TypedCtor<A extends Typed> {
  new (length: number): A
}

/** A typed array that grows by doubling; `finish()` returns a right-sized copy of the rows pushed. */
export class Growable<A extends Typed> {
  private data: A
  private size = 0

  constructor(
    private readonly make: TypedCtor<A>,
    capacity = 1024,
  ) {
    this.data = new make(capacity)
  }

  get length(): number {
    return this.size
  }

  push(value: A extends BigInt64Array ? bigint : number): void {
    if (this.size === this.data.length) {
      const bigger = new this.make(this.data.length * 2)
      bigger.set(this.data as never)
      this.data = bigger
    }
    ;(this.data as unknown as (bigint | number)[])[this.size++] = value
  }

  finish(): A {
    return this.data.slice(0, this.size) as A
  }
}
