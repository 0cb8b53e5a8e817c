import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createPaymentsLogger, loggerOptions, maskContact, redactText, redactUrl, redactValue } from './logger.ts';

/** A stream keeping each JSON line written to it. */
function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { lines, stream };
}

describe('redactUrl', () => {
  it('hides capabilities carried in paths and query strings', () => {
    expect(redactUrl('/api/v1/public/pay/abcDEF123456789012345678/pay')).toBe('/api/v1/public/pay/[redacted]/pay');
    expect(redactUrl('/api/v1/public/pay/counters/abcdefgh12345/sessions')).toBe('/api/v1/public/pay/counters/[redacted]/sessions');
    expect(redactUrl('/api/v1/public/shops/boutique/carts/abcdefghijklmnopqrstuvwx/items')).toBe('/api/v1/public/shops/boutique/carts/[redacted]/items');
    expect(redactUrl('/api/v1/public/shops/boutique/orders/1?token=secret-cart-token')).toBe('/api/v1/public/shops/boutique/orders/1?token=[redacted]');
    expect(redactUrl('/api/v1/companies/0b1c/sales')).toBe('/api/v1/companies/0b1c/sales');
  });

  it('masks contact details and card numbers in the query string, however they are encoded', () => {
    const base = '/api/v1/companies/0b1c/clients';
    // As a browser's URLSearchParams sends "+225 07 08 09 10 11" (+ as %2B, spaces as +).
    expect(decodeURIComponent(redactUrl(`${base}?search=%2B225+07+08+09+10+11`))).toBe(`${base}?search=•••11`);
    expect(decodeURIComponent(redactUrl(`${base}?search=+2250708091011&limit=20`))).toBe(`${base}?search=•••11&limit=20`);
    expect(decodeURIComponent(redactUrl(`${base}?search=fatou.diallo%40example.com`))).toBe(`${base}?search=•••@example.com`);
    expect(decodeURIComponent(redactUrl(`${base}?q=4242+4242+4242+4242`))).toBe(`${base}?q=•••• 4242`);
    expect(redactUrl(`${base}?password=hunter2&apiKey=k&x-token=t`)).toBe(`${base}?password=[redacted]&apiKey=[redacted]&x-token=[redacted]`);
    expect(decodeURIComponent(redactUrl(`${base}?phone=0708091011`))).toBe(`${base}?phone=•••11`);
    // Ordinary parameters are kept byte for byte (malformed escapes included).
    expect(redactUrl(`${base}?limit=20&cursor=WyIxMjM0NTY3ODkwMTIzIl0&from=2026-11-21T08%3A00%3A00Z&bad=%E0%A4%A`)).toBe(
      `${base}?limit=20&cursor=WyIxMjM0NTY3ODkwMTIzIl0&from=2026-11-21T08%3A00%3A00Z&bad=%E0%A4%A`,
    );
  });
});

describe('redactText', () => {
  it('masks e-mails down to their domain', () => {
    expect(redactText('reçu envoyé à fatou.diallo+reçus@example.com.')).toBe('reçu envoyé à •••@example.com.');
    expect(redactText('from a.b@mail.example.co.uk and c@d.io')).toBe('from •••@mail.example.co.uk and •••@d.io');
    // Accented local parts (French and Ivorian names) are e-mails too.
    expect(redactText('client zoé.koné@exemple.ci')).toBe('client •••@exemple.ci');
  });

  it('masks international phone numbers down to their last two digits, however grouped', () => {
    expect(redactText('appel +225 07 08 09 10 11 reçu')).toBe('appel •••11 reçu');
    expect(redactText('+2250708091011')).toBe('•••11');
    expect(redactText('tel: +33 6 12 34 56 78.')).toBe('tel: •••78.');
    expect(redactText('+1 (415) 555-2671')).toBe('•••71');
    expect(redactText('+44.20.7946.0958')).toBe('•••58');
    // Too short to be a phone number.
    expect(redactText('score +12345')).toBe('score +12345');
  });

  it('masks Luhn-valid card numbers down to their last four digits', () => {
    expect(redactText('card 4242 4242 4242 4242 declined')).toBe('card •••• 4242 declined');
    expect(redactText('4242-4242-4242-4242')).toBe('•••• 4242');
    expect(redactText('pan=4111111111111111;')).toBe('pan=•••• 1111;');
    expect(redactText('amex 378282246310005')).toBe('amex •••• 0005');
    expect(redactText('mc 5555555555554444 / 2221000000000009, discover 6011111111111117')).toBe('mc •••• 4444 / •••• 0009, discover •••• 1117');
  });

  it('leaves alone what only looks long: a failing checksum, timestamps, order numbers, UUIDs, ISO dates, amounts', () => {
    const untouched = [
      'card 4242 4242 4242 4241 (checksum fails)',
      // Millisecond timestamps, one of which passes the card checksum.
      'at 1763712000000 and 1763712000001 and 1763712000019',
      'commande 2026112100042',
      'order 1234567890123',
      'sale 0b1c3d4e-1234-4567-89ab-1234567890ab and 12345678-1234-1234-1234-123456789012',
      'paid 2026-11-21T08:35:57.123Z, opened 2026-11-21 08:35:57+01:00, day 2026-03-29',
      'amount 1500000 XOF, reference V-2026-000042, t=1763712000,v1=abcdef',
    ];
    for (const text of untouched) expect(redactText(text)).toBe(text);
  });

  it('handles everything at once', () => {
    expect(redactText('boom +225 07 08 09 10 11 aminata.kone@example.test 4242 4242 4242 4242 at 1763712000001')).toBe(
      'boom •••11 •••@example.test •••• 4242 at 1763712000001',
    );
  });
});

