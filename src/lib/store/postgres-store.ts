// The shared Store: PostgreSQL through a node-postgres pool, for several `rec serve` replicas on one database.
import {randomUUID} from 'node:crypto'

import pg from 'pg'

import {RecError} from '../errors.js'
import {POSTGRES_MIGRATIONS} from './postgres-migrations.js'
import {decodeTopNItems, encodeTopNItems, newestPerUser} from './top-n-rows.js'
import type {Impression, Reroute, StoredArm, SessionState, Store, StoredInteraction, TimeRange, TopNList} from './types.js'

/** The channel every replica LISTENs on: a payload is "<replica>:<user id>,<user id>,...". */
export const SESSION_CHANNEL = 'rec_sessions'
/** NOTIFY payloads must stay under 8,000 bytes: ~380 user ids of 20 digits per notification. */
const NOTIFY_BYTES = 7_000
/** Serialises migrations across replicas that start at once (an arbitrary constant key). */
const MIGRATION_LOCK = 7_265_031

export interface PostgresStoreOptions {
  /** Pool size; default 10 (a replica's requests wait for a connection beyond it). */
  max?: number
  /** Apply pending migrations (default true); false: MISMATCH when the schema is behind. */
  migrate?: boolean
  /** How long a request waits for a connection before UNAVAILABLE (default 2,000 ms). */
  connectTimeoutMs?: number
}

interface ImpressionRow {
  request_id: string
  ts: string
  user_id: string
  item_id: string
  position: number
  source: string
  score: number
  experiment: string | null
  arm: string | null
  versions: Record<string, string>
  propensity: number | null
  strategy: string | null
  strategy_probability: number | null
}

const IMPRESSION_COLUMNS = 'request_id, ts, user_id, item_id, position, source, score, experiment, arm, versions, propensity, strategy, strategy_probability'

/** postgres://user:secret@host/db -> postgres://user@host/db: for logs and errors. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    parsed.password = ''
    return parsed.toString()
  } catch {
    return 'postgres://(unparsable url)'
  }
}

/** Connection-level failures (refused, reset, server shutting down, timeouts): the database is away, not the request wrong. */
function isUnavailable(error: unknown): boolean {
  const e = error as {code?: string; message?: string}
  if (e.code && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|57P0[123]|08\d\d\d|53300)$/.test(e.code)) return true
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(e.message ?? '')
}

export class PostgresStore implements Store {
  readonly description: string
  /** Tells this replica's own notifications from the others'. */
  readonly replica = randomUUID()
  private listener: pg.Client | undefined
  private closed = false

  private constructor(
    private readonly pool: pg.Pool,
    url: string,
  ) {
    this.description = redactUrl(url)
  }

