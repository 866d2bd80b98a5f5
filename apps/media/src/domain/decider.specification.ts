import type { Decider, Event } from '#libs/event-store';

/** What a decision came to: the new events, or the error it threw. */
export type Outcome<E> = { readonly events: readonly E[] } | { readonly error: unknown };

/**
 * given/when for decider unit tests (emmett's DeciderSpecification, without a test framework so it stays
 * out of the way of production code): `given(decider, pastEvents).when(command)` folds the past, decides,
 * and reports the outcome for the test's own `expect`.
 */
export function given<State, Command, E extends Event>(decider: Decider<State, Command, E>, past: readonly E[]) {
  return {
    async when(command: Command): Promise<Outcome<E>> {
      const state = past.reduce(decider.evolve, decider.initialState());
      try {
        const decided = await decider.decide(command, state);
        return { events: Array.isArray(decided) ? (decided as readonly E[]) : [decided as E] };
      } catch (error) {
        return { error };
      }
    },
  };
}
