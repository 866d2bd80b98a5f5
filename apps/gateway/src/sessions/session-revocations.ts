import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ClientNats } from '@nestjs/microservices';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { PINO_LOGGER } from '#libs/observability';
import type { Logger } from 'pino';
import { z } from 'zod';
import { SessionStore } from './session.store.js';

/** Subject every gateway of every DC listens on (no queue group: each applies it to its own DC's Redis). */
export const REVOCATION_SUBJECT = 'faultline.sessions.revoked';
/** How long a logout keeps being re-announced: a partition shorter than this cannot hide it. */
export const REANNOUNCE_WINDOW_MS = 15 * 60_000;
const REANNOUNCE_EVERY_MS = 5_000;

const revocationSchema = z.object({ sid: z.string().min(1).max(64), expiresAt: z.number().int().positive() });

/**
 * Carries logouts to the other data centers over NATS: announced when they happen, and re-announced every
 * few seconds for REANNOUNCE_WINDOW_MS from this DC's revocation log (NATS core delivers to whoever is
 * connected now, so a DC cut off by a partition hears it once the partition heals). Applying one is
 * idempotent. NATS being down delays revocations in other DCs; it never fails a logout here.
 */
@Injectable()
export class SessionRevocations implements OnApplicationBootstrap, OnApplicationShutdown {
  private subscription: Subscription | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    @Inject(ClientNats) private readonly nats: ClientNats,
    @Inject(SessionStore) private readonly sessions: SessionStore,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    void this.subscribeWhenConnected();
    this.timer = setInterval(() => void this.reannounce(), REANNOUNCE_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.subscription?.unsubscribe();
  }

  /** Announces a logout made in this DC. */
  async announce(sid: string, expiresAt: number): Promise<void> {
    try {
      const connection = await this.connection();
      connection.publish(REVOCATION_SUBJECT, JSON.stringify({ sid, expiresAt }));
    } catch (error) {
      this.logger.warn({ err: error }, 'could not announce a logout now; it will be re-announced');
    }
  }

  private connection(): Promise<NatsConnection> {
    return this.nats.connect() as Promise<NatsConnection>;
  }

  private async subscribeWhenConnected(): Promise<void> {
    for (let attempt = 1; !this.stopped && !this.subscription; attempt++) {
      try {
        const connection = await this.connection();
        this.subscription = connection.subscribe(REVOCATION_SUBJECT, {
          callback: (error, message) => {
            if (error) return;
            const parsed = revocationSchema.safeParse(message.json());
            if (!parsed.success) return;
            this.sessions.applyRevocation(parsed.data.sid, parsed.data.expiresAt).catch((applyError: unknown) => {
              this.logger.warn({ err: applyError }, 'could not apply a logout from another gateway');
            });
          },
        });
      } catch {
        await new Promise((resolve) => setTimeout(resolve, Math.min(500 * attempt, 5_000)));
      }
    }
  }

  private async reannounce(): Promise<void> {
    try {
      const recent = await this.sessions.recentRevocations(Date.now() - REANNOUNCE_WINDOW_MS);
      if (recent.length === 0) return;
      const connection = await this.connection();
      for (const revocation of recent) connection.publish(REVOCATION_SUBJECT, JSON.stringify(revocation));
    } catch {
      // Redis or NATS away: the next round tries again.
    }
  }
}
