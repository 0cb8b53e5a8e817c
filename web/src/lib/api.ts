import type { TFunction } from 'i18next';
import { uuid } from './uuid.ts';

/** Base path of the server API (same origin). */
export const API_BASE = '/api/v1';
export const CSRF_COOKIE = 'comptoir_csrf';

export type FieldError = { field: string; code: string };
export type Params = Record<string, unknown>;

/** A refusal or failure from the server, parsed from application/problem+json. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly params: Params;
  readonly errors: FieldError[];
  readonly requestId?: string;

  constructor(init: { status: number; code: string; params?: Params; errors?: FieldError[]; requestId?: string }) {
    super(init.code);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.params = init.params ?? {};
    this.errors = init.errors ?? [];
    this.requestId = init.requestId;
  }
}

export function isApiError(err: unknown, code?: string): err is ApiError {
  return err instanceof ApiError && (code === undefined || err.code === code);
}

export function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
type Query = Record<string, string | number | boolean | null | undefined>;
export type RequestOptions = { body?: unknown; query?: Query; signal?: AbortSignal; idempotencyKey?: string };

function codeForStatus(status: number): string {
  if (status === 401) return 'auth.unauthenticated';
  if (status === 403) return 'auth.forbidden';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'internal';
  return 'unknown';
}

async function toApiError(res: Response): Promise<ApiError> {
  let problem: Record<string, unknown> = {};
  if ((res.headers.get('content-type') ?? '').includes('json')) {
    problem = ((await res.json().catch(() => ({}))) ?? {}) as Record<string, unknown>;
  }
  const params: Params = { ...((problem.params as Params | undefined) ?? {}) };
  const retryAfter = Number(res.headers.get('retry-after'));
  if (params.retryAfterSeconds === undefined && Number.isFinite(retryAfter) && retryAfter > 0) {
    params.retryAfterSeconds = retryAfter;
  }
  return new ApiError({
    status: res.status,
    code: typeof problem.code === 'string' ? problem.code : codeForStatus(res.status),
    params,
    errors: Array.isArray(problem.errors) ? (problem.errors as FieldError[]) : [],
    requestId:
      typeof problem.requestId === 'string' ? problem.requestId : (res.headers.get('x-request-id') ?? undefined),
  });
}

/** One JSON request to the API. Throws ApiError on any non-2xx answer or network failure. */
export async function request<T>(method: Method, path: string, opts: RequestOptions = {}): Promise<T> {
  const url = new URL(API_BASE + path, window.location.origin);
  for (const [k, v] of Object.entries(opts.query ?? {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
  }
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') {
    const csrf = readCookie(CSRF_COOKIE);
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  if (method === 'POST') headers['Idempotency-Key'] = opts.idempotencyKey ?? uuid();

  let res: Response;
  try {
    res = await fetch(url.pathname + url.search, {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError({ status: 0, code: 'network' });
  }
  if (!res.ok) throw await toApiError(res);
  if (res.status === 204 || res.status === 202) {
    await res.text().catch(() => '');
    return undefined as T;
  }
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, { ...opts, body }),
  patch: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PATCH', path, { ...opts, body }),
  put: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PUT', path, { ...opts, body }),
  delete: <T = void>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, opts),
};

/**
 * Turns any error into a translated sentence: `errors.<code>` with the problem's
 * params (a `reason` param selects the i18next context, e.g. weak_password_too_short),
 * falling back to a generic message; 5xx answers carry the request id.
 */
export function errorMessage(err: unknown, t: TFunction): string {
  if (!(err instanceof ApiError)) return t('errors.generic');
  const params = err.params;
  const context = typeof params.reason === 'string' ? params.reason : undefined;
  const fallback = t('errors.generic');
  let message = t(`errors.${err.code}`, { ...params, context, defaultValue: fallback });
  if (err.status >= 500 && err.requestId) message += ` ${t('errors.requestId', { requestId: err.requestId })}`;
  return message;
}

/** Translated message of one field error code (`errors.field.<code>`). */
export function fieldErrorMessage(code: string, t: TFunction): string {
  return t(`errors.field.${code}`, { defaultValue: t('errors.field.invalid') });
}
