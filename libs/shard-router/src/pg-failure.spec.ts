import { describe, expect, it } from '@jest/globals';
import { QueryFailedError } from 'typeorm';
import { QueryTimeoutError } from './guarded-pg-client.js';
import { classifyNodeFailure, isPrimaryFailure, sqlStateOf } from './pg-failure.js';

/** pg's DatabaseError as it arrives: a message and a SQLSTATE `code`. */
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'ERROR' });
/** TypeORM's wrapper around it. */
const typeormError = (driverError: Error) => new QueryFailedError('insert into t values (1)', [], driverError);
const socketError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, errno: -111, syscall: 'connect' });

describe('classifyNodeFailure', () => {
  it.each([
    ['25006 read_only_sql_transaction', pgError('25006', 'cannot execute INSERT in a read-only transaction'), 'read-only'],
    ['55000 recovery is in progress (pg_current_wal_lsn on a standby)', pgError('55000', 'recovery is in progress'), 'read-only'],
    ['57P01 admin_shutdown', pgError('57P01', 'terminating connection due to administrator command'), 'shutdown'],
    ['57P02 crash_shutdown', pgError('57P02', 'terminating connection because of crash of another server process'), 'shutdown'],
    ['57P03 cannot_connect_now', pgError('57P03', 'the database system is starting up'), 'shutdown'],
    ['08006 connection_failure', pgError('08006', 'connection failure'), 'connection'],
    ['08P01 protocol_violation', pgError('08P01', 'protocol violation'), 'connection'],
    ['ECONNREFUSED', socketError('ECONNREFUSED'), 'connection'],
    ['ECONNRESET', socketError('ECONNRESET'), 'connection'],
    ['ETIMEDOUT', socketError('ETIMEDOUT'), 'connection'],
    ['EPIPE', socketError('EPIPE'), 'connection'],
    ['pg: Connection terminated unexpectedly', new Error('Connection terminated unexpectedly'), 'connection'],
    ['pg: Connection terminated due to connection timeout', new Error('Connection terminated due to connection timeout'), 'connection'],
    ['pg-pool: timeout exceeded when trying to connect', new Error('timeout exceeded when trying to connect'), 'connection'],
    ['pg: Query read timeout', new Error('Query read timeout'), 'connection'],
    ['pg: Client has encountered a connection error and is not queryable', new Error('Client has encountered a connection error and is not queryable'), 'connection'],
    ['the router\'s own query timeout', new QueryTimeoutError(1500), 'connection'],
    ['40001 recovery conflict', pgError('40001', 'canceling statement due to conflict with recovery'), 'recovery-conflict'],
  ])('%s → %s', (_what, error, expected) => {
    expect(classifyNodeFailure(error)).toBe(expected);
    // Wrapped by TypeORM, or as the cause of another error: the same.
    expect(classifyNodeFailure(typeormError(error))).toBe(expected);
    expect(classifyNodeFailure(new Error('work failed', { cause: error }))).toBe(expected);
  });

  it('looks into AggregateError (Node tries every address of a host name)', () => {
    const aggregate = new AggregateError([socketError('ECONNREFUSED'), socketError('ECONNREFUSED')], '');
    expect(classifyNodeFailure(aggregate)).toBe('connection');
  });

  it.each([
    ['23505 unique_violation', pgError('23505', 'duplicate key value violates unique constraint "events_pkey"')],
    ['55000 other object_not_in_prerequisite_state', pgError('55000', 'cannot drop a replication slot that is active')],
    ['42P01 undefined_table', pgError('42P01', 'relation "nope" does not exist')],
    ['57014 statement timeout on a live server', pgError('57014', 'canceling statement due to statement timeout')],
    ['40001 serialization failure on a primary', pgError('40001', 'could not serialize access due to concurrent update')],
    ['a plain error of the work', new Error('validation failed')],
    ['not an error at all', 'boom'],
    ['undefined', undefined],
  ])('%s is not a node failure', (_what, error) => {
    expect(classifyNodeFailure(error)).toBeUndefined();
    if (error instanceof Error) expect(classifyNodeFailure(typeormError(error))).toBeUndefined();
  });

  it('read-only wins over a connection error further down the chain', () => {
    const error = new Error('Connection terminated', { cause: pgError('25006', 'cannot execute UPDATE in a read-only transaction') });
    expect(classifyNodeFailure(error)).toBe('read-only');
  });

  it('survives a cyclic cause chain', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(classifyNodeFailure(a)).toBeUndefined();
  });
});

describe('isPrimaryFailure', () => {
  it('rediscover after read-only, shutdown and connection failures, not after a recovery conflict', () => {
    expect(isPrimaryFailure('read-only')).toBe(true);
    expect(isPrimaryFailure('shutdown')).toBe(true);
    expect(isPrimaryFailure('connection')).toBe(true);
    expect(isPrimaryFailure('recovery-conflict')).toBe(false);
    expect(isPrimaryFailure(undefined)).toBe(false);
  });
});

describe('sqlStateOf', () => {
  it('finds the SQLSTATE through TypeORM, ignoring socket error codes', () => {
    expect(sqlStateOf(typeormError(pgError('25006', 'read-only')))).toBe('25006');
    expect(sqlStateOf(socketError('EPIPE'))).toBeUndefined();
    expect(sqlStateOf(new Error('x'))).toBeUndefined();
  });
});