  /** Connects (UNAVAILABLE when the database cannot be reached) and brings the schema up to date. */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const pool = new pg.Pool({connectionString: url, max: options.max ?? 10, connectionTimeoutMillis: options.connectTimeoutMs ?? 2_000})
    // an idle client whose server went away emits here; without a listener that is an uncaught exception
    pool.on('error', () => {})
    const store = new PostgresStore(pool, url)
    try {
      await store.migrate(options.migrate ?? true)
    } catch (error) {
      await pool.end().catch(() => {})
      throw error
    }
    return store
  }

  /** The schema version of the database at `url` without changing it (0 before the first migration). */
  static async peekVersion(url: string): Promise<number> {
    const client = new pg.Client({connectionString: url, connectionTimeoutMillis: 2_000})
    client.on('error', () => {})
    try {
      await client.connect()
    } catch (error) {
      throw new RecError('UNAVAILABLE', `the store at ${redactUrl(url)} is unavailable: ${(error as Error).message}`, {cause: error})
    }
    try {
      const exists = (await client.query<{t: string | null}>("SELECT to_regclass('rec_schema') AS t")).rows[0].t
      return exists ? ((await client.query<{version: number}>('SELECT version FROM rec_schema')).rows[0]?.version ?? 0) : 0
    } finally {
      await client.end().catch(() => {})
    }
  }

  /** Runs `fn` with a pooled client; a connection failure becomes UNAVAILABLE (HTTP 503), never a crash. */
  private async use<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient
    try {
      client = await this.pool.connect()
    } catch (error) {
      throw this.unavailable(error)
    }
    let broken = false
    try {
      return await fn(client)
    } catch (error) {
      broken = isUnavailable(error)
      throw broken ? this.unavailable(error) : error
    } finally {
      client.release(broken)
    }
  }

  private unavailable(error: unknown): RecError {
    return new RecError('UNAVAILABLE', `the store at ${this.description} is unavailable: ${(error as Error).message}`, {cause: error, hint: 'check that PostgreSQL is running and reachable; requests succeed again once it is'})
  }

  private async transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.use(async (client) => {
      await client.query('BEGIN')
      try {
        const result = await fn(client)
        await client.query('COMMIT')
        return result
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {})
        throw error
      }
    })
  }

  private async migrate(apply: boolean): Promise<void> {
    await this.transaction(async (client) => {
      // replicas starting together: the first applies the steps, the others wait here and find them applied
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK])
      await client.query('CREATE TABLE IF NOT EXISTS rec_schema (version INTEGER NOT NULL)')
      const row = (await client.query<{version: number}>('SELECT version FROM rec_schema')).rows[0]
      const applied = row?.version ?? 0
      if (applied > POSTGRES_MIGRATIONS.length) {
        throw new RecError('MISMATCH', `${this.description} has schema version ${applied}, newer than this rec's ${POSTGRES_MIGRATIONS.length}`, {hint: 'upgrade rec on every replica'})
      }
      if (applied < POSTGRES_MIGRATIONS.length && !apply) {
        throw new RecError('MISMATCH', `${this.description} has schema version ${applied}; this rec needs ${POSTGRES_MIGRATIONS.length}`, {hint: 'run rec store migrate --store URL'})
      }
      for (let step = applied; step < POSTGRES_MIGRATIONS.length; step++) await client.query(POSTGRES_MIGRATIONS[step])
      if (!row) await client.query('INSERT INTO rec_schema (version) VALUES ($1)', [POSTGRES_MIGRATIONS.length])
      else if (applied < POSTGRES_MIGRATIONS.length) await client.query('UPDATE rec_schema SET version = $1', [POSTGRES_MIGRATIONS.length])
    })
  }

  /** Schema version applied (for `rec store migrate`). */
  async schemaVersion(): Promise<number> {
    return this.use(async (client) => (await client.query<{version: number}>('SELECT version FROM rec_schema')).rows[0]?.version ?? 0)
  }

  async record(interactions: StoredInteraction[], sessions: Map<bigint, SessionState>): Promise<void> {
    const now = Date.now()
    await this.transaction(async (client) => {
      if (interactions.length > 0) {
        // one statement per batch: unnest turns the column arrays into rows
        await client.query(
          `INSERT INTO interactions (user_id, item_id, event, ts, dwell_ms, position, received_at, request_id)
           SELECT u, i, e, t, d, p, $7, r FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::int[], $6::int[], $8::text[]) AS x(u, i, e, t, d, p, r)`,
          [
            interactions.map((r) => String(r.userId)),
            interactions.map((r) => String(r.itemId)),
            interactions.map((r) => r.event),
            interactions.map((r) => String(r.ts)),
            interactions.map((r) => r.dwellMs ?? null),
            interactions.map((r) => r.position ?? null),
            now,
            interactions.map((r) => r.requestId ?? null),
          ],
        )
      }
      for (const [userId, s] of sessions) {
        const delta = s.delta ? Buffer.from(s.delta.buffer, s.delta.byteOffset, s.delta.byteLength) : null
        await client.query(
          `INSERT INTO sessions (user_id, history, seen, delta, history_events) VALUES ($1, $2::bigint[], $3::bigint[], $4, $5::text[])
           ON CONFLICT (user_id) DO UPDATE SET history = excluded.history, seen = excluded.seen, delta = excluded.delta, history_events = excluded.history_events`,
          [String(userId), s.history.map(String), s.seen.map(String), delta, s.historyEvents ?? null],
        )
      }
      // delivered at COMMIT, so a replica that hears it reads the committed session
      for (const payload of notifyPayloads(this.replica, [...sessions.keys()])) await client.query('SELECT pg_notify($1, $2)', [SESSION_CHANNEL, payload])
    })
  }

  async sessionUsers(): Promise<Set<bigint>> {
    return this.use(async (client) => new Set((await client.query<{user_id: string}>('SELECT user_id FROM sessions')).rows.map((r) => BigInt(r.user_id))))
  }

  async session(userId: bigint): Promise<SessionState | undefined> {
    const row = await this.use(async (client) => (await client.query<{history: string[]; seen: string[]; delta: Buffer | null; history_events: string[] | null}>('SELECT history, seen, delta, history_events FROM sessions WHERE user_id = $1', [String(userId)])).rows[0])
    if (!row) return undefined
    const delta = row.delta ? new Float32Array(row.delta.buffer.slice(row.delta.byteOffset, row.delta.byteOffset + row.delta.byteLength)) : undefined
    const state: SessionState = {history: row.history.map(BigInt), seen: row.seen.map(BigInt), delta}
    if (row.history_events !== null) state.historyEvents = row.history_events
    return state
  }

  async countInteractions(): Promise<number> {
    return this.use(async (client) => Number((await client.query<{n: string}>('SELECT COUNT(*) AS n FROM interactions')).rows[0].n))
  }

  async interactions(range: TimeRange = {}): Promise<StoredInteraction[]> {
    const rows = await this.use(
      async (client) =>
        (
          await client.query<{user_id: string; item_id: string; event: string; ts: string; dwell_ms: number | null; position: number | null; request_id: string | null}>(
            'SELECT user_id, item_id, event, ts, dwell_ms, position, request_id FROM interactions WHERE ts >= $1 AND ts < $2 ORDER BY seq',
            bounds(range),
          )
        ).rows,
    )
    return rows.map((r) => ({
      userId: BigInt(r.user_id),
      itemId: BigInt(r.item_id),
      event: r.event,
      ts: Number(r.ts),
      dwellMs: r.dwell_ms ?? undefined,
      position: r.position ?? undefined,
      requestId: r.request_id ?? undefined,
    }))
  }

  async recordImpressions(rows: Impression[]): Promise<void> {
    if (rows.length === 0) return
    await this.use(async (client) => {
      await client.query(
        `INSERT INTO impressions (${IMPRESSION_COLUMNS})
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::int[], $6::text[], $7::float8[], $8::text[], $9::text[], $10::jsonb[], $11::float8[], $12::text[], $13::float8[])`,
        [
          rows.map((r) => r.requestId),
          rows.map((r) => String(r.ts)),
          rows.map((r) => String(r.userId)),
          rows.map((r) => String(r.itemId)),
          rows.map((r) => r.position),
          rows.map((r) => r.source),
          rows.map((r) => r.score),
          rows.map((r) => r.experiment ?? null),
          rows.map((r) => r.arm ?? null),
          rows.map((r) => JSON.stringify(r.versions)),
          rows.map((r) => r.propensity ?? null),
          rows.map((r) => r.strategy ?? null),
          rows.map((r) => r.strategyProbability ?? null),
        ],
      )
    })
  }

  async countImpressions(): Promise<number> {
    return this.use(async (client) => Number((await client.query<{n: string}>('SELECT COUNT(*) AS n FROM impressions')).rows[0].n))
  }

  async impressions(range: TimeRange = {}): Promise<Impression[]> {
    const rows = await this.use(async (client) => (await client.query<ImpressionRow>(`SELECT ${IMPRESSION_COLUMNS} FROM impressions WHERE ts >= $1 AND ts < $2 ORDER BY seq`, bounds(range))).rows)
    return rows.map(toImpression)
  }

  async findImpression(userId: bigint, itemId: bigint, options: {since: number; requestId?: string}): Promise<Impression | undefined> {
    const row = await this.use(async (client) =>
      options.requestId === undefined
        ? (await client.query<ImpressionRow>(`SELECT ${IMPRESSION_COLUMNS} FROM impressions WHERE user_id = $1 AND item_id = $2 AND ts >= $3 ORDER BY ts DESC, seq DESC LIMIT 1`, [String(userId), String(itemId), options.since])).rows[0]
        : (await client.query<ImpressionRow>(`SELECT ${IMPRESSION_COLUMNS} FROM impressions WHERE request_id = $1 AND item_id = $2 AND user_id = $3 LIMIT 1`, [options.requestId, String(itemId), String(userId)])).rows[0],
    )
    return row && toImpression(row)
  }

  async reroutes(): Promise<Reroute[]> {
    const rows = await this.use(async (client) => (await client.query<{experiment: string; from_arm: string; to_arm: string; reason: string; at: string}>('SELECT experiment, from_arm, to_arm, reason, at FROM reroutes ORDER BY at, experiment, from_arm')).rows)
    return rows.map((r) => ({experiment: r.experiment, fromArm: r.from_arm, toArm: r.to_arm, reason: r.reason, at: Number(r.at)}))
  }

  async saveReroute(r: Reroute): Promise<void> {
    await this.use(async (client) => {
      await client.query(
        'INSERT INTO reroutes (experiment, from_arm, to_arm, reason, at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (experiment, from_arm) DO UPDATE SET to_arm = excluded.to_arm, reason = excluded.reason, at = excluded.at',
        [r.experiment, r.fromArm, r.toArm, r.reason, r.at],
      )
    })
  }

  async saveTopN(lists: TopNList[]): Promise<void> {
    const newest = newestPerUser(lists)
    if (newest.length === 0) return
    // one statement per batch; the newest list wins, so an older one (a late batch import) leaves a recompute in place
    await this.use(async (client) => {
      await client.query(
        `INSERT INTO topn (user_id, generated_at, versions, items)
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::jsonb[], $4::jsonb[])
         ON CONFLICT (user_id) DO UPDATE SET generated_at = excluded.generated_at, versions = excluded.versions, items = excluded.items
         WHERE excluded.generated_at >= topn.generated_at`,
        [newest.map((l) => String(l.userId)), newest.map((l) => String(l.generatedAt)), newest.map((l) => JSON.stringify(l.versions)), newest.map((l) => encodeTopNItems(l.items))],
      )
    })
  }

  async topN(userId: bigint): Promise<TopNList | undefined> {
    const row = await this.use(async (client) => (await client.query<{generated_at: string; versions: Record<string, string>; items: unknown[]}>('SELECT generated_at, versions, items FROM topn WHERE user_id = $1', [String(userId)])).rows[0])
    return row && {userId, generatedAt: Number(row.generated_at), versions: row.versions, items: decodeTopNItems(row.items)}
  }

  async banditArms(bandit: string): Promise<StoredArm[]> {
    const rows = await this.use(async (client) => (await client.query<{arm: string; pulls: string; reward_sum: number}>('SELECT arm, pulls, reward_sum FROM bandit_arms WHERE bandit = $1 ORDER BY arm', [bandit])).rows)
    return rows.map((r) => ({arm: r.arm, pulls: Number(r.pulls), rewardSum: r.reward_sum}))
  }

  async addBanditCounts(bandit: string, deltas: StoredArm[]): Promise<void> {
    if (deltas.length === 0) return
    // increments, not overwrites: the online updates of every replica add up in one row per arm
    await this.use(async (client) => {
      await client.query(
        `INSERT INTO bandit_arms (bandit, arm, pulls, reward_sum) SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::float8[])
         ON CONFLICT (bandit, arm) DO UPDATE SET pulls = bandit_arms.pulls + excluded.pulls, reward_sum = bandit_arms.reward_sum + excluded.reward_sum`,
        [bandit, deltas.map((d) => d.arm), deltas.map((d) => String(d.pulls)), deltas.map((d) => d.rewardSum)],
      )
    })
  }

  async replaceBanditArms(bandit: string, arms: StoredArm[]): Promise<void> {
    await this.transaction(async (client) => {
      await client.query('DELETE FROM bandit_arms WHERE bandit = $1', [bandit])
      if (arms.length > 0) {
        await client.query('INSERT INTO bandit_arms (bandit, arm, pulls, reward_sum) SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::float8[])', [bandit, arms.map((d) => d.arm), arms.map((d) => String(d.pulls)), arms.map((d) => d.rewardSum)])
      }
    })
  }

  /**
   * Calls `onChange` with the users whose sessions another replica wrote. The listening connection
   * reconnects (every second) after the database goes away; on reconnect `onChange` gets undefined:
   * notifications may have been missed, so every cached session is stale.
   */
  async watchSessions(onChange: (userIds: bigint[] | undefined) => void): Promise<void> {
    const connect = async (): Promise<void> => {
      if (this.closed) return
      const client = new pg.Client({connectionString: (this.pool.options as {connectionString: string}).connectionString})
      client.on('error', () => {}) // 'end' follows, which reconnects
      client.on('notification', (message) => {
        if (!message.payload) return
        const colon = message.payload.indexOf(':')
        if (message.payload.slice(0, colon) === this.replica) return
        onChange(message.payload.slice(colon + 1).split(',').map(BigInt))
      })
      client.on('end', () => {
        if (this.listener === client) this.listener = undefined
        if (!this.closed) setTimeout(() => void reconnect(), 1_000).unref()
      })
      await client.connect()
      await client.query(`LISTEN ${SESSION_CHANNEL}`)
      this.listener = client
    }
    const reconnect = async () => {
      try {
        await connect()
        onChange(undefined)
      } catch {
        if (!this.closed) setTimeout(() => void reconnect(), 1_000).unref()
      }
    }
    try {
      await connect()
    } catch (error) {
      throw this.unavailable(error)
    }
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.listener?.end().catch(() => {})
    await this.pool.end()
  }
}

