import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintColumnTransformer } from '../global-position.js';

/** A row of `idempotency_keys`: the first result of the append that used the key (written by the append function). */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyKeyEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'idempotency_keys_pkey' })
  key!: string;

  @Column({ name: 'stream_id', type: 'text' })
  streamId!: string;

  @Column({ name: 'first_position', type: 'bigint', transformer: bigintColumnTransformer })
  firstPosition!: bigint;

  @Column({ name: 'last_position', type: 'bigint', transformer: bigintColumnTransformer })
  lastPosition!: bigint;

  @Column({ name: 'next_expected_version', type: 'integer' })
  nextExpectedVersion!: number;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt!: Date;
}
