// The embedded Store: one SQLite file (WAL) in the --state directory; a write is committed before the HTTP 2xx.
import {mkdirSync} from 'node:fs'
import {join} from 'node:path'

import Database from 'better-sqlite3'

import {RecError} from '../errors.js'
import {SQLITE_MIGRATIONS} from './sqlite-migrations.js'
import {decodeTopNItems, encodeTopNItems, newestPerUser} from './top-n-rows.js'
import type {Impression, Reroute, StoredArm, SessionState, Store, StoredInteraction, TimeRange, TopNList} from './types.js'

export const SQLITE_FILE = 'interactions.sqlite'

interface InteractionRow {
  user_id: string
  item_id: string
  event: string
  ts: number
  dwell_ms: number | null
  position: number | null
  request_id: string | null
}

interface ImpressionRow {
  request_id: string
  ts: number
  user_id: string
  item_id: string
  position: number
  source: string
  score: number
  experiment: string | null
  arm: string | null
  versions: string
  propensity: number | null
  strategy: string | null
  strategy_probability: number | null
}

const IMPRESSION_COLUMNS = 'request_id, ts, user_id, item_id, position, source, score, experiment, arm, versions, propensity, strategy, strategy_probability'

/**
 * synchronous=FULL: WAL alone already survives kill -9 of the server (a commit is in the WAL file
 * before write() returns), but a 2xx promises the interaction is kept, and only FULL also fsyncs
 * each commit so that it survives an OS crash or power loss. Cost: one fsync per request (a batch
 * of interactions is one transaction, so one fsync).
 */
export class SqliteStore implements Store {
  readonly description: string
  private readonly db: Database.Database
  private readonly insert: Database.Statement
  private readonly insertImpression: Database.Statement
  private readonly upsertSession: Database.Statement
  private readonly readSession: Database.Statement
  private readonly latestImpression: Database.Statement
  private readonly feedImpression: Database.Statement
  private readonly upsertTopN: Database.Statement
  private readonly readTopN: Database.Statement

  constructor(dir: string) {
    mkdirSync(dir, {recursive: true})
    const path = join(dir, SQLITE_FILE)
    this.description = `sqlite:${path}`
    this.db = new Database(path)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('synchronous = FULL')
    migrate(this.db, path)
    this.insert = this.db.prepare('INSERT INTO interactions (user_id, item_id, event, ts, dwell_ms, position, received_at, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    this.insertImpression = this.db.prepare(`INSERT INTO impressions (${IMPRESSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    this.upsertSession = this.db.prepare(
      'INSERT INTO sessions (user_id, history, seen, delta, history_events) VALUES (?, ?, ?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET history = excluded.history, seen = excluded.seen, delta = excluded.delta, history_events = excluded.history_events',
    )
    this.readSession = this.db.prepare('SELECT history, seen, delta, history_events FROM sessions WHERE user_id = ?')
    this.latestImpression = this.db.prepare(`SELECT ${IMPRESSION_COLUMNS} FROM impressions WHERE user_id = ? AND item_id = ? AND ts >= ? ORDER BY ts DESC, seq DESC LIMIT 1`)
    this.feedImpression = this.db.prepare(`SELECT ${IMPRESSION_COLUMNS} FROM impressions WHERE request_id = ? AND item_id = ? AND user_id = ? LIMIT 1`)
    // the newest list wins: an older one (a late batch import) leaves a recompute in place
    this.upsertTopN = this.db.prepare(
      'INSERT INTO topn (user_id, generated_at, versions, items) VALUES (?, ?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET generated_at = excluded.generated_at, versions = excluded.versions, items = excluded.items WHERE excluded.generated_at >= topn.generated_at',
    )
    this.readTopN = this.db.prepare('SELECT generated_at, versions, items FROM topn WHERE user_id = ?')
  }

  async schemaVersion(): Promise<number> {
    return this.db.pragma('user_version', {simple: true}) as number
  }

