import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DROP_EVENT_STORE_SCHEMA_STATEMENTS, EVENT_STORE_SCHEMA_STATEMENTS } from './event-store.schema.js';

/** For services that run TypeORM migrations: the same statements as `ensureEventStoreSchema`. */
export class EventStoreSchemaMigration1764115200000 implements MigrationInterface {
  readonly name = 'EventStoreSchemaMigration1764115200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of EVENT_STORE_SCHEMA_STATEMENTS) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of DROP_EVENT_STORE_SCHEMA_STATEMENTS) await queryRunner.query(statement);
  }
}
