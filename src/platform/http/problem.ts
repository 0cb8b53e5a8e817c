import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError } from '../errors.ts';

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  params?: Record<string, unknown>;
  errors?: Array<{ field: string; code: string }>;
  requestId: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** A problem document, for answers built inside a command (stored with an idempotency key). */
export function problemBody(
  requestId: string,
  status: number,
  code: string,
  extra: { params?: Record<string, unknown>; errors?: Problem['errors'] } = {},
): Problem {
  return {
    type: `https://comptoir.dev/problems/${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    ...(extra.params && Object.keys(extra.params).length ? { params: extra.params } : {}),
    ...(extra.errors?.length ? { errors: extra.errors } : {}),
    requestId,
  };
}

export function sendProblem(
  reply: FastifyReply,
  status: number,
  code: string,
  extra: { params?: Record<string, unknown>; errors?: Problem['errors'] } = {},
) {
  return reply.status(status).type('application/problem+json').send(problemBody(String(reply.request.id), status, code, extra));
}

/** zod issue -> a stable field code the web app translates. */
function fieldCode(v: { keyword: string; message?: string; params?: Record<string, unknown> }): string {
  if (v.keyword === 'invalid_type' && /received undefined/.test(v.message ?? "")) return 'required';
  if (v.keyword === 'custom') return (v.message ?? "invalid").replace(/[^a-z_.]/gi, '_').toLowerCase();
  return v.keyword;
}

/** One mapper: domain codes and validation to problem+json; anything else is a logged 500. */
declare module 'fastify' {
  interface FastifyRequest {
    /** The company a public route (pay page, webhook) acts for, so its failures land in that company's log. */
    errorCompanyId?: string;
  }
}

/** Told of every unexpected error (the insights module records it as `system_error`). */
export type UnexpectedErrorSink = (err: Error, req: FastifyRequest) => Promise<void>;

export function registerProblemHandlers(app: FastifyInstance, onUnexpected?: UnexpectedErrorSink) {
  app.setErrorHandler(async (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof DomainError) {
      if (err.status === 429 && typeof err.params.retryAfterSeconds === 'number') {
        reply.header('Retry-After', String(err.params.retryAfterSeconds));
      }
      return sendProblem(reply, err.status, err.code, { params: err.params, errors: err.fieldErrors });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const errors = err.validation.flatMap((v) => {
        const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
        // An unknown key is named itself, not the object holding it.
        const keys = v.keyword === 'unrecognized_keys' && Array.isArray(v.params?.keys) ? (v.params.keys as string[]) : null;
        if (keys?.length) return keys.map((k) => ({ field: path ? `${path}.${k}` : k, code: fieldCode(v) }));
        return [{ field: path || String(err.validationContext ?? 'body'), code: fieldCode(v) }];
      });
      return sendProblem(reply, 400, 'validation', { errors });
    }
    const status = err.statusCode ?? 500;
    if (status === 429) return sendProblem(reply, 429, 'rate_limited');
    if (status >= 400 && status < 500) {
      const code = err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
        ? 'invalid_json'
        : err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 'body_too_large'
          : err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
            ? 'unsupported_media_type'
            : 'bad_request';
      return sendProblem(reply, status, code);
    }
    req.log.error({ err, requestId: req.id }, 'unhandled error');
    // Recorded outside the failed transaction (which has rolled back); never fails the answer.
    if (onUnexpected) await onUnexpected(err, req).catch((e: unknown) => req.log.error({ err: e }, 'system_error not recorded'));
    return sendProblem(reply, 500, 'internal');
  });
}
