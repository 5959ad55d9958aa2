// Durable interaction log and session state in SQLite (WAL): a row is committed before the HTTP 2xx.
import {mkdirSync} from 'node:fs'
import {join} from 'node:path'

import Database from 'better-sqlite3'

export interface StoredInteraction {
  userId: bigint
  itemId: bigint
  event: string
  ts: number
  dwellMs?: number
  position?: number
}

export interface SessionState {
  /** Session positives, oldest first (item ids). */
  history: bigint[]
  /**
   * The event of each `history` entry (addPositive keeps them in step). A session stored before events were
   * kept has none: its entries, like any beyond this list's end or given as '', are of an unknown event.
   */
  historyEvents?: string[]
  /** Every item the session touched (positives and negatives): filtered as seen. */
  seen: bigint[]
  delta: Float32Array | undefined
}

/**
 * synchronous=FULL: WAL alone already survives kill -9 of the server (a commit is in the WAL file
 * before write() returns), but a 2xx promises the interaction is kept, and only FULL also fsyncs
 * each commit so that it survives an OS crash or power loss. Cost: one fsync per request (a batch
 * of interactions is one transaction, so one fsync).
 */
export class InteractionStore {
  private readonly db: Database.Database
  private readonly insert: Database.Statement
  private readonly upsertSession: Database.Statement
  private readonly readSession: Database.Statement

  constructor(dir: string) {
    mkdirSync(dir, {recursive: true})
    this.db = new Database(join(dir, 'interactions.sqlite'))
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('synchronous = FULL')
    this.db.exec(`CREATE TABLE IF NOT EXISTS interactions (
      seq INTEGER PRIMARY KEY, user_id TEXT NOT NULL, item_id TEXT NOT NULL, event TEXT NOT NULL,
      ts INTEGER NOT NULL, dwell_ms INTEGER, position INTEGER, received_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS sessions (user_id TEXT PRIMARY KEY, history TEXT NOT NULL, seen TEXT NOT NULL, delta BLOB, history_events TEXT)`)
    // a state directory of an earlier version: its sessions keep their rows, with no events (NULL)
    const columns = this.db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('sessions')
    if (!columns.includes('history_events')) this.db.exec('ALTER TABLE sessions ADD COLUMN history_events TEXT')
    this.insert = this.db.prepare('INSERT INTO interactions (user_id, item_id, event, ts, dwell_ms, position, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    this.upsertSession = this.db.prepare(
      'INSERT INTO sessions (user_id, history, seen, delta, history_events) VALUES (?, ?, ?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET history = excluded.history, seen = excluded.seen, delta = excluded.delta, history_events = excluded.history_events',
    )
    this.readSession = this.db.prepare('SELECT history, seen, delta, history_events FROM sessions WHERE user_id = ?')
  }

  /** Interactions and the sessions they changed, in one transaction (all or none). */
  record(interactions: StoredInteraction[], sessions: Map<bigint, SessionState>): void {
    const now = Date.now()
    this.db.transaction(() => {
      for (const r of interactions) this.insert.run(String(r.userId), String(r.itemId), r.event, r.ts, r.dwellMs ?? null, r.position ?? null, now)
      for (const [userId, s] of sessions) {
        const delta = s.delta ? Buffer.from(s.delta.buffer, s.delta.byteOffset, s.delta.byteLength) : null
        const events = s.historyEvents ? JSON.stringify(s.historyEvents) : null
        this.upsertSession.run(String(userId), JSON.stringify(s.history.map(String)), JSON.stringify(s.seen.map(String)), delta, events)
      }
    })()
  }

  /** Users with a stored session. */
  sessionUsers(): Set<bigint> {
    const users = new Set<bigint>()
    for (const id of this.db.prepare('SELECT user_id FROM sessions').pluck().iterate() as Iterable<string>) users.add(BigInt(id))
    return users
  }

  session(userId: bigint): SessionState | undefined {
    const row = this.readSession.get(String(userId)) as {history: string; seen: string; delta: Buffer | null; history_events: string | null} | undefined
    if (!row) return undefined
    const delta = row.delta ? new Float32Array(row.delta.buffer.slice(row.delta.byteOffset, row.delta.byteOffset + row.delta.byteLength)) : undefined
    const state: SessionState = {history: (JSON.parse(row.history) as string[]).map(BigInt), seen: (JSON.parse(row.seen) as string[]).map(BigInt), delta}
    if (row.history_events !== null) state.historyEvents = JSON.parse(row.history_events) as string[]
    return state
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM interactions').get() as {n: number}).n
  }

  /** Every stored interaction in arrival order. */
  all(): StoredInteraction[] {
    const rows = this.db.prepare('SELECT user_id, item_id, event, ts, dwell_ms, position FROM interactions ORDER BY seq').all() as {user_id: string; item_id: string; event: string; ts: number; dwell_ms: number | null; position: number | null}[]
    return rows.map((r) => ({userId: BigInt(r.user_id), itemId: BigInt(r.item_id), event: r.event, ts: r.ts, dwellMs: r.dwell_ms ?? undefined, position: r.position ?? undefined}))
  }

  close(): void {
    if (this.db.open) this.db.close()
  }
}
