import type { FastifyInstance } from 'fastify';

export interface Res<T = any> {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: T;
}

/**
 * A browser-like API client over app.inject: keeps cookies, sends the CSRF header
 * on mutations (unless told not to), or a bearer token.
 */
export class Client {
  cookies = new Map<string, string>();
  bearer?: string;
  sendCsrf = true;

  constructor(readonly app: FastifyInstance) {}

  withToken(token: string): Client {
    const c = new Client(this.app);
    c.bearer = token;
    return c;
  }

  async request<T = any>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res<T>> {
    const h: Record<string, string> = { ...headers };
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    if (this.cookies.size) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const csrf = this.cookies.get('comptoir_csrf');
    if (this.sendCsrf && csrf && method !== 'GET' && !('x-csrf-token' in h)) h['x-csrf-token'] = csrf;
    const res = await this.app.inject({ method: method as 'GET', url, payload: body as object, headers: h });
    for (const c of res.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      const expired = c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now()) || c.value === '';
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const type = String(res.headers['content-type'] ?? '');
    const parsed = type.includes('json') && res.body ? JSON.parse(res.body) : res.body;
    return { status: res.statusCode, headers: res.headers, body: parsed };
  }

  get = <T = any>(url: string, headers?: Record<string, string>) => this.request<T>('GET', url, undefined, headers);
  post = <T = any>(url: string, body?: unknown, headers?: Record<string, string>) => this.request<T>('POST', url, body ?? {}, headers);
  patch = <T = any>(url: string, body?: unknown, headers?: Record<string, string>) => this.request<T>('PATCH', url, body ?? {}, headers);
  put = <T = any>(url: string, body?: unknown, headers?: Record<string, string>) => this.request<T>('PUT', url, body ?? {}, headers);
  delete = <T = any>(url: string, headers?: Record<string, string>) => this.request<T>('DELETE', url, undefined, headers);
}
