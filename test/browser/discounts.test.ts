
import { describe, expect, it } from 'vitest';
import { setPin } from '../../src/modules/tenancy/index.ts';
import { inTransaction } from '../../src/platform/db/tx.ts';
import { addMember, createCompany, signUp } from '../support/factories.ts';
import { browserWorld, shot, signInAs } from './browser.ts';

const env = browserWorld();

const signIn = (email: string, viewport?: { width: number; height: number }) => signInAs(env, email, { viewport });

describe('till: discounts with a manager PIN, a tip, the X and Z reports', () => {
  it('discounts a line, has a manager approve a sale discount by PIN after the server asks, takes a cash tip, shows X then Z', async () => {
    const owner = await signUp(env.app.app, 'Gérante');
    const company = await createCompany(owner.client, { name: 'Chez Awa' });
    const c = `/api/v1/companies/${company.id}`;
    const manager = await addMember(env.app.app, owner.client, company.id, 'manager');
    const cashier = await addMember(env.app.app, owner.client, company.id, 'cashier');
    await inTransaction(env.app.db, { kind: 'company', companyId: company.id }, (tx) =>
      setPin({ companyId: company.id, actor: { type: 'system' }, clock: env.app.clock, tx }, manager.userId, '4821'),
    );
    const dish = (await owner.client.post(`${c}/products`, { name: 'Poulet braisé', kind: 'service', price: 10000, taxRate: 1800 })).body;
    const juice = (await owner.client.post(`${c}/products`, { name: 'Bissap', kind: 'service', price: 2000, taxRate: 1000 })).body;
    const session = (await cashier.client.post(`${c}/cash-sessions`, { register: 'Caisse 1', openingFloat: 5000 })).body;
    const sale = (await cashier.client.post(`${c}/sales`, { channel: 'counter', items: [{ productId: dish.id, quantity: 1 }, { productId: juice.id, quantity: 1 }] })).body;
    const juiceLine = sale.items.find((i: { productId: string }) => i.productId === juice.id).id as string;

    const page = await signIn(cashier.email);
    await page.goto(`${env.app.url}/c/${company.id}/sales/${sale.id}`);

    // 10 % off the juice (within the 20 % limit): no PIN.
    await page.locator(`[data-testid="sale-item"][data-item-id="${juiceLine}"] [data-testid="sale-item-discount"]`).click();
    const dialog = page.getByTestId('discount-dialog');
    await dialog.getByTestId('discount-kind').selectOption('percent');
    await dialog.getByTestId('discount-value').fill('10');
    await dialog.getByTestId('discount-reason').fill('Happy hour');
    expect(await dialog.getByTestId('discount-preview').getAttribute('data-amount')).toBe('200');
    expect(await dialog.getByTestId('discount-approval-needed').count()).toBe(0);
    await dialog.getByTestId('discount-submit').click();
    await expect.poll(() => page.getByTestId('sale-due').first().getAttribute('data-amount')).toBe('11800');
    expect(await page.getByTestId('sale-item-discount-line').getAttribute('data-amount')).toBe('200');

    // The owner lowers the limit to 5 % meanwhile: the page still believes 20 %, the server asks for a PIN.
    expect((await owner.client.patch(c, { settings: { discountApprovalPercent: 5 } })).status).toBe(200);
    await page.getByTestId('sale-discount-button').click();
    await dialog.getByTestId('discount-kind').selectOption('percent');
    await dialog.getByTestId('discount-value').fill('10');
    await dialog.getByTestId('discount-reason').fill('Fidélité');
    await dialog.getByTestId('discount-submit').click();
    await dialog.getByTestId('discount-pin').waitFor();
    expect(await dialog.getByTestId('discount-approval-needed').textContent()).toContain('5');
    await dialog.getByTestId('discount-pin').fill('0000');
    await dialog.getByTestId('discount-submit').click();
    // Refused: the PIN is cleared and the refusal shown under it.
    await expect.poll(() => dialog.getByTestId('discount-pin').inputValue()).toBe('');
    expect(await dialog.getByTestId('field-error').textContent()).toContain('refusée');
    await dialog.getByTestId('discount-pin').fill('4821');
    await shot(page, 'discount-pin');
    await dialog.getByTestId('discount-submit').click();
    await expect.poll(() => page.getByTestId('sale-due').first().getAttribute('data-amount')).toBe('10620');
    expect(await page.getByTestId('sale-discount').getAttribute('data-amount')).toBe('1180');
    expect(await page.getByTestId('sale-discount-total').getAttribute('data-amount')).toBe('1380');
    expect((await owner.client.get(`${c}/sales/${sale.id}`)).body.discount).toMatchObject({ amount: 1180, approvedBy: { userId: manager.userId } });

    // Cash with a 500 tip: tendered defaults to amount + tip.
    await page.getByTestId('payment-tip-input').fill('500');
    await page.getByTestId('payment-submit').click();
    await expect.poll(() => page.getByTestId('sale-status').first().getAttribute('data-status')).toBe('paid');
    expect(await page.getByTestId('payment-tip').getAttribute('data-amount')).toBe('500');
    expect(await page.getByTestId('sale-tips').getAttribute('data-amount')).toBe('500');
    await shot(page, 'till-discounts-tip');

    // The X report on screen, then close: the Z report.
    await page.goto(`${env.app.url}/c/${company.id}/cash-sessions`);
    const card = page.locator(`[data-testid="cash-session"][data-session-id="${session.id}"]`);
    await card.getByTestId('x-report-toggle').click();
    const x = card.locator('[data-testid="cash-report"][data-kind="X"]');
    await x.waitFor();
    expect(await x.getByTestId('report-sales-count').textContent()).toBe('1');
    expect(await x.locator('[data-testid="report-method"][data-method="cash"] dd').getAttribute('data-amount')).toBe('10620');
    expect(await x.getByTestId('report-discounts').getAttribute('data-amount')).toBe('1380');
    expect(await x.getByTestId('report-tips-total').getAttribute('data-amount')).toBe('500');
    expect(await x.getByTestId('report-expected-cash').getAttribute('data-amount')).toBe('16120');
    expect(await x.getByTestId('report-taxes').locator('tbody tr').count()).toBe(2);
    await card.getByTestId('counted-cash').fill('16120');
    await card.getByTestId('close-session-submit').click();
    const z = page.locator('[data-testid="cash-report"][data-kind="Z"]');
    await z.waitFor();
    expect(await z.getByTestId('report-difference').getAttribute('data-amount')).toBe('0');
    expect(await z.getByTestId('report-counted-cash').getAttribute('data-amount')).toBe('16120');
    expect(await z.getByTestId('cash-report-printable').getAttribute('href')).toBe(`/c/${company.id}/cash-sessions/${session.id}/report`);
    await shot(page, 'cash-z-report');
  });
});
