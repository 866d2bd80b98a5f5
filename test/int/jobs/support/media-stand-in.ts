import { MEDIA_PATTERNS, type AttachThumbnailRequest, type GetMediaContentRequest, type ServiceReply } from '#libs/contracts';
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';

/** What the stand-in answers a content request with; undefined to swallow the request (a hung service). */
export type ContentAnswer = (request: GetMediaContentRequest, index: number) => ServiceReply<unknown> | undefined;

/**
 * Stands in for the media service on a real NATS server: answers `media.content.get` and records
 * `media.thumbnail.attach` requests, speaking Nest's NATS packets (`{ pattern, data, id }` →
 * `{ id, response, isDisposed }`) as a Nest microservice does. Attaches are idempotent by requestId,
 * like the real service's.
 */
export class MediaStandIn {
  readonly attaches: AttachThumbnailRequest[] = [];
  readonly contentRequests: GetMediaContentRequest[] = [];
  /** requestId → first attach with it. */
  readonly thumbnails = new Map<string, AttachThumbnailRequest>();
  private readonly subscriptions: Subscription[] = [];
  private attachWaiters: (() => void)[] = [];

  private constructor(
    private readonly nats: NatsConnection,
    public answerContent: ContentAnswer,
  ) {
    this.subscriptions.push(
      this.respond(MEDIA_PATTERNS.content, (data) => {
        const request = data as GetMediaContentRequest;
        this.contentRequests.push(request);
        return this.answerContent(request, this.contentRequests.length - 1);
      }),
      this.respond(MEDIA_PATTERNS.attachThumbnail, (data) => {
        const request = data as AttachThumbnailRequest;
        this.attaches.push(request);
        if (!this.thumbnails.has(request.requestId)) this.thumbnails.set(request.requestId, request);
        for (const wake of this.attachWaiters.splice(0)) wake();
        return { ok: true, value: { mediaId: request.mediaId } };
      }),
    );
  }

  static async start(url: string, answerContent: ContentAnswer): Promise<MediaStandIn> {
    const nats = await connect({ servers: url, name: 'media-stand-in' });
    const standIn = new MediaStandIn(nats, answerContent);
    await nats.flush(); // the subscriptions are registered on the server before anyone asks
    return standIn;
  }

  /** Resolves once `count` attaches have arrived. */
  async attachesReceived(count: number): Promise<void> {
    while (this.attaches.length < count) await new Promise<void>((resolve) => this.attachWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    await this.nats.close();
  }

  private respond(subject: string, answer: (data: unknown) => unknown): Subscription {
    return this.nats.subscribe(subject, {
      callback: (_error, message) => {
        const packet = message.json<{ id: string; data: unknown }>();
        const response = answer(packet.data);
        if (response !== undefined) message.respond(JSON.stringify({ id: packet.id, response, isDisposed: true }));
      },
    });
  }
}
