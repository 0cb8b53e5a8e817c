
import { describe, expect, it } from 'vitest';
import { createCompany, signUp } from '../support/factories.ts';
import { browserWorld, shot, signInAs } from './browser.ts';

const env = browserWorld();

const signIn = (email: string, viewport?: { width: number; height: number }) => signInAs(env, email, { viewport });

describe('QR payment journey (seed 002)', () => {
  it('on a phone: scan → identify → service → cash → receipt, while the staff screen follows the session live', async () => {
    const owner = await signUp(env.app.app, 'Aminata');
    const company = await createCompany(owner.client, { name: 'Salon Aminata', currency: 'XOF', timezone: 'Africa/Abidjan' });
    const base = `/api/v1/companies/${company.id}`;
    const coupe = (await owner.client.post(`${base}/products`, { name: 'Coupe femme', kind: 'service', price: 5000 })).body;
    expect(coupe.id).toBeTruthy();

    // Staff create the session from the web app and show its QR code.
    const staff = await signIn(owner.email);
    const errors: string[] = [];
    staff.on('pageerror', (e) => errors.push(`staff: ${e.message}`));
    await expect.poll(() => staff.getByTestId('stream-status').first().getAttribute('data-status'), { timeout: 10_000 }).toBe('live');
    await staff.goto(`${env.app.url}/c/${company.id}/payment-sessions`);
    await staff.getByTestId('payment-session-new').click();
    // The client will choose the service on the phone.
    await staff.getByTestId('payment-session-mode-open').check({ force: true });
    await staff.getByTestId('payment-session-create').click();
    await staff.getByTestId('payment-session-qr').waitFor();
    const sessions = await owner.client.get(`${base}/payment-sessions`);
    expect(sessions.body.items).toHaveLength(1);
    const session = sessions.body.items[0];
    await shot(staff, 'pay-staff-qr');
    await staff.goto(`${env.app.url}/c/${company.id}/payment-sessions/${session.id}`);
    const status = staff.getByTestId('payment-session-status').first();
    await expect.poll(() => status.getAttribute('data-status')).toBe('created');

    // The client scans with a phone.
    const phoneCtx = await env.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const phone = await phoneCtx.newPage();
    phone.on('pageerror', (e) => errors.push(`phone: ${e.message}`));
    // The QR code's URL, on this test server (COMPTOIR_PUBLIC_URL is not set here).
    await phone.goto(new URL(new URL(session.publicUrl).pathname, env.app.url).href);
    await phone.getByTestId('pay-identify').waitFor();
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 5000 }).toBe('scanned');

    await phone.getByTestId('pay-identify-name').fill('Fatou Diallo');
    await phone.getByTestId('pay-identify-phone').fill('+225 07 00 00 01');
    await shot(phone, 'pay-identify');
    await phone.getByTestId('pay-identify-submit').click();
    await phone.getByTestId(`pay-service-${coupe.id}`).click();
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 5000 }).toBe('service_selected');
    await phone.getByTestId('pay-method-cash').click();
    await phone.getByTestId('pay-pending').waitFor();
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 5000 }).toBe('payment_initiated');
    await shot(phone, 'pay-pending');

    // The client pays at the counter; staff confirm; the phone shows the receipt live.
    await staff.getByTestId('payment-confirm-cash').click();
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 5000 }).toBe('paid');
    await phone.getByTestId('pay-receipt').waitFor({ timeout: 5000 });
    const reference = (await phone.getByTestId('pay-receipt-reference').textContent())?.trim();
    expect(reference).toMatch(/^V-\d{6}$/);
    expect(await phone.getByTestId('pay-receipt-total').textContent()).toMatch(/5\s?000/);
    const href = await phone.getByTestId('pay-receipt-download').getAttribute('href');
    const download = await fetch(new URL(href!, env.app.url));
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toContain(`recu-${reference}.html`);
    expect(await download.text()).toContain('Coupe femme');
    await shot(phone, 'pay-receipt');
    await shot(staff, 'pay-staff-session-paid');

    // The client is recorded, with the visit.
    const clients = await owner.client.get(`${base}/clients`);
    expect(clients.body.items).toMatchObject([{ name: 'Fatou Diallo', visitCount: 1, totalSpent: 5000 }]);
    expect(errors).toEqual([]);
    await phoneCtx.close();
  });
});
