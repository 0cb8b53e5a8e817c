import { describe, expect, it } from 'vitest';
import { redactUrl } from './logger.ts';

describe('redactUrl', () => {
  it('hides capabilities carried in paths and query strings', () => {
    expect(redactUrl('/api/v1/public/pay/abcDEF123456789012345678/pay')).toBe('/api/v1/public/pay/[redacted]/pay');
    expect(redactUrl('/api/v1/public/pay/counters/abcdefgh12345/sessions')).toBe('/api/v1/public/pay/counters/[redacted]/sessions');
    expect(redactUrl('/api/v1/public/shops/boutique/carts/abcdefghijklmnopqrstuvwx/items')).toBe('/api/v1/public/shops/boutique/carts/[redacted]/items');
    expect(redactUrl('/api/v1/public/shops/boutique/orders/1?token=secret-cart-token')).toBe('/api/v1/public/shops/boutique/orders/1?token=[redacted]');
    expect(redactUrl('/api/v1/companies/0b1c/sales')).toBe('/api/v1/companies/0b1c/sales');
  });
});
