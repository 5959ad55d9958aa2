// Who follows whom while the window runs: the graph before it plus the follow_author events made during it.
import {type FollowGraph, followsBefore} from './follows.js'

export class LiveFollows {
  readonly graph: FollowGraph
  /** Follows made in the window, in the order made (the follows table appends them). */
  readonly added: {src: number[]; dst: number[]; ts: number[]} = {src: [], dst: [], ts: []}
  private readonly users: number
  private readonly addedSet = new Set<number>()
  private readonly addedBy = new Map<number, number[]>()
  /** Follows added per user: most users add none, so the Map and Set are consulted only when > 0. */
  private readonly addedCount: Int32Array

  constructor(graph: FollowGraph, users: number) {
    this.graph = graph
    this.users = users
    this.addedCount = new Int32Array(users)
  }

  has(u: number, v: number): boolean {
    return followsBefore(this.graph, u, v) || (this.addedCount[u] > 0 && this.addedSet.has(u * this.users + v))
  }

  add(u: number, v: number, ts: number): void {
    this.addedCount[u]++
    this.addedSet.add(u * this.users + v)
    const list = this.addedBy.get(u)
    if (list) list.push(v)
    else this.addedBy.set(u, [v])
    this.added.src.push(u)
    this.added.dst.push(v)
    this.added.ts.push(ts)
  }

  count(u: number): number {
    return this.graph.offsets[u + 1] - this.graph.offsets[u] + this.addedCount[u]
  }

  /** The j-th followee of u, 0 <= j < count(u): the graph's first, then those added in the window. */
  followee(u: number, j: number): number {
    const before = this.graph.offsets[u + 1] - this.graph.offsets[u]
    return j < before ? this.graph.dst[this.graph.offsets[u] + j] : this.addedBy.get(u)![j - before]
  }
}