describe('redactValue', () => {
  it('removes secrets by key, masks contact details by key, and text by shape, at any depth', () => {
    const input = {
      password: 'hunter2',
      newPassword: 'x',
      token: 'cpt_abc',
      apiKey: 'sk_live_1',
      api_key: 'k',
      authorization: 'Bearer abc',
      cookie: 'comptoir_session=abc',
      webhookSecret: 'whsec_1',
      signature: 't=1,v1=abc',
      cvc: '123',
      cvv: 123,
      cardNumber: 4242424242424242,
      phone: '+225 07 08 09 10 11',
      customerPhone: '0708091011',
      email: 'fatou@example.com',
      to: 'fatou@example.com',
      recipient: '+22507000001',
      note: 'call +225 07 08 09 10 11 or fatou@example.com, card 4242424242424242',
      amount: 5000,
      paymentId: '0b1c3d4e-1234-4567-89ab-1234567890ab',
      at: '2026-11-21T08:35:57.123Z',
      nested: { deeper: [{ password: 'p', email: 'a.b@example.org', n: 1763712000001 }] },
    };
    expect(redactValue(input)).toEqual({
      password: '[redacted]',
      newPassword: '[redacted]',
      token: '[redacted]',
      apiKey: '[redacted]',
      api_key: '[redacted]',
      authorization: '[redacted]',
      cookie: '[redacted]',
      webhookSecret: '[redacted]',
      signature: '[redacted]',
      cvc: '[redacted]',
      cvv: '[redacted]',
      cardNumber: '[redacted]',
      phone: '•••11',
      customerPhone: '•••11',
      email: '•••@example.com',
      to: '•••@example.com',
      recipient: '•••01',
      note: 'call •••11 or •••@example.com, card •••• 4242',
      amount: 5000,
      paymentId: '0b1c3d4e-1234-4567-89ab-1234567890ab',
      at: '2026-11-21T08:35:57.123Z',
      nested: { deeper: [{ password: '[redacted]', email: '•••@example.org', n: 1763712000001 }] },
    });
    // The input is not modified.
    expect(input.password).toBe('hunter2');
  });

  it('errors keep their type, with message and stack masked', () => {
    const err = new TypeError('no client +225 07 08 09 10 11 (fatou@example.com)');
    const out = redactValue(err) as { type: string; message: string; stack: string };
    expect(out.type).toBe('TypeError');
    expect(out.message).toBe('no client •••11 (•••@example.com)');
    expect(out.stack.startsWith('TypeError: no client •••11 (•••@example.com)')).toBe(true);
  });

  it('leaves null, booleans and short contact values sensible; stops at a depth', () => {
    expect(redactValue({ a: null, b: true, c: undefined, phone: '12' })).toEqual({ a: null, b: true, c: undefined, phone: '•••' });
    expect(maskContact('+225 07 00 00 01')).toBe('•••01');
    let deep: Record<string, unknown> = { email: 'x@example.com' };
    for (let i = 0; i < 10; i++) deep = { d: deep };
    expect(JSON.stringify(redactValue(deep))).toContain('x@example.com');
  });
});

describe('the loggers', () => {
  const dirty = 'boom +225 07 08 09 10 11 aminata.kone@example.test 4242 4242 4242 4242';
  const clean = 'boom •••11 •••@example.test •••• 4242';

  it('the app logger masks the message, the logged object, the error (message and stack) and the request URL', () => {
    const { lines, stream } = capture();
    const log = pino(loggerOptions('info') as pino.LoggerOptions, stream);
    log.error({ err: Object.assign(new Error(dirty), { detail: 'Key (email)=(aminata.kone@example.test) already exists' }), note: dirty, password: 'hunter2', amount: 5000 }, `failed: ${dirty}`);
    log.info({ req: { method: 'GET', url: '/api/v1/companies/c/clients?search=%2B225+07+08+09+10+11&limit=5', id: 'r1' } }, 'incoming request');
    expect(lines).toHaveLength(2);
    const [failed, incoming] = lines as [{ err: { stack: string } }, { req: { url: string; requestId: string } }];
    expect(failed).toMatchObject({ msg: `failed: ${clean}`, note: clean, password: '[redacted]', amount: 5000, err: { type: 'Error', message: clean, detail: 'Key (email)=(•••@example.test) already exists' } });
    expect(failed.err.stack.startsWith(`Error: ${clean}`)).toBe(true);
    expect(decodeURIComponent(incoming.req.url)).toBe('/api/v1/companies/c/clients?search=•••11&limit=5');
    expect(incoming.req.requestId).toBe('r1');
    expect(JSON.stringify(lines)).not.toMatch(/0708091011|07 08 09 10 11|aminata\.kone|4242 4242 4242 4242|hunter2/);
  });

  it('the payments logger says which logger it is and masks the same way', () => {
    const { lines, stream } = capture();
    const log = createPaymentsLogger('info', undefined, stream);
    log.warn({ companyId: 'c1', phone: '+22507080910 11', err: new Error(dirty) }, 'payment failed');
    expect(lines).toEqual([expect.objectContaining({ logger: 'payments', companyId: 'c1', phone: '•••11', msg: 'payment failed', err: expect.objectContaining({ message: clean }) })]);
  });

  it('silent is no logger at all; the level is the configured one', () => {
    expect(loggerOptions('silent')).toBe(false);
    const { lines, stream } = capture();
    const log = pino(loggerOptions('warn') as pino.LoggerOptions, stream);
    log.info('not written');
    log.warn('written');
    expect(lines.map((l) => l.msg)).toEqual(['written']);
  });
});
