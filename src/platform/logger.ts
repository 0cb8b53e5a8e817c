import type { FastifyServerOptions } from 'fastify';

/**
 * JSON logs with secrets redacted: cookies, authorization headers, passwords,
 * tokens. Personal data is never logged by the request serializers below.
 */
export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  if (level === 'silent') return false;
  return {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
        '*.password',
        '*.newPassword',
        '*.currentPassword',
        '*.token',
        '*.secret',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (req) => ({ method: req.method, url: redactUrl(req.url), requestId: req.id }),
    },
  };
}

/** Capabilities in URLs (a cart's or a payment session's token, a counter code) never reach the logs. */
export function redactUrl(url: string): string {
  return url
    .replace(/token=[^&]+/g, 'token=[redacted]')
    .replace(/\/(carts|pay|pay\/counters)\/(?!counters\/)[\w-]{8,}/g, '/$1/[redacted]');
}
