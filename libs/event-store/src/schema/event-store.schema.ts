/**
 * The event store's tables and its append function, as plain SQL: the migration and `ensureEventStoreSchema`
 * run the same statements, and every one of them can run again without harm.
 *
 * Tables live in the connection's default schema (the DataSource's `schema` / search_path).
 */

/** The function every append goes through: one round trip, one transaction, no shard-wide lock. */
export const APPEND_FUNCTION = 'faultline_append_events';

/** LISTEN/NOTIFY channel that wakes subscribers (a hint only: they poll as well). */
export const EVENTS_CHANNEL = 'faultline_events';

/** SQLSTATEs the append function raises (class "FL" is ours). */
export const SQLSTATE = {
  expectedVersionConflict: 'FL409',
  appendOrderConflict: 'FL412',
  transactionTooLarge: 'FL413',
  undefinedFunction: '42883',
  undefinedTable: '42P01',
} as const;

export const STREAM_VERSION_CONSTRAINT = 'events_stream_version_key';

export const CREATE_EVENTS_TABLE = `
CREATE TABLE IF NOT EXISTS events (
  position     bigint      NOT NULL,
  stream_id    text        NOT NULL,
  version      integer     NOT NULL,
  type         text        NOT NULL,
  data         jsonb       NOT NULL,
  metadata     jsonb       NOT NULL,
  event_id     uuid        NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT events_pkey PRIMARY KEY (position),
  -- Two appends at the same version: the second one's insert fails here, whatever it read before.
  CONSTRAINT ${STREAM_VERSION_CONSTRAINT} UNIQUE (stream_id, version),
  CONSTRAINT events_version_positive CHECK (version > 0)
)`;

export const CREATE_IDEMPOTENCY_KEYS_TABLE = `
CREATE TABLE IF NOT EXISTS idempotency_keys (
  key                    text        NOT NULL,
  stream_id              text        NOT NULL,
  first_position         bigint      NOT NULL,
  last_position          bigint      NOT NULL,
  next_expected_version  integer     NOT NULL,
  recorded_at            timestamptz NOT NULL DEFAULT now(),
  -- Written in the append's transaction: a second append with the key either waits for the first to
  -- finish and then finds its row, or (if the first rolled back) takes the key itself.
  CONSTRAINT idempotency_keys_pkey PRIMARY KEY (key)
)`;

/**
 * The append, step by step (each statement of a plpgsql function sees the commits before it):
 * 1. read the stream's head — before this transaction takes its id, so whatever it builds on is older;
 * 2. take the transaction id and, from it, this transaction's block of positions;
 * 3. claim the idempotency key with the result this append will have; if the key exists, return the
 *    stored result instead (the first attempt committed) — checked before the version, so a retry
 *    whose first attempt moved the stream does not look like a conflict;
 * 4. check the expected version (a failure raises, rolling back the claim);
 * 5. refuse if the stream's last event came from a younger transaction (only possible when this
 *    transaction took its id earlier, in a longer transaction);
 * 6. insert; UNIQUE (stream_id, version) makes a concurrent append at the same version wait for the
 *    other one and, if it committed, insert nothing — then raise the conflict with the version it left.
 *    (ON CONFLICT DO NOTHING rather than catching 23505: the actual version is read in the same
 *    transaction, with no second connection, and there is no exception block costing a subtransaction.)
 */
