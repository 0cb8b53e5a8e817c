import pg from 'pg';
import { EVENTS_CHANNEL } from './append.ts';

export type Wake = (companyId: string | '*') => void;

/**
 * One LISTEN connection per instance. A NOTIFY (sent at commit by append) names the
 * company whose stream moved; every instance wakes its streams for that company.
 * After a lost connection it reconnects and wakes everything ('*'), so streams
 * catch up from the log and nothing is missed.
 */
export class EventBus {
  private client: pg.Client | null = null;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;
  private readonly subscribers = new Set<Wake>();

  constructor(
    private readonly url: string,
    private readonly log: { warn: (o: object, m: string) => void },
  ) {}

  subscribe(fn: Wake): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: 'comptoir-bus' });
    client.on('notification', (msg) => {
      if (msg.channel === EVENTS_CHANNEL && msg.payload) this.emit(msg.payload);
    });
    client.on('error', (err) => this.reconnect(err));
    client.on('end', () => this.reconnect(new Error('bus connection ended')));
    await client.connect();
    await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    this.client = client;
  }

  private reconnect(err: Error) {
    if (this.stopped || this.retry) return;
    this.client = null;
    this.log.warn({ err }, 'event bus connection lost; reconnecting');
    this.retry = setTimeout(async () => {
      this.retry = null;
      try {
        await this.connect();
        this.emit('*');
      } catch (e) {
        this.reconnect(e as Error);
      }
    }, 500);
  }

  private emit(companyId: string) {
    for (const fn of this.subscribers) fn(companyId);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const c = this.client;
    this.client = null;
    if (c) {
      c.removeAllListeners('end');
      c.removeAllListeners('error');
      c.on('error', () => {});
      await c.end().catch(() => {});
    }
  }
}
