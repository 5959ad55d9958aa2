// Per-user session state in memory, loaded lazily from and written through to the store.
import type {SessionState, Store} from '../store/types.js'

/** The session of a user who has none: shared and frozen, so reading one costs no memory per user. */
const EMPTY: Readonly<SessionState> = Object.freeze({history: Object.freeze([]) as unknown as bigint[], seen: Object.freeze([]) as unknown as bigint[], delta: undefined})

/** Appends a session positive and its event; a session stored without events gets '' (unknown) for its earlier entries. */
export function addPositive(session: SessionState, itemId: bigint, event: string): void {
  const events = (session.historyEvents ??= [])
  // kept in step with history: pad entries of unknown event, drop any excess
  while (events.length < session.history.length) events.push('')
  events.length = session.history.length
  session.history.push(itemId)
  events.push(event)
}

export class Sessions {
  /** Users with a session (stored, or changed here); a user who only asks for feeds is not kept. */
  private readonly cache = new Map<bigint, SessionState>()
  /** Bumped on every change of a user's session: invalidates cached user vectors and reseeds exploration. */
  private readonly versions = new Map<bigint, number>()

  /** Users whose stored session is not read yet (listed once, at the first load): a feed for anyone else asks the store nothing. */
  private unread: Promise<Set<bigint>> | undefined
  /** Reads in flight, so that two requests for one user read the store once. */
  private readonly reading = new Map<bigint, Promise<void>>()

  constructor(private readonly store: Store | undefined) {}

  /** Reads the user's stored session into memory if there is one not read yet; call before peek or get. */
  async load(userId: bigint): Promise<void> {
    if (!this.store || this.cache.has(userId)) return
    this.unread ??= this.store.sessionUsers()
    const unread = await this.unread
    if (this.cache.has(userId)) return
    const pending = this.reading.get(userId)
    if (pending) return pending
    if (!unread.has(userId)) return
    const read = (async () => {
      const stored = await this.store!.session(userId)
      unread.delete(userId)
      // every writer awaits load() before get(), so nothing can have been cached meanwhile
      if (!this.cache.has(userId)) this.cache.set(userId, stored ?? {history: [], seen: [], delta: undefined})
    })().finally(() => this.reading.delete(userId))
    this.reading.set(userId, read)
    return read
  }

  /** The user's session for reading: a feed request for each of 1M users would otherwise keep 1M empty sessions. */
  peek(userId: bigint): Readonly<SessionState> {
    return this.known(userId) ?? EMPTY
  }

  /** The user's session for changing: kept from here on. */
  get(userId: bigint): SessionState {
    let state = this.known(userId)
    if (!state) this.cache.set(userId, (state = {history: [], seen: [], delta: undefined}))
    return state
  }

  /**
   * Another replica changed these users' sessions (all users: undefined): drop the cached copies, so
   * the next load reads the store again, and bump their versions so cached user vectors go too.
   */
  invalidate(userIds: bigint[] | undefined): void {
    if (userIds === undefined) {
      for (const userId of this.cache.keys()) this.touch(userId)
      this.cache.clear()
      this.unread = undefined // listed again at the next load
      return
    }
    for (const userId of userIds) {
      this.cache.delete(userId)
      this.touch(userId)
      void this.unread?.then((unread) => unread.add(userId))
    }
  }

  /** The kept session (load() has read a stored one). */
  private known(userId: bigint): SessionState | undefined {
    return this.cache.get(userId)
  }

  version(userId: bigint): number {
    return this.versions.get(userId) ?? 0
  }

  touch(userId: bigint): void {
    this.versions.set(userId, this.version(userId) + 1)
  }
}