export const CREATE_APPEND_FUNCTION = `
CREATE OR REPLACE FUNCTION ${APPEND_FUNCTION}(
  p_stream_id text,
  p_expected text,
  p_expected_version integer,
  p_idempotency_key text,
  p_events jsonb
) RETURNS TABLE (r_outcome text, r_stream_id text, r_next_expected_version integer, r_first_position bigint, r_last_position bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_count integer := jsonb_array_length(p_events);
  v_current integer;
  v_stream_last bigint;
  v_xid bigint;
  v_low bigint;
  v_base bigint;
  v_inserted integer;
BEGIN
  SELECT e.version, e.position INTO v_current, v_stream_last
    FROM events e WHERE e.stream_id = p_stream_id ORDER BY e.version DESC LIMIT 1;
  v_current := COALESCE(v_current, 0);

  v_xid := pg_current_xact_id()::text::bigint;
  IF v_xid >= 140737488355328 THEN
    RAISE EXCEPTION 'transaction id % is past what positions can encode (2^47)', v_xid;
  END IF;
  v_low := v_xid * 65536;
  SELECT COALESCE(max(e.position), v_low) INTO v_base
    FROM events e WHERE e.position > v_low AND e.position < v_low + 65536;
  IF v_base + v_count >= v_low + 65536 THEN
    RAISE EXCEPTION 'one transaction can append at most 65535 events' USING ERRCODE = '${SQLSTATE.transactionTooLarge}';
  END IF;

  IF p_idempotency_key IS NOT NULL THEN
    INSERT INTO idempotency_keys (key, stream_id, first_position, last_position, next_expected_version)
      VALUES (p_idempotency_key, p_stream_id, v_base + 1, v_base + v_count, v_current + v_count)
      ON CONFLICT (key) DO NOTHING;
    IF NOT FOUND THEN
      RETURN QUERY SELECT 'duplicate'::text, k.stream_id, k.next_expected_version, k.first_position, k.last_position
        FROM idempotency_keys k WHERE k.key = p_idempotency_key;
      RETURN;
    END IF;
  END IF;

  IF (p_expected = 'no_stream' AND v_current <> 0)
     OR (p_expected = 'stream_exists' AND v_current = 0)
     OR (p_expected = 'exact' AND v_current IS DISTINCT FROM p_expected_version) THEN
    RAISE EXCEPTION 'stream %: expected version %, found %', p_stream_id, COALESCE(p_expected_version::text, p_expected), v_current
      USING ERRCODE = '${SQLSTATE.expectedVersionConflict}', DETAIL = v_current::text;
  END IF;

  IF v_stream_last >= v_low + 65536 THEN
    RAISE EXCEPTION 'stream %: last appended by a younger transaction than %', p_stream_id, v_xid
      USING ERRCODE = '${SQLSTATE.appendOrderConflict}';
  END IF;

  INSERT INTO events (position, stream_id, version, type, data, metadata, event_id)
    SELECT v_base + e.n, p_stream_id, v_current + e.n::integer, e.value->>'type', e.value->'data', e.value->'metadata', (e.value->>'eventId')::uuid
    FROM jsonb_array_elements(p_events) WITH ORDINALITY AS e(value, n)
    ON CONFLICT ON CONSTRAINT ${STREAM_VERSION_CONSTRAINT} DO NOTHING;
  GET DIAGNOSTICS v_inserted = ROW_COUNT;
  IF v_inserted < v_count THEN
    -- A concurrent append took these versions (we waited for it to commit). This statement sees it:
    SELECT COALESCE(max(e.version), 0) INTO v_current FROM events e WHERE e.stream_id = p_stream_id;
    RAISE EXCEPTION 'stream %: expected version %, found %', p_stream_id, COALESCE(p_expected_version::text, p_expected), v_current
      USING ERRCODE = '${SQLSTATE.expectedVersionConflict}', DETAIL = v_current::text;
  END IF;

  RETURN QUERY SELECT 'appended'::text, p_stream_id, v_current + v_count, v_base + 1, v_base + v_count;
END
$fn$`;

/** In order; each is idempotent. */
export const EVENT_STORE_SCHEMA_STATEMENTS: readonly string[] = [CREATE_EVENTS_TABLE, CREATE_IDEMPOTENCY_KEYS_TABLE, CREATE_APPEND_FUNCTION];

export const DROP_EVENT_STORE_SCHEMA_STATEMENTS: readonly string[] = [
  `DROP FUNCTION IF EXISTS ${APPEND_FUNCTION}(text, text, integer, text, jsonb)`,
  'DROP TABLE IF EXISTS idempotency_keys',
  'DROP TABLE IF EXISTS events',
];

/** Serializes concurrent `ensureEventStoreSchema` calls (CREATE … IF NOT EXISTS races on the catalogs). */
export const SCHEMA_LOCK_KEY = 'faultline.event-store.schema';
