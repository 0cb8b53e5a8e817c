import type { FastifyServerOptions } from 'fastify';
import pino, { type Logger } from 'pino';

/** Keys whose values are secrets: never logged. */
const SECRET_KEY = /pass(word)?|secret|token|api_?key|authorization|cookie|signature|cvc|cvv|card_?number|^pan$/i;
/** Keys whose values are contact details: only their last characters are kept. */
const CONTACT_KEY = /phone|msisdn|^tel$|email|e_mail|recipient|^to$/i;

const EMAIL = /[\w.+-]+@[\w-]+(\.[\w-]+)+/g;
/** 13–19 digits, possibly grouped by spaces or dashes: a card-like number. */
const CARD = /(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])/g;
/** An international phone number (+ then 7–15 digits, possibly grouped). */
const PHONE = /\+\d(?:[\s().-]?\d){6,14}(?!\d)/g;

/** "fatou@example.com" → "•••@example.com"; "+225 07 00 00 01" → "•••01"; a card → "•••• 4242". */
export function maskContact(value: string): string {
  if (value.includes('@')) return `•••@${value.split('@').pop()}`;
  const digits = value.replace(/\D/g, '');
  return digits.length > 2 ? `•••${digits.slice(-2)}` : '•••';
}

/** The card-number checksum (so an order number or a timestamp is left alone). */
function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Free text with e-mails, phone numbers and card-like numbers masked. */
export function redactText(text: string): string {
  return text
    .replace(EMAIL, (m) => maskContact(m))
    .replace(CARD, (m) => (luhn(m.replace(/\D/g, '')) ? `•••• ${m.replace(/\D/g, '').slice(-4)}` : m))
    .replace(PHONE, (m) => maskContact(m));
}

/** A log object with secrets removed and personal data masked, at any depth. */
export function redactValue(value: unknown, key = '', depth = 0): unknown {
  if (depth > 6 || value === null || value === undefined) return value;
  if (typeof value === 'string') {
    if (SECRET_KEY.test(key)) return '[redacted]';
    if (CONTACT_KEY.test(key)) return maskContact(value);
    return redactText(value);
  }
  if (typeof value === 'number') return SECRET_KEY.test(key) ? '[redacted]' : value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, key, depth + 1));
  if (value instanceof Error) return { type: value.name, message: redactText(value.message), stack: value.stack ? redactText(value.stack) : undefined };
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = redactValue(v, k, depth + 1);
    return out;
  }
  return value;
}

/** Capabilities in URLs (a cart's or a payment session's token, a counter code) never reach the logs. */
export function redactUrl(url: string): string {
  return url
    .replace(/token=[^&]+/g, 'token=[redacted]')
    .replace(/\/(carts|pay|pay\/counters)\/(?!counters\/)[\w-]{8,}/g, '/$1/[redacted]');
}

const serializers = {
  req: (req: { method: string; url: string; id: unknown }) => ({ method: req.method, url: redactUrl(req.url), requestId: req.id }),
  err: (err: Error) => redactValue(pino.stdSerializers.err(err)) as Record<string, unknown>,
};

/**
 * JSON lines, one per event, with the request id (and, once the guard has run, the
 * company and user) on every line of a request. Secrets are removed and contact
 * details and card-like numbers masked wherever they appear, by key or by shape.
 */
export function loggerOptions(level: string, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] | false {
  if (level === 'silent') return false;
  return {
    level,
    ...(stream ? { stream } : {}),
    formatters: { log: (obj: Record<string, unknown>) => redactValue(obj) as Record<string, unknown> },
    hooks: {
      logMethod(this: unknown, args: unknown[], method: (...a: unknown[]) => void) {
        // The message string too (the object is handled by the formatter).
        const i = args.findIndex((a) => typeof a === 'string');
        if (i >= 0) args[i] = redactText(args[i] as string);
        return method.apply(this, args);
      },
    },
    serializers,
  } as unknown as FastifyServerOptions['logger'];
}

/**
 * The payments logger: its own JSON lines (`"logger":"payments"`), to stdout or to
 * PAYMENTS_LOG_FILE, for following a payment's steps without the request noise.
 * Ids, methods, amounts and states only — never a provider payload.
 */
export function createPaymentsLogger(level: string, file?: string, stream?: NodeJS.WritableStream): Logger {
  const options = {
    level: level === 'silent' ? 'silent' : level,
    base: { logger: 'payments' },
    formatters: { log: (obj: Record<string, unknown>) => redactValue(obj) as Record<string, unknown> },
    serializers: { err: serializers.err },
  };
  if (stream) return pino(options, stream);
  if (file) return pino(options, pino.destination({ dest: file, mkdir: true, sync: false }));
  return pino(options);
}

const paymentLoggers = new Map<string, Logger>();

/** One payments logger per destination and level in a process. */
export function paymentsLogger(config: { logLevel: string; paymentsLogFile?: string }): Logger {
  const key = `${config.logLevel}|${config.paymentsLogFile ?? ''}`;
  let log = paymentLoggers.get(key);
  if (!log) {
    log = createPaymentsLogger(config.logLevel, config.paymentsLogFile);
    paymentLoggers.set(key, log);
  }
  return log;
}