/** "<replica>:<id>,<id>,..." chunks under NOTIFY's payload limit. */
export function notifyPayloads(replica: string, userIds: bigint[]): string[] {
  const payloads: string[] = []
  let ids: string[] = []
  let bytes = replica.length + 1
  for (const id of userIds) {
    const text = String(id)
    if (ids.length > 0 && bytes + text.length + 1 > NOTIFY_BYTES) {
      payloads.push(`${replica}:${ids.join(',')}`)
      ids = []
      bytes = replica.length + 1
    }
    ids.push(text)
    bytes += text.length + 1
  }
  if (ids.length > 0) payloads.push(`${replica}:${ids.join(',')}`)
  return payloads
}

function bounds(range: TimeRange): [string, string] {
  return [String(range.since ?? Number.MIN_SAFE_INTEGER), String(range.until ?? Number.MAX_SAFE_INTEGER)]
}

function toImpression(r: ImpressionRow): Impression {
  return {
    requestId: r.request_id,
    ts: Number(r.ts),
    userId: BigInt(r.user_id),
    itemId: BigInt(r.item_id),
    position: r.position,
    source: r.source,
    score: r.score,
    versions: r.versions,
    ...(r.experiment === null ? {} : {experiment: r.experiment}),
    ...(r.arm === null ? {} : {arm: r.arm}),
    ...(r.propensity === null ? {} : {propensity: r.propensity}),
    ...(r.strategy === null ? {} : {strategy: r.strategy}),
    ...(r.strategy_probability === null ? {} : {strategyProbability: r.strategy_probability}),
  }
}
