import type { Event } from '#libs/event-store';

/** A small event union, to check that the store's typing narrows by `type`. */
export type CounterStarted = Event<'CounterStarted', { name: string }>;
export type CounterIncremented = Event<'CounterIncremented', { by: number }>;
export type CounterEvent = CounterStarted | CounterIncremented;

export const started = (name = 'c'): CounterStarted => ({ type: 'CounterStarted', data: { name } });
export const incremented = (by = 1): CounterIncremented => ({ type: 'CounterIncremented', data: { by } });

let sequence = 0;
/** A stream id no other test of the file uses. */
export const newStreamId = (prefix = 'counter'): string => `${prefix}-${process.pid}-${++sequence}-${Math.random().toString(36).slice(2, 8)}`;