  async record(interactions: StoredInteraction[], sessions: Map<bigint, SessionState>): Promise<void> {
    const now = Date.now()
    this.db.transaction(() => {
      for (const r of interactions) this.insert.run(String(r.userId), String(r.itemId), r.event, r.ts, r.dwellMs ?? null, r.position ?? null, now, r.requestId ?? null)
      for (const [userId, s] of sessions) {
        const delta = s.delta ? Buffer.from(s.delta.buffer, s.delta.byteOffset, s.delta.byteLength) : null
        this.upsertSession.run(String(userId), JSON.stringify(s.history.map(String)), JSON.stringify(s.seen.map(String)), delta, s.historyEvents ? JSON.stringify(s.historyEvents) : null)
      }
    })()
  }

  async sessionUsers(): Promise<Set<bigint>> {
    const users = new Set<bigint>()
    for (const id of this.db.prepare('SELECT user_id FROM sessions').pluck().iterate() as Iterable<string>) users.add(BigInt(id))
    return users
  }

  async session(userId: bigint): Promise<SessionState | undefined> {
    const row = this.readSession.get(String(userId)) as {history: string; seen: string; delta: Buffer | null; history_events: string | null} | undefined
    if (!row) return undefined
    const delta = row.delta ? new Float32Array(row.delta.buffer.slice(row.delta.byteOffset, row.delta.byteOffset + row.delta.byteLength)) : undefined
    const state: SessionState = {history: (JSON.parse(row.history) as string[]).map(BigInt), seen: (JSON.parse(row.seen) as string[]).map(BigInt), delta}
    if (row.history_events !== null) state.historyEvents = JSON.parse(row.history_events) as string[]
    return state
  }

  async countInteractions(): Promise<number> {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM interactions').get() as {n: number}).n
  }

  async interactions(range: TimeRange = {}): Promise<StoredInteraction[]> {
    const rows = this.db.prepare(`SELECT user_id, item_id, event, ts, dwell_ms, position, request_id FROM interactions WHERE ts >= ? AND ts < ? ORDER BY seq`).all(...bounds(range)) as InteractionRow[]
    return rows.map((r) => ({
      userId: BigInt(r.user_id),
      itemId: BigInt(r.item_id),
      event: r.event,
      ts: r.ts,
      dwellMs: r.dwell_ms ?? undefined,
      position: r.position ?? undefined,
      requestId: r.request_id ?? undefined,
    }))
  }

  async recordImpressions(rows: Impression[]): Promise<void> {
    this.db.transaction(() => {
      for (const r of rows) {
        this.insertImpression.run(r.requestId, r.ts, String(r.userId), String(r.itemId), r.position, r.source, r.score, r.experiment ?? null, r.arm ?? null, JSON.stringify(r.versions), r.propensity ?? null, r.strategy ?? null, r.strategyProbability ?? null)
      }
    })()
  }

  async countImpressions(): Promise<number> {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM impressions').get() as {n: number}).n
  }

  async impressions(range: TimeRange = {}): Promise<Impression[]> {
    const rows = this.db.prepare(`SELECT ${IMPRESSION_COLUMNS} FROM impressions WHERE ts >= ? AND ts < ? ORDER BY seq`).all(...bounds(range)) as ImpressionRow[]
    return rows.map(toImpression)
  }

  async findImpression(userId: bigint, itemId: bigint, options: {since: number; requestId?: string}): Promise<Impression | undefined> {
    const row = (options.requestId === undefined
      ? this.latestImpression.get(String(userId), String(itemId), options.since)
      : this.feedImpression.get(options.requestId, String(itemId), String(userId))) as ImpressionRow | undefined
    return row && toImpression(row)
  }

  async reroutes(): Promise<Reroute[]> {
    const rows = this.db.prepare('SELECT experiment, from_arm, to_arm, reason, at FROM reroutes ORDER BY at, experiment, from_arm').all() as {experiment: string; from_arm: string; to_arm: string; reason: string; at: number}[]
    return rows.map((r) => ({experiment: r.experiment, fromArm: r.from_arm, toArm: r.to_arm, reason: r.reason, at: r.at}))
  }

