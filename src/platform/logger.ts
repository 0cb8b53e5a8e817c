import type { FastifyServerOptions } from 'fastify';
import pino, { type Logger } from 'pino';

/** Keys whose values are secrets: never logged. */
const SECRET_KEY = /pass(word)?|secret|token|api_?key|authorization|cookie|signature|cvc|cvv|card_?number|^pan$/i;
/** Keys whose values are contact details: only their last characters are kept. */
const CONTACT_KEY = /phone|msisdn|^tel$|email|e_mail|recipient|^to$/i;

/** Letters of any script: "zoé.koné@example.ci" is an e-mail too. */
const EMAIL = /[\p{L}\p{N}_.+-]+@[\p{L}\p{N}_-]+(\.[\p{L}\p{N}_-]+)+/gu;
/** 13–19 digits, possibly grouped by spaces or dashes: a card-like number. */
const CARD = /(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])/g;
/** An international phone number (+ then 7–15 digits, possibly grouped: "+225 07 08 09 10 11", "+1 (415) 555-2671"). */
const PHONE = /\+\d(?:[\s().-]{0,2}\d){6,14}(?!\d)/g;

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

/**
 * A payment card number: the checksum holds and it starts like one (2–6: Mastercard,
 * Amex, Visa, Discover…). A millisecond timestamp (1…, until 2033) that happens to
 * pass the checksum, one in ten, is left alone.
 */
const cardLike = (digits: string) => /^[2-6]/.test(digits) && luhn(digits);

/**
 * Free text with e-mails, phone numbers and card-like numbers masked. Phone numbers
 * (written with their +) go first: a 13-digit number that happens to pass the card
 * checksum would otherwise keep four digits and its + instead of two.
 */
export function redactText(text: string): string {
  return text
    .replace(EMAIL, (m) => maskContact(m))
    .replace(PHONE, (m) => maskContact(m))
    .replace(CARD, (m) => (cardLike(m.replace(/\D/g, '')) ? `•••• ${m.replace(/\D/g, '').slice(-4)}` : m));
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
    // Only plain data is walked: a request, a response or a socket is left to its serializer.
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = redactValue(v, k, depth + 1);
    return out;
  }
  return value;
}

const safeDecode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** One query-string value: secrets removed; contact details and card numbers masked, however the client encoded them. */
function redactQueryPair(pair: string): string {
  const eq = pair.indexOf('=');
  if (eq < 0) return pair;
  const key = safeDecode(pair.slice(0, eq));
  const raw = pair.slice(eq + 1);
  if (SECRET_KEY.test(key)) return `${pair.slice(0, eq)}=[redacted]`;
  // `+` is a space in a form-encoded query, and a plus sign when sent as is: try both readings.
  for (const value of [safeDecode(raw), safeDecode(raw.replace(/\+/g, ' '))]) {
    const masked = CONTACT_KEY.test(key) ? maskContact(value) : redactText(value);
    if (masked !== value) return `${pair.slice(0, eq)}=${encodeURIComponent(masked)}`;
  }
  return pair;
}

/**
 * Capabilities in URLs (a cart's or a payment session's token, a counter code) never
 * reach the logs; nor do secrets, contact details or card numbers in the query string.
 */
export function redactUrl(url: string): string {
  if (typeof url !== 'string') return url;
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q)).replace(/\/(carts|pay|pay\/counters)\/(?!counters\/)[\w-]{8,}/g, '/$1/[redacted]');
  if (q < 0) return path;
  return `${path}?${url.slice(q + 1).split('&').map(redactQueryPair).join('&')}`;
}

const serializers = {
  req: (req: { method: string; url?: string; id: unknown }) => ({ method: req.method, url: redactUrl(req.url ?? ''), requestId: req.id }),
  // pino's serialized error is not a plain object (its prototype holds `raw`): copied into one so redactValue walks it.
  err: (err: Error) => {
    const serialized: unknown = pino.stdSerializers.err(err);
    return redactValue(serialized && typeof serialized === 'object' ? { ...serialized } : serialized) as Record<string, unknown>;
  },
};

/**
 * The log object with secrets removed and personal data masked. pino runs this
 * formatter before the serializers: values under a key that has a serializer (the
 * request, the reply, the error) are left to it (it redacts on its own), or the
 * formatter would flatten them into plain objects that lose their getters (url, statusCode).
 */
const redactLogObject = (serialized: ReadonlySet<string>) => (obj: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = serialized.has(k) ? v : redactValue(v, k, 1);
  return out;
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
    formatters: { log: redactLogObject(new Set(['req', 'res', 'err'])) },
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
    formatters: { log: redactLogObject(new Set(['err'])) },
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
