const USER_FRAMES = new Set(['notification', 'notification_count']);

export interface Frame {
  event: string;
  id?: string;
  data: any;
}

/**
 * A real SSE client over fetch (like EventSource, but it lets tests set headers
 * such as Last-Event-ID and read frames as they arrive).
 */
export class SseClient {
  /** Event-log frames (and reset), in arrival order. */
  frames: Frame[] = [];
  /** Per-user frames (notification, notification_count), kept apart. */
  userFrames: Frame[] = [];
  /** Comment lines received (heartbeats). */
  comments = 0;
  status = 0;
  private controller = new AbortController();
  private closed = false;

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const c = new SseClient();
    const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: c.controller.signal });
    c.status = res.status;
    if (res.status !== 200 || !res.body) {
      await res.text().catch(() => {});
      return c;
    }
    void c.read(res.body);
    return c;
  }

  private async read(body: ReadableStream<Uint8Array>) {
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buf += decoder.decode(chunk, { stream: true });
        let i = buf.indexOf('\n\n');
        while (i >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          this.parse(block);
          i = buf.indexOf('\n\n');
        }
      }
    } catch {
      // aborted
    }
    this.closed = true;
  }

  private parse(block: string) {
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) {
        this.comments++;
        continue;
      }
      const [k, ...rest] = line.split(':');
      const v = rest.join(':').replace(/^ /, '');
      if (k === 'event') event = v;
      else if (k === 'id') id = v;
      else if (k === 'data') data.push(v);
    }
    if (!data.length && event === 'message') return;
    const text = data.join('\n');
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // plain text
    }
    const frame = { event, id, data: parsed };
    if (USER_FRAMES.has(event)) this.userFrames.push(frame);
    else this.frames.push(frame);
  }

  get ended() {
    return this.closed;
  }

  /** Frames that carry a position (event log frames), in arrival order. */
  get positions(): number[] {
    return this.frames.filter((f) => f.id && f.event !== 'reset').map((f) => Number(f.id));
  }

  close() {
    this.controller.abort();
  }
}
