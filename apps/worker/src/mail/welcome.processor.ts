import type { WelcomeMailJobData } from '#libs/contracts';
import type { JobContext, JobProcessor } from '#libs/jobs';
import { sqlStateOf, type ShardRouter } from '#libs/shard-router';
import type { DataSource } from 'typeorm';
import { ensureMailOutboxSchema, MAIL_OUTBOX_TABLE } from './mail-outbox.schema.js';
import type { MailMessage } from './welcome-mail.js';
import { welcomeMail } from './welcome-mail.js';

export interface WelcomeResult {
  readonly messageId: string;
  readonly shard: number;
  /** False when an earlier run of the same job had written it already. */
  readonly written: boolean;
}

/** The shard holding a user's mail: the user's own shard (`user-<id>` streams live on `shardFor(userId)`). */
export const mailShardOf = (router: ShardRouter, userId: string): number => router.shardFor(userId);

/** Postgres' undefined_table: the sink table is not there yet (a fresh shard; the startup loop has not reached it). */
const UNDEFINED_TABLE = '42P01';

/** Writes the message unless it is there already; true when this call wrote it. */
async function deliver(dataSource: DataSource, mail: MailMessage): Promise<boolean> {
  const insert = () =>
    dataSource.query(
      `INSERT INTO ${MAIL_OUTBOX_TABLE} (message_id, user_id, to_address, subject, body)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (message_id) DO NOTHING
       RETURNING message_id`,
      [mail.messageId, mail.userId, mail.to, mail.subject, mail.body],
    ) as Promise<unknown[]>;
  try {
    return (await insert()).length === 1;
  } catch (error) {
    if (sqlStateOf(error) !== UNDEFINED_TABLE) throw error;
    await ensureMailOutboxSchema(dataSource);
    return (await insert()).length === 1;
  }
}

/**
 * The welcome job: writes the mail to the sink table on the user's shard, through the ShardRouter (on
 * the primary, retried through a failover). `INSERT … ON CONFLICT DO NOTHING` keyed by the job id makes
 * it exactly once in effect, however often the job runs — which also makes the router's retry after an
 * ambiguous failure safe.
 */
export function welcomeProcessor(router: ShardRouter): JobProcessor<WelcomeMailJobData, WelcomeResult> {
  return async (job: JobContext<WelcomeMailJobData>) => {
    const mail = welcomeMail(job.id, job.data);
    const shard = mailShardOf(router, mail.userId);
    const { value: written } = await router.write(shard, ({ dataSource }) => deliver(dataSource, mail));
    return { messageId: mail.messageId, shard, written };
  };
}
