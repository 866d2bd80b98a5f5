/**
 * A domain event as the domain sees it: `type` discriminates, `data` is its JSON payload. A service
 * declares its events as a union of these, and the store is generic over that union, so `switch (event.type)`
 * narrows `data` everywhere events are read, folded or decided.
 *
 * @example
 *   type UserRegistered = Event<'UserRegistered', { userId: string; email: string }>;
 *   type EmailChanged = Event<'EmailChanged', { email: string }>;
 *   type UserEvent = UserRegistered | EmailChanged;
 */
export type Event<Type extends string = string, Data extends object = Record<string, unknown>> = Readonly<{
  type: Type;
  data: Data;
}>;

/** The `type` strings of an event union. */
export type EventTypeOf<E extends Event> = E['type'];

/** The member of an event union with the given `type`. */
export type EventOfType<E extends Event, Type extends EventTypeOf<E>> = Extract<E, { type: Type }>;
