import { USER_EVENT_TYPES, type UserEvent } from '#libs/contracts';
import { foldStream, streamKey, type ProjectionDefinition } from './projection.js';
import type { StoredEvent, UserProfileRow } from './store-snapshot.js';

/**
 * `user_profiles` rebuilt from a `user-<id>` stream, the way the user service's projection does (its
 * domain's evolve): registered → the row; renamed or moved → the row changed; an abandoned registration → no
 * row. The row's version is the stream's.
 */
export const foldUserProfile = (events: readonly StoredEvent[]): UserProfileRow | undefined =>
  foldStream<UserEvent, UserProfileRow>(events, USER_EVENT_TYPES, (row, event, version) => {
    switch (event.type) {
      case 'UserRegistered':
        return { userId: event.data.userId, email: event.data.email, name: event.data.name, version };
      case 'ProfileUpdated':
        return row && { ...row, name: event.data.name, version };
      case 'EmailChanged':
        return row && { ...row, email: event.data.email, version };
      case 'RegistrationAbandoned':
        return undefined;
    }
  });

export const userProfileProjection: ProjectionDefinition<UserProfileRow> = {
  name: 'user_profiles',
  rowsOf: (shard) => shard.userProfiles,
  keyOfRow: (row) => row.userId,
  keyOfStream: streamKey('user-'),
  fold: foldUserProfile,
};
