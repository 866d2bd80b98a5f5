import { Check, Column, Entity, PrimaryColumn, Unique } from 'typeorm';
import { bigintColumnTransformer } from '../global-position.js';
import { STREAM_VERSION_CONSTRAINT } from '../schema/event-store.schema.js';

/**
 * A row of `events`, for reads through TypeORM. Rows are only ever inserted by the append function
 * (schema/event-store.schema.ts), never saved through this entity: the table is append-only.
 */
@Entity({ name: 'events' })
@Unique(STREAM_VERSION_CONSTRAINT, ['streamId', 'version'])
@Check('events_version_positive', '"version" > 0')
export class EventEntity {
  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'events_pkey', transformer: bigintColumnTransformer })
  position!: bigint;

  @Column({ name: 'stream_id', type: 'text' })
  streamId!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'jsonb' })
  data!: Record<string, unknown>;

  @Column({ type: 'jsonb' })
  metadata!: Record<string, unknown>;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt!: Date;
}
