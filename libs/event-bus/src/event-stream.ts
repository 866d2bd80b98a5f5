import { DiscardPolicy, JetStreamApiCodes, JetStreamApiError, RetentionPolicy, StorageType, type JetStreamManager, type StreamInfo } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { EVENT_STREAM_NAME, EVENT_SUBJECT_PREFIX, streamSubjects } from './subjects.js';

export interface EventStreamOptions {
  /** Default `FAULTLINE_EVENTS`. */
  readonly streamName?: string;
  /** Default `events`: the stream captures `<prefix>.>`. */
  readonly subjectPrefix?: string;
  /**
   * JetStream's de-duplication window (default 2 min): a message whose `Nats-Msg-Id` was stored within
   * it is acknowledged as a duplicate and not stored again. It bounds how long a relay may stay down
   * between a publish and its checkpoint write without republishing (see the README).
   */
  readonly duplicateWindowMs?: number;
  /** How long events stay in the stream (default 24 h): a consumer away longer misses the oldest. */
  readonly maxAgeMs?: number;
  /**
   * Size cap of the stream (default 128 MiB); the oldest go first. JetStream reserves it from its file
   * store when the stream is created (the lab's nodes have 512 MB): a stream that does not fit is refused
   * with "insufficient storage resources available".
   */
  readonly maxBytes?: number;
  /** Replicas (default 1). In the two-DC lab an R2 stream stops taking writes when either node is away (quorum 2). */
  readonly replicas?: number;
}

export const eventStreamDefaults = {
  streamName: EVENT_STREAM_NAME,
  subjectPrefix: EVENT_SUBJECT_PREFIX,
  duplicateWindowMs: 2 * 60_000,
  maxAgeMs: 24 * 3_600_000,
  maxBytes: 128 * 1024 * 1024,
  replicas: 1,
} as const;

/** "stream name already in use with a different configuration": someone created it between our info and add. */
const STREAM_NAME_IN_USE = 10058;

export const isStreamNotFound = (error: unknown): boolean => error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound;
export const isConsumerNotFound = (error: unknown): boolean => error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound;

/**
 * Creates the event stream, or brings the settings it manages (subjects, limits, dedup window, replicas)
 * to these values: safe to call from every instance at every start, concurrently. File storage, limits
 * retention, discard old. Storage cannot be changed on an existing stream and is not touched.
 */
export async function ensureEventStream(jsm: JetStreamManager, options: EventStreamOptions = {}): Promise<StreamInfo> {
  const o = { ...eventStreamDefaults, ...options };
  if (o.maxAgeMs < o.duplicateWindowMs) throw new RangeError(`maxAgeMs (${o.maxAgeMs}) must be at least duplicateWindowMs (${o.duplicateWindowMs})`);
  const wanted = {
    subjects: streamSubjects(o.subjectPrefix),
    duplicate_window: nanos(o.duplicateWindowMs),
    max_age: nanos(o.maxAgeMs),
    max_bytes: o.maxBytes,
    num_replicas: o.replicas,
    discard: DiscardPolicy.Old,
  };
  let info = await streamInfo(jsm, o.streamName);
  if (!info) {
    try {
      return await jsm.streams.add({
        name: o.streamName,
        description: 'Events of every shard, published by the shard relays (libs/event-bus)',
        storage: StorageType.File,
        retention: RetentionPolicy.Limits,
        ...wanted,
      });
    } catch (error) {
      if (!(error instanceof JetStreamApiError && error.code === STREAM_NAME_IN_USE)) throw error;
      info = await streamInfo(jsm, o.streamName);
      if (!info) throw error;
    }
  }
  const c = info.config;
  const same =
    c.subjects.length === wanted.subjects.length &&
    c.subjects.every((s, i) => s === wanted.subjects[i]) &&
    c.duplicate_window === wanted.duplicate_window &&
    c.max_age === wanted.max_age &&
    c.max_bytes === wanted.max_bytes &&
    c.num_replicas === wanted.num_replicas &&
    c.discard === wanted.discard;
  return same ? info : jsm.streams.update(o.streamName, wanted);
}

async function streamInfo(jsm: JetStreamManager, name: string): Promise<StreamInfo | undefined> {
  try {
    return await jsm.streams.info(name);
  } catch (error) {
    if (isStreamNotFound(error)) return undefined;
    throw error;
  }
}
