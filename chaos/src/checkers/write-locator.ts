import type { CompletedOperation } from '../history/completed-operations.js';
import type { LocatedEvent } from './located-event.js';
import { mediaItemProjection } from './media-item.projection.js';
import type { ProjectionDefinition } from './projection.js';
import type { StoredEvent } from './store-snapshot.js';
import { userProfileProjection } from './user-profile.projection.js';

/** Where a write must show up if it was applied: an event in a stream, and the row of the read model it feeds. */
export interface WriteExpectation {
  readonly streamId: string;
  /** What is looked for, in words (for violations). */
  readonly description: string;
  readonly matches: (event: StoredEvent) => boolean;
  /** The read model that must reflect the event (its row keyed by the stream). */
  readonly projection?: ProjectionDefinition;
}

/** What a write operation must have left behind; undefined when the operation carries nothing to look for. */
export type WriteLocator = (operation: CompletedOperation) => WriteExpectation | undefined;

/** A write that starts its stream (`<kind>-<id>`): found by the id its acknowledgement returned and the first event. */
const creation =
  (type: string, kind: string, idField: string, projection: ProjectionDefinition) =>
  (id: string | undefined): WriteExpectation | undefined =>
    id === undefined
      ? undefined
      : { streamId: `${kind}-${id}`, description: `${type} of ${kind} ${id}`, matches: (event) => event.type === type && event.data[idField] === id, projection };

const registration = creation('UserRegistered', 'user', 'userId', userProfileProjection);
const upload = creation('MediaUploaded', 'media', 'mediaId', mediaItemProjection);

/**
 * The user/media workload's writes. An update is found by its name, which the workload makes unique per
 * write (the service appends nothing for a rename to the current name, so a request id alone may match no
 * event); a register and an upload by the id their acknowledgement returned (derived from the request id).
 */
export const locateWorkloadWrite: WriteLocator = ({ f, value: { userId, mediaId, name } }) => {
  switch (f) {
    case 'register':
      return registration(userId);
    case 'upload':
      return upload(mediaId);
    case 'update':
      if (userId === undefined || name === undefined) return undefined;
      return {
        streamId: `user-${userId}`,
        description: `ProfileUpdated of user ${userId} to name ${JSON.stringify(name)}`,
        matches: (event) => event.type === 'ProfileUpdated' && event.data.name === name,
        projection: userProfileProjection,
      };
    default:
      return undefined;
  }
};

/** The events in the snapshot that match an expectation, on any shard. */
export const eventsMatching = (expectation: WriteExpectation, streams: ReadonlyMap<string, readonly LocatedEvent[]>): LocatedEvent[] =>
  (streams.get(expectation.streamId) ?? []).filter(({ event }) => expectation.matches(event));
