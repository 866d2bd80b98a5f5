import type { AppendOptions } from './append-options.js';
import type { Event } from './event.js';
import { isExpectedVersionConflictError } from './event-store.errors.js';
import type { EventStoreSession, IdempotentAppend } from './event-store.js';

/**
 * A stream's behaviour as pure functions (emmett's "decider"): `evolve` folds events into state,
 * `decide` turns a command and the current state into new events (or throws a domain error).
 */
export interface Decider<State, Command, E extends Event> {
  decide(command: Command, state: State): E | readonly E[] | Promise<E | readonly E[]>;
  evolve(state: State, event: E): State;
  initialState(): State;
}

export interface HandleCommandOptions extends Omit<AppendOptions, 'expectedVersion'> {
  /** Conflicts retried (each with a fresh read and decision) before the conflict is thrown (default 3). */
  readonly maxRetries?: number;
}

export interface HandleCommandResult<State, E extends Event> {
  /** The state after the new events (after the first attempt's events, on an idempotent replay). */
  readonly newState: State;
  /** The events this call appended: none when `decide` returned none, or on an idempotent replay. */
  readonly newEvents: readonly E[];
  readonly nextExpectedVersion: number;
  /** Position of the stream's last event after the command (undefined if the stream is still empty). */
  readonly lastPosition: bigint | undefined;
  /** The key had been used: an earlier attempt of this command committed, and this one changed nothing. */
  readonly idempotentReplay: boolean;
  /** Decisions made (1 + conflicts retried). */
  readonly attempts: number;
}

const asArray = <E>(decided: E | readonly E[]): readonly E[] => (Array.isArray(decided) ? (decided as readonly E[]) : [decided as E]);

/**
 * Read the stream → fold with `evolve` → `decide` → append with the version read as the expected version.
 * A concurrent append to the stream makes the append fail with ExpectedVersionConflictError; then the whole
 * cycle runs again on the new state, up to `maxRetries` times, and the last conflict is thrown.
 *
 * With an idempotency key, a command that already committed (its response lost, say) is answered from the
 * stored result before anything is decided — deciding again on the changed state could refuse it — and a
 * duplicate racing this one is caught by the append itself.
 */
export async function handleCommand<State, Command, E extends Event>(
  store: EventStoreSession<E>,
  streamId: string,
  decider: Decider<State, Command, E>,
  command: Command,
  options: HandleCommandOptions = {},
): Promise<HandleCommandResult<State, E>> {
  const { maxRetries = 3, ...appendOptions } = options;
  if (appendOptions.idempotencyKey !== undefined) {
    const earlier = await store.findIdempotentAppend(appendOptions.idempotencyKey);
    if (earlier) return replay(store, streamId, decider, earlier, 1);
  }
  for (let attempt = 1; ; attempt++) {
    const { events, currentVersion } = await store.readStream(streamId);
    const state = events.reduce<State>((folded, event) => decider.evolve(folded, event as E), decider.initialState());
    const newEvents = asArray(await decider.decide(command, state));
    if (newEvents.length === 0) {
      return { newState: state, newEvents, nextExpectedVersion: currentVersion, lastPosition: events.at(-1)?.metadata.position, idempotentReplay: false, attempts: attempt };
    }
    try {
      const result = await store.appendToStream(streamId, newEvents, { ...appendOptions, expectedVersion: currentVersion });
      if (result.idempotentReplay) {
        return replay(store, streamId, decider, { ...result, streamId, idempotencyKey: appendOptions.idempotencyKey!, recordedAt: new Date() }, attempt);
      }
      return {
        newState: newEvents.reduce(decider.evolve, state),
        newEvents,
        nextExpectedVersion: result.nextExpectedVersion,
        lastPosition: result.lastPosition,
        idempotentReplay: false,
        attempts: attempt,
      };
    } catch (error) {
      if (!isExpectedVersionConflictError(error) || attempt > maxRetries) throw error;
    }
  }
}

/** The answer to a repeated command: the state as the first attempt left it, nothing new. */
async function replay<State, Command, E extends Event>(
  store: EventStoreSession<E>,
  streamId: string,
  decider: Decider<State, Command, E>,
  earlier: IdempotentAppend,
  attempts: number,
): Promise<HandleCommandResult<State, E>> {
  const { events } = await store.readStream(streamId, { maxCount: earlier.nextExpectedVersion });
  return {
    newState: events.reduce<State>((folded, event) => decider.evolve(folded, event as E), decider.initialState()),
    newEvents: [],
    nextExpectedVersion: earlier.nextExpectedVersion,
    lastPosition: earlier.lastPosition,
    idempotentReplay: true,
    attempts,
  };
}
