import { describe, expect, it } from 'vitest';
import { createCompany, PASSWORD, signUp } from '../support/factories.ts';
import { browserWorld, shot } from './browser.ts';

const env = browserWorld();

/** 80 mm in CSS pixels (96 per inch), and in PDF points (72 per inch). */
const ROLL_PX = (80 / 25.4) * 96;
const ROLL_PT = (80 / 25.4) * 72;

const mediaBoxes = (pdf: Buffer) =>
  [...pdf.toString('latin1').matchAll(/\/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => ({ width: Number(m[1]), height: Number(m[2]) }));

describe('printing: the 80 mm receipt and the Z report', () => {
  it('prints a paid sale on an 80 mm roll (print media, 302 px wide), with its PDF; the Z report and the online copy follow', async () => {
    const owner = await signUp(env.app.app, 'Awa Koné');
    const company = await createCompany(owner.client, { name: 'Maquis Le Baobab' });
    const c = `/api/v1/companies/${company.id}`;
    expect((await owner.client.patch(c, { settings: { address: 'Rue des Jardins, Cocody\nAbidjan' } })).status).toBe(200);
    const dish = (await owner.client.post(`${c}/products`, { name: 'Attiéké poisson', kind: 'service', price: 2500 })).body;
    const juice = (await owner.client.post(`${c}/products`, { name: 'Jus de bissap', kind: 'service', price: 1000, taxRate: 1000 })).body;
    const session = (await owner.client.post(`${c}/cash-sessions`, { register: 'Caisse 1', openingFloat: 20_000 })).body;
    const sale = (await owner.client.post(`${c}/sales`, { channel: 'counter', customerName: 'Ibrahim', items: [{ productId: dish.id, quantity: 2 }, { productId: juice.id, quantity: 1 }] })).body;
    const paid = await owner.client.post(`${c}/sales/${sale.id}/payments`, { method: 'cash', amount: 6000, tendered: 10_000, cashSessionId: session.id });
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    expect((await owner.client.post(`${c}/cash-sessions/${session.id}/close`, { countedCash: 26_000 })).status).toBe(200);

    // A phone-sized window: 302 px is 80 mm on screen.
    const context = await env.browser.newContext({ viewport: { width: 302, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${env.app.url}/login`);
    const login = page.getByTestId('login-form');
    await login.locator('input[name="email"]').fill(owner.email);
    await login.locator('input[name="password"]').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/c\/[0-9a-f-]{36}$/);

    // From the sale, "Reçu" opens its print page.
    await page.goto(`${env.app.url}/c/${company.id}/sales/${sale.id}`);
    await page.getByTestId('sale-receipt').click();
    await page.waitForURL(new RegExp(`/c/${company.id}/sales/${sale.id}/receipt\\?format=80mm$`));
    const receipt = page.getByTestId('printed-receipt');
    await receipt.waitFor();
    expect(await page.getByTestId('printed-reference').textContent()).toBe(sale.reference);
    expect(await page.getByTestId('printed-total').getAttribute('data-amount')).toBe('6000');
    expect(await page.getByTestId('printed-change').getAttribute('data-amount')).toBe('4000');
    expect(await page.getByTestId('printed-taxes').locator('tbody tr').count()).toBe(2);
    await page.getByTestId('printed-qr').evaluate((img: HTMLImageElement) => img.decode());
    await shot(page, 'receipt-80mm-screen');

    // As the printer sees it: only the receipt, no wider than the roll.
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('print-toolbar').isVisible()).toBe(false);
    await shot(page, 'receipt-80mm');
    const box = await receipt.boundingBox();
    expect(box!.x).toBe(0);
    expect(box!.width).toBeLessThanOrEqual(ROLL_PX + 0.5);
    expect(box!.width).toBeGreaterThan(ROLL_PX - 2);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(Math.ceil(ROLL_PX));
    // The print stylesheet's page: 80 mm wide, as long as the receipt, one page.
    const printed = mediaBoxes(await page.pdf({ preferCSSPageSize: true, printBackground: true }));
    expect(printed).toHaveLength(1);
    expect(printed[0]!.width).toBeCloseTo(ROLL_PT, 0);
    expect(printed[0]!.height).toBeGreaterThan(box!.height * 0.75 - 1);
    expect(printed[0]!.height).toBeLessThan(box!.height * 0.75 + 20);
    await page.emulateMedia({ media: 'screen' });

    // "Télécharger le PDF" answers a PDF of the same receipt.
    const href = await page.getByTestId('print-pdf').getAttribute('href');
    expect(href).toBe(`/api/v1/companies/${company.id}/sales/${sale.id}/receipt.pdf?format=80mm&lang=fr`);
    const pdf = await page.request.get(`${env.app.url}${href}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    const bytes = await pdf.body();
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(mediaBoxes(bytes)[0]!.width).toBeCloseTo(ROLL_PT, 1);

    // A4 on demand: the switch changes the page and the PDF link.
    await page.getByTestId('print-format-a4').click();
    await page.waitForURL(/format=a4$/);
    // The URL changes first; the page re-renders right after.
    await expect.poll(() => receipt.getAttribute('data-format')).toBe('a4');
    await expect.poll(() => page.getByTestId('print-pdf').getAttribute('href')).toContain('format=a4');
    const a4 = mediaBoxes(await page.pdf({ preferCSSPageSize: true }));
    expect(a4).toHaveLength(1);
    expect(a4[0]!.width).toBeCloseTo(595.28, 0);
    expect(a4[0]!.height).toBeCloseTo(841.89, 0);

    // The closed session's "Rapport Z", from the cash sessions page.
    await page.goto(`${env.app.url}/c/${company.id}/cash-sessions`);
    await page.locator(`[data-testid="closed-session"][data-session-id="${session.id}"] [data-testid="session-report-z"]`).click();
    await page.waitForURL(new RegExp(`/cash-sessions/${session.id}/report$`));
    expect(await page.getByTestId('printed-report-kind').getAttribute('data-kind')).toBe('Z');
    expect(await page.getByTestId('printed-sales-count').getAttribute('data-amount')).toBe('1');
    expect(await page.getByTestId('printed-expected').getAttribute('data-amount')).toBe('26000');
    expect(await page.getByTestId('printed-difference').getAttribute('data-amount')).toBe('0');
    await page.emulateMedia({ media: 'print' });
    await shot(page, 'report-z-80mm');
    await page.emulateMedia({ media: 'screen' });
    const report = await page.request.get(`${env.app.url}${await page.getByTestId('print-pdf').getAttribute('href')}`);
    expect(report.headers()['content-type']).toBe('application/pdf');

    // The QR code's online copy, for anyone holding the link.
    const url = (await owner.client.get(`${c}/sales/${sale.id}/receipt`)).body.url as string;
    const visitor = await (await env.browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await visitor.goto(`${env.app.url}/r/${url.split('/r/')[1]}`);
    expect(await visitor.getByTestId('printed-reference').textContent()).toBe(sale.reference);
    expect(await visitor.getByTestId('print-pdf').getAttribute('href')).toMatch(/^\/api\/v1\/public\/receipts\/[\w-]{32}\.pdf\?format=80mm&lang=fr$/);
    await visitor.goto(`${env.app.url}/r/${'x'.repeat(32)}`);
    await visitor.getByTestId('receipt-link-error').waitFor();
    await context.close();
  });
});