  async saveReroute(r: Reroute): Promise<void> {
    this.db
      .prepare('INSERT INTO reroutes (experiment, from_arm, to_arm, reason, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(experiment, from_arm) DO UPDATE SET to_arm = excluded.to_arm, reason = excluded.reason, at = excluded.at')
      .run(r.experiment, r.fromArm, r.toArm, r.reason, r.at)
  }

  async saveTopN(lists: TopNList[]): Promise<void> {
    // one transaction, so one fsync, for a whole batch of users (an import of 100k lists one by one would take minutes)
    this.db.transaction(() => {
      for (const list of newestPerUser(lists)) this.upsertTopN.run(String(list.userId), list.generatedAt, JSON.stringify(list.versions), encodeTopNItems(list.items))
    })()
  }

  async topN(userId: bigint): Promise<TopNList | undefined> {
    const row = this.readTopN.get(String(userId)) as {generated_at: number; versions: string; items: string} | undefined
    return row && {userId, generatedAt: row.generated_at, versions: JSON.parse(row.versions) as Record<string, string>, items: decodeTopNItems(row.items)}
  }

  async banditArms(bandit: string): Promise<StoredArm[]> {
    const rows = this.db.prepare('SELECT arm, pulls, reward_sum FROM bandit_arms WHERE bandit = ? ORDER BY arm').all(bandit) as {arm: string; pulls: number; reward_sum: number}[]
    return rows.map((r) => ({arm: r.arm, pulls: r.pulls, rewardSum: r.reward_sum}))
  }

  async addBanditCounts(bandit: string, deltas: StoredArm[]): Promise<void> {
    const add = this.db.prepare(
      'INSERT INTO bandit_arms (bandit, arm, pulls, reward_sum) VALUES (?, ?, ?, ?) ON CONFLICT(bandit, arm) DO UPDATE SET pulls = pulls + excluded.pulls, reward_sum = reward_sum + excluded.reward_sum',
    )
    this.db.transaction(() => {
      for (const d of deltas) add.run(bandit, d.arm, d.pulls, d.rewardSum)
    })()
  }

  async replaceBanditArms(bandit: string, arms: StoredArm[]): Promise<void> {
    const insert = this.db.prepare('INSERT INTO bandit_arms (bandit, arm, pulls, reward_sum) VALUES (?, ?, ?, ?)')
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM bandit_arms WHERE bandit = ?').run(bandit)
      for (const a of arms) insert.run(bandit, a.arm, a.pulls, a.rewardSum)
    })()
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close()
  }
}

/** Applies the steps after the database's user_version, each with its version bump in one transaction. */
function migrate(db: Database.Database, path: string): void {
  const applied = db.pragma('user_version', {simple: true}) as number
  if (applied > SQLITE_MIGRATIONS.length) {
    throw new RecError('MISMATCH', `${path} has schema version ${applied}, newer than this rec's ${SQLITE_MIGRATIONS.length}`, {hint: 'upgrade rec, or use another --state directory'})
  }
  for (let step = applied; step < SQLITE_MIGRATIONS.length; step++) {
    db.transaction(() => {
      db.exec(SQLITE_MIGRATIONS[step])
      db.pragma(`user_version = ${step + 1}`)
    })()
  }
}

function bounds(range: TimeRange): [number, number] {
  return [range.since ?? Number.MIN_SAFE_INTEGER, range.until ?? Number.MAX_SAFE_INTEGER]
}

function toImpression(r: ImpressionRow): Impression {
  return {
    requestId: r.request_id,
    ts: r.ts,
    userId: BigInt(r.user_id),
    itemId: BigInt(r.item_id),
    position: r.position,
    source: r.source,
    score: r.score,
    versions: JSON.parse(r.versions) as Record<string, string>,
    ...(r.experiment === null ? {} : {experiment: r.experiment}),
    ...(r.arm === null ? {} : {arm: r.arm}),
    ...(r.propensity === null ? {} : {propensity: r.propensity}),
    ...(r.strategy === null ? {} : {strategy: r.strategy}),
    ...(r.strategy_probability === null ? {} : {strategyProbability: r.strategy_probability}),
  }
}
