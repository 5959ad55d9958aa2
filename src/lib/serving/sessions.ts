// Per-user session state in memory, loaded lazily from and written through to the interaction store.
import type {InteractionStore, SessionState} from './interaction-store.js'

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

  /** Users whose stored session is not read yet: a feed for anyone else asks the store nothing. */
  private readonly unread: Set<bigint>

  constructor(private readonly store: InteractionStore | undefined) {
    this.unread = store?.sessionUsers() ?? new Set()
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

  /** The kept session, or the stored one read now and kept. */
  private known(userId: bigint): SessionState | undefined {
    const cached = this.cache.get(userId)
    if (cached || !this.unread.delete(userId)) return cached
    const stored = this.store!.session(userId)!
    this.cache.set(userId, stored)
    return stored
  }

  version(userId: bigint): number {
    return this.versions.get(userId) ?? 0
  }

  touch(userId: bigint): void {
    this.versions.set(userId, this.version(userId) + 1)
  }
}
