// The PostgreSQL schema as numbered steps; the rec_schema table records how many a database has applied.

/**
 * Append only, like the SQLite steps. Ids are BIGINT (the caller's int64 ids, exact); times are BIGINT
 * ms since 1970 like every other ts in rec. Sessions carry a version so that a replica can tell its
 * cached copy is stale.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `CREATE TABLE interactions (
     seq BIGSERIAL PRIMARY KEY, user_id BIGINT NOT NULL, item_id BIGINT NOT NULL, event TEXT NOT NULL,
     ts BIGINT NOT NULL, dwell_ms INTEGER, position INTEGER, received_at BIGINT NOT NULL, request_id TEXT);
   CREATE INDEX interactions_ts ON interactions (ts);
   CREATE TABLE sessions (user_id BIGINT PRIMARY KEY, history BIGINT[] NOT NULL, seen BIGINT[] NOT NULL, delta BYTEA, history_events TEXT[]);
   CREATE TABLE impressions (
     seq BIGSERIAL PRIMARY KEY, request_id TEXT NOT NULL, ts BIGINT NOT NULL, user_id BIGINT NOT NULL,
     item_id BIGINT NOT NULL, position INTEGER NOT NULL, source TEXT NOT NULL, score DOUBLE PRECISION NOT NULL,
     experiment TEXT, arm TEXT, versions JSONB NOT NULL, propensity DOUBLE PRECISION, strategy TEXT);
   CREATE INDEX impressions_user_item ON impressions (user_id, item_id, ts);
   CREATE INDEX impressions_request ON impressions (request_id, item_id);
   CREATE INDEX impressions_ts ON impressions (ts);
   CREATE TABLE reroutes (experiment TEXT NOT NULL, from_arm TEXT NOT NULL, to_arm TEXT NOT NULL,
     reason TEXT NOT NULL, at BIGINT NOT NULL, PRIMARY KEY (experiment, from_arm));`,
  // precomputed feeds (rec recommend, rec serve --topn store): one list per user, the newest
  `CREATE TABLE topn (user_id BIGINT PRIMARY KEY, generated_at BIGINT NOT NULL, versions JSONB NOT NULL, items JSONB NOT NULL);`,
  // strategies and their bandit: which feeds the bandit chose (and with what probability), each arm's counts
  `ALTER TABLE impressions ADD COLUMN strategy_probability DOUBLE PRECISION;
   CREATE TABLE bandit_arms (bandit TEXT NOT NULL, arm TEXT NOT NULL, pulls BIGINT NOT NULL, reward_sum DOUBLE PRECISION NOT NULL, PRIMARY KEY (bandit, arm));`,
]
