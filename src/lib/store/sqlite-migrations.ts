// The SQLite schema as numbered steps; PRAGMA user_version records how many a database has applied.

/**
 * Append only: a released step never changes, so a state directory from any earlier version upgrades
 * by running the steps after its user_version. Step 1 is the schema from before versioning (a
 * database without user_version has these tables already; IF NOT EXISTS makes it a no-op there).
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS interactions (
     seq INTEGER PRIMARY KEY, user_id TEXT NOT NULL, item_id TEXT NOT NULL, event TEXT NOT NULL,
     ts INTEGER NOT NULL, dwell_ms INTEGER, position INTEGER, received_at INTEGER NOT NULL);
   CREATE TABLE IF NOT EXISTS sessions (user_id TEXT PRIMARY KEY, history TEXT NOT NULL, seen TEXT NOT NULL, delta BLOB);`,
  // the online loop: impressions, attribution, guardrail reroutes; the event of each session positive (reasons)
  `ALTER TABLE interactions ADD COLUMN request_id TEXT;
   ALTER TABLE sessions ADD COLUMN history_events TEXT;
   CREATE INDEX interactions_ts ON interactions (ts);
   CREATE TABLE impressions (
     seq INTEGER PRIMARY KEY, request_id TEXT NOT NULL, ts INTEGER NOT NULL, user_id TEXT NOT NULL,
     item_id TEXT NOT NULL, position INTEGER NOT NULL, source TEXT NOT NULL, score REAL NOT NULL,
     experiment TEXT, arm TEXT, versions TEXT NOT NULL, propensity REAL, strategy TEXT);
   CREATE INDEX impressions_user_item ON impressions (user_id, item_id, ts);
   CREATE INDEX impressions_request ON impressions (request_id, item_id);
   CREATE INDEX impressions_ts ON impressions (ts);
   CREATE TABLE reroutes (experiment TEXT NOT NULL, from_arm TEXT NOT NULL, to_arm TEXT NOT NULL,
     reason TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (experiment, from_arm));`,
  // precomputed feeds (rec recommend, rec serve --topn store): one list per user, the newest
  `CREATE TABLE topn (user_id TEXT PRIMARY KEY, generated_at INTEGER NOT NULL, versions TEXT NOT NULL, items TEXT NOT NULL);`,
  // strategies and their bandit: which feeds the bandit chose (and with what probability), each arm's counts
  `ALTER TABLE impressions ADD COLUMN strategy_probability REAL;
   CREATE TABLE bandit_arms (bandit TEXT NOT NULL, arm TEXT NOT NULL, pulls INTEGER NOT NULL, reward_sum REAL NOT NULL, PRIMARY KEY (bandit, arm));`,
]
