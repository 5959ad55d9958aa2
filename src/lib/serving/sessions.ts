// Per-user session state in memory, loaded lazily from and written through to the interaction store.
import type {InteractionStore, SessionState} from './interaction-store.js'

export class Sessions {
  private readonly cache = new Map<bigint, SessionState>()
  /** Bumped on every change of a user's session: invalidates cached user vectors and reseeds exploration. */
  private readonly versions = new Map<bigint, number>()

  constructor(private readonly store: InteractionStore | undefined) {}

  get(userId: bigint): SessionState {
    let state = this.cache.get(userId)
    if (!state) {
      state = this.store?.session(userId) ?? {history: [], seen: [], delta: undefined}
      this.cache.set(userId, state)
    }
    return state
  }

  version(userId: bigint): number {
    return this.versions.get(userId) ?? 0
  }

  touch(userId: bigint): void {
    this.versions.set(userId, this.version(userId) + 1)
  }
}
