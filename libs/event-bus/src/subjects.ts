/**
 * Names on the bus: the JetStream stream, its subjects, and the message id that makes a republish harmless.
 *
 *   subject     <prefix>.<shard>.<streamCategory>.<eventType>      e.g. events.0.user.UserRegistered
 *   Nats-Msg-Id <shard>:<position>                                e.g. 0:4829371904001
 *
 * The category is the event stream id's prefix before its first `-` (`user-42` → `user`, `email-ab12…` →
 * `email`, `media-…` → `media`); a stream id without `-` is its own category.
 */

/** The JetStream stream every shard's relay publishes to. */
export const EVENT_STREAM_NAME = 'FAULTLINE_EVENTS';
/** First token of every event subject; the stream captures `<prefix>.>`. */
export const EVENT_SUBJECT_PREFIX = 'events';

const UNSAFE_TOKEN_CHARS = /[^A-Za-z0-9_-]/g;

/**
 * One subject token from free text: NATS forbids `.`, `*`, `>` and whitespace in a token; anything but
 * letters, digits, `_` and `-` becomes `_` (so a token never needs escaping in a filter either).
 */
export function subjectToken(text: string): string {
  const token = text.replace(UNSAFE_TOKEN_CHARS, '_');
  return token === '' ? '_' : token;
}

/** `user-42` → `user`; `orders` → `orders`. */
export function streamCategoryOf(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash === -1 ? streamId : streamId.slice(0, dash);
}

/** The subject an event is published on. */
export function eventSubject(shard: number, streamId: string, eventType: string, prefix: string = EVENT_SUBJECT_PREFIX): string {
  return `${prefix}.${shard}.${subjectToken(streamCategoryOf(streamId))}.${subjectToken(eventType)}`;
}

/** What a consumer filters on; every part left out matches anything (`*`). */
export interface EventSubjectFilter {
  readonly shard?: number;
  readonly category?: string;
  readonly type?: string;
  readonly prefix?: string;
}

/**
 * A filter subject: `eventSubjectFilter({ category: 'user', type: 'UserRegistered' })` →
 * `events.*.user.UserRegistered`; `eventSubjectFilter({})` → `events.>`.
 */
export function eventSubjectFilter(filter: EventSubjectFilter = {}): string {
  const prefix = filter.prefix ?? EVENT_SUBJECT_PREFIX;
  if (filter.shard === undefined && filter.category === undefined && filter.type === undefined) return `${prefix}.>`;
  const shard = filter.shard === undefined ? '*' : String(filter.shard);
  const category = filter.category === undefined ? '*' : subjectToken(filter.category);
  const type = filter.type === undefined ? '*' : subjectToken(filter.type);
  return `${prefix}.${shard}.${category}.${type}`;
}

/** The JetStream de-duplication id of the event at `position` of `shard`'s log: unique and stable. */
export function eventMessageId(shard: number, position: bigint): string {
  return `${shard}:${position}`;
}

/** The headers each event message carries, besides `Nats-Msg-Id`. */
export const EventHeaders = {
  EventId: 'Faultline-Event-Id',
  EventType: 'Faultline-Event-Type',
  StreamId: 'Faultline-Stream-Id',
  Version: 'Faultline-Stream-Version',
  Position: 'Faultline-Position',
  Shard: 'Faultline-Shard',
  RecordedAt: 'Faultline-Recorded-At',
  CorrelationId: 'Faultline-Correlation-Id',
  CausationId: 'Faultline-Causation-Id',
  ContentType: 'Content-Type',
} as const;

/** The stream subject pattern for a prefix. */
export const streamSubjects = (prefix: string = EVENT_SUBJECT_PREFIX): string[] => [`${prefix}.>`];
