import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { Client } from './support/client.ts';
import { createTestDatabase } from './support/db.ts';
import { addMember, createCompany, signUp } from './support/factories.ts';

// Printed receipts and register reports: real PDFs (80 mm roll or A4) saying the
// right things, online copies behind an unguessable link, and nobody else's.
let a: TestApp;
let drop: () => Promise<void>;

beforeAll(async () => {
  const db = await createTestDatabase();
  drop = db.drop;
  a = await startTestApp(db.url, { COMPTOIR_SECRET_KEY: 'test-secret-key-0123456789abcdef0123456789' });
});
afterAll(async () => {
  await a?.stop();
  await drop?.();
});

async function ok(res: Promise<{ status: number; body: any }>, status = 200) {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

/** A GET answered as raw bytes (the test client parses text), with the client's cookies. */
async function raw(client: Client | null, url: string) {
  const cookie = client ? [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  const res = await a.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
  return { status: res.statusCode, type: String(res.headers['content-type'] ?? ''), disposition: String(res.headers['content-disposition'] ?? ''), bytes: res.rawPayload, json: () => res.json() };
}

/**
 * What a PDF says and its page sizes, read with a few lines: content streams inflated,
 * the hex strings of TJ/Tj operators decoded (standard fonts write WinAnsi bytes).
 */
function readPdf(bytes: Buffer) {
  const latin = bytes.toString('latin1');
  const pages = [...latin.matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => ({ width: Number(m[1]), height: Number(m[2]) }));
  const lines: string[] = [];
  const streamRe = /<<([\s\S]*?)>>\s*stream\r?\n/g;
  for (let m = streamRe.exec(latin); m; m = streamRe.exec(latin)) {
    const start = m.index + m[0].length;
    const end = latin.indexOf('endstream', start);
    let body = bytes.subarray(start, end);
    if (/FlateDecode/.test(m[1]!)) {
      try {
        body = inflateSync(body);
      } catch {
        continue;
      }
    }
    for (const op of body.toString('latin1').matchAll(/\[((?:<[0-9a-fA-F]*>|[\s\d.-])*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
      const hex = op[1] !== undefined ? [...op[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]).join('') : op[2]!;
      lines.push(Buffer.from(hex, 'hex').toString('latin1').replace(/\u00a0/g, ' ').replace(/\u0080/g, '€'));
    }
  }
  return { pages, text: lines.join('\n') };
}

const ROLL = 226.77;

async function shop(name = 'Maquis Le Baobab') {
  const owner = await signUp(a.app, 'Awa Koné');
  const company = await createCompany(owner.client, { name, currency: 'XOF', timezone: 'Africa/Abidjan' });
  const base = `/api/v1/companies/${company.id}`;
  await ok(owner.client.patch(base, { settings: { address: 'Rue des Jardins, Cocody\nAbidjan' } }));
  const attieke = await ok(owner.client.post(`${base}/products`, { name: 'Attiéké poisson', kind: 'service', price: 2500, taxRate: 1800 }), 201);
  const jus = await ok(owner.client.post(`${base}/products`, { name: 'Jus de bissap', kind: 'service', price: 1000, taxRate: 1000 }), 201);
  return { owner: owner.client, company, base, attieke: attieke.id as string, jus: jus.id as string };
}
type Shop = Awaited<ReturnType<typeof shop>>;

/** A counter sale of 2 attiéké + 1 bissap (6 000 F), paid in cash with 10 000 tendered. */
async function paidSale(s: Shop, extra: Record<string, unknown> = {}) {
  const sale = await ok(s.owner.post(`${s.base}/sales`, { channel: 'counter', customerName: 'Ibrahim', items: [{ productId: s.attieke, quantity: 2 }, { productId: s.jus, quantity: 1 }] }), 201);
  await ok(s.owner.post(`${s.base}/sales/${sale.id}/payments`, { method: 'cash', amount: 6000, tendered: 10_000, ...extra }), 201);
  return ok(s.owner.get(`${s.base}/sales/${sale.id}`));
}

describe('sale receipts as PDF', () => {
  it('an 80 mm roll: 226.77 pt wide, as tall as its content, saying business, reference, lines, taxes, payment and change', async () => {
    const s = await shop();
    const sale = await paidSale(s);
    const res = await raw(s.owner, `${s.base}/sales/${sale.id}/receipt.pdf?format=80mm`);
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/pdf');
    expect(res.disposition).toBe(`inline; filename="recu-${sale.reference}.pdf"`);
    expect(res.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(res.bytes.subarray(-6).toString('latin1')).toMatch(/%%EOF\s*$/);
    const pdf = readPdf(res.bytes);
    expect(pdf.pages).toHaveLength(1);
    expect(pdf.pages[0]!.width).toBeCloseTo(ROLL, 1);
    // Measured, then sized: taller than a few lines, far shorter than A4's height.
    expect(pdf.pages[0]!.height).toBeGreaterThan(300);
    expect(pdf.pages[0]!.height).toBeLessThan(841);
    for (const needle of [
      'Maquis Le Baobab', 'Rue des Jardins, Cocody', 'Abidjan', 'Reçu', sale.reference, 'Ibrahim',
      '2 × Attiéké poisson', '5 000 F CFA', '1 × Jus de bissap', '1 000 F CFA',
      'Total TTC', '6 000 F CFA',
      // HT/TVA by rate: 5 000 at 18 % → 4 237 + 763; 1 000 at 10 % → 909 + 91.
      '18 %', '4 237', '763', '10 %', '909', '91', '5 146', '854',
      'Espèces', '10 000 F CFA', 'Rendu', '4 000 F CFA', 'Merci de votre visite !',
    ]) expect(pdf.text, needle).toContain(needle);
    // The local date on the company's clock.
    const paidAt = new Date(sale.paidAt);
    const two = (n: number) => String(n).padStart(2, '0');
    expect(pdf.text).toContain(`${two(paidAt.getUTCDate())}/${two(paidAt.getUTCMonth() + 1)}/${paidAt.getUTCFullYear()} ${two(paidAt.getUTCHours())}:${two(paidAt.getUTCMinutes())}`);
    // The online copy's link is printed under the QR code.
    const printed = await ok(s.owner.get(`${s.base}/sales/${sale.id}/receipt`));
    expect(printed.url).toMatch(/^https?:\/\/[^/]+\/r\/[\w-]{32}$/);
    expect(pdf.text.replace(/\n/g, '')).toContain(printed.url);
  });

  it('A4 on demand (595.28 × 841.89), in English when asked; an open sale prints as a bill with what is left to pay', async () => {
    const s = await shop();
    const sale = await paidSale(s);
    const a4 = await raw(s.owner, `${s.base}/sales/${sale.id}/receipt.pdf?format=a4&lang=en`);
    expect(a4.status).toBe(200);
    const pdf = readPdf(a4.bytes);
    expect(pdf.pages).toEqual([{ width: 595.28, height: 841.89 }]);
    for (const needle of ['Receipt', sale.reference, 'Total incl. tax', '6 000 F CFA', 'Cash', 'Change', '4 000 F CFA']) expect(pdf.text, needle).toContain(needle);

    const open = await ok(s.owner.post(`${s.base}/sales`, { channel: 'counter', items: [{ productId: s.jus, quantity: 3 }] }), 201);
    const bill = readPdf((await raw(s.owner, `${s.base}/sales/${open.id}/receipt.pdf`)).bytes);
    for (const needle of ['Addition', open.reference, '3 × Jus de bissap', '3 000 F CFA', 'Reste à payer', 'Votre addition en ligne']) expect(bill.text, needle).toContain(needle);
    expect(bill.text).not.toContain('Rendu');

    const bad = await s.owner.get(`${s.base}/sales/${sale.id}/receipt.pdf?format=a5`);
    expect(bad.status).toBe(400);
  });

  it('discounts (line and whole sale, with reasons) and tips are printed, with the taxes of the discounted sale; the X report counts them', async () => {
    const s = await shop();
    const session = await ok(s.owner.post(`${s.base}/cash-sessions`, { register: 'Bar', openingFloat: 0 }), 201);
    const sale = await ok(s.owner.post(`${s.base}/sales`, { channel: 'counter', items: [{ productId: s.attieke, quantity: 2 }, { productId: s.jus, quantity: 1 }] }), 201);
    const line = sale.items.find((i: { name: string }) => i.name === 'Attiéké poisson');
    await ok(s.owner.post(`${s.base}/sales/${sale.id}/items/${line.id}/discount`, { kind: 'percent', value: 1000, reason: 'fidélité' }));
    await ok(s.owner.post(`${s.base}/sales/${sale.id}/discount`, { kind: 'amount', value: 100, reason: 'arrondi' }));
    await ok(s.owner.post(`${s.base}/sales/${sale.id}/payments`, { method: 'card', amount: 5400, tip: 500, reference: 'TPE-1', cashSessionId: session.id }), 201);
    const paid = await ok(s.owner.get(`${s.base}/sales/${sale.id}`));
    expect(paid).toMatchObject({ status: 'paid', discountTotal: 600, tips: 500, totals: { ttc: 5400 } });

    const printed = await ok(s.owner.get(`${s.base}/sales/${sale.id}/receipt`));
    expect(printed).toMatchObject({
      subtotal: 5500,
      discount: { kind: 'amount', value: 100, amount: 100, reason: 'arrondi' },
      discountTotal: 600,
      totals: { ttc: 5400 },
      tips: 500,
      payments: [{ method: 'card', amount: 5400, tip: 500, tendered: null, change: 0 }],
    });
    expect(printed.lines.find((l: { name: string }) => l.name === 'Attiéké poisson')).toMatchObject({ gross: 5000, total: 4500, discount: { kind: 'percent', value: 1000, amount: 500, reason: 'fidélité' } });
    // The taxes are the discounted sale's, as the sale itself says.
    expect(printed.taxes).toEqual(paid.totals.byRate);
    const text = readPdf((await raw(s.owner, `${s.base}/sales/${sale.id}/receipt.pdf`)).bytes).text;
    const plain = (n: number) => new Intl.NumberFormat('fr-FR').format(n).replace(/\s/g, ' ');
    for (const needle of [
      'Remise 10 % (fidélité)', '-500 F CFA', 'Sous-total', '5 500 F CFA', 'Remise (arrondi)', '-100 F CFA',
      'Total TTC', '5 400 F CFA', 'Dont remises', '600 F CFA', 'Carte', 'Pourboire', '500 F CFA',
      ...paid.totals.byRate.flatMap((t: { ht: number; tva: number }) => [plain(t.ht), plain(t.tva)]),
    ]) expect(text, needle).toContain(needle);

    const report = await ok(s.owner.get(`${s.base}/cash-sessions/${session.id}/report/printed`));
    expect(report.report).toMatchObject({ kind: 'X', salesCount: 1, salesByMethod: { card: 5400 }, discounts: { count: 2, amount: 600 }, tips: { total: 500 } });
    expect(report.report).toEqual(await ok(s.owner.get(`${s.base}/cash-sessions/${session.id}/report`)));
    const xText = readPdf((await raw(s.owner, `${s.base}/cash-sessions/${session.id}/report.pdf`)).bytes).text;
    for (const needle of ['Remises (2)', '600 F CFA', 'Pourboires', 'Awa Koné', '500 F CFA', 'Carte', '5 400 F CFA']) expect(xText, needle).toContain(needle);
  });

  it("another company's sale is 404, and so is an unknown one; a server may print, a stranger may not", async () => {
    const s = await shop();
    const sale = await paidSale(s);
    const other = await shop('Chez Tantie');
    expect((await raw(other.owner, `${other.base}/sales/${sale.id}/receipt.pdf`)).status).toBe(404);
    expect((await other.owner.get(`${other.base}/sales/${sale.id}/receipt`)).body.code).toBe('sale.not_found');
    expect((await raw(other.owner, `${s.base}/sales/${sale.id}/receipt.pdf`)).status).toBe(404);
    expect((await raw(s.owner, `${s.base}/sales/00000000-0000-4000-8000-000000000000/receipt.pdf`)).status).toBe(404);
    const server = await addMember(a.app, s.owner, s.company.id, 'server');
    expect((await raw(server.client, `${s.base}/sales/${sale.id}/receipt.pdf`)).type).toBe('application/pdf');
    expect((await raw(null, `${s.base}/sales/${sale.id}/receipt.pdf`)).status).toBe(401);
  });
});

describe('the online copy behind the QR code', () => {
  it('one unguessable link per sale, kept across prints; the public page answers JSON and PDF; a wrong token is 404', async () => {
    const s = await shop();
    const sale = await paidSale(s);
    const first = (await ok(s.owner.get(`${s.base}/sales/${sale.id}/receipt`))).url as string;
    const again = (await ok(s.owner.get(`${s.base}/sales/${sale.id}/receipt`))).url as string;
    expect(again).toBe(first);
    const token = first.split('/r/')[1]!;
    const { rows } = await a.db.pool.query('SELECT count(*)::int AS n FROM receipt_links WHERE sale_id = $1', [sale.id]);
    expect(rows[0].n).toBe(1);

    const anonymous = new Client(a.app);
    const copy = await ok(anonymous.get(`/api/v1/public/receipts/${token}`));
    expect(copy).toMatchObject({
      reference: sale.reference,
      status: 'paid',
      business: { name: 'Maquis Le Baobab', address: 'Rue des Jardins, Cocody\nAbidjan' },
      totals: { ttc: 6000 },
      payments: [{ method: 'cash', amount: 6000, tendered: 10_000, change: 4000, tip: 0 }],
      url: first,
    });
    const pdf = await raw(null, `/api/v1/public/receipts/${token}.pdf`);
    expect(pdf.type).toBe('application/pdf');
    expect(readPdf(pdf.bytes).text).toContain(sale.reference);

    for (const wrong of [`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`, 'x'.repeat(32)]) {
      const res = await anonymous.get(`/api/v1/public/receipts/${wrong}`);
      expect([res.status, res.body.code]).toEqual([404, 'receipt.link_not_found']);
      expect((await raw(null, `/api/v1/public/receipts/${wrong}.pdf`)).status).toBe(404);
    }
    expect((await anonymous.get('/api/v1/public/receipts/short')).status).toBe(400);
  });

  it('a sale paid by a QR payment session links to its /pay page; staff and client get its PDF once paid', async () => {
    const s = await shop();
    const created = await ok(s.owner.post(`${s.base}/payment-sessions`, { serviceId: s.attieke }), 201);
    const token = created.publicUrl.split('/pay/')[1] as string;
    const p = `/api/v1/public/pay/${token}`;
    const client = new Client(a.app);
    await ok(client.post(`${p}/identify`, { name: 'Mariam' }));
    const early = await raw(null, `${p}/receipt.pdf`);
    expect([early.status, early.json().code]).toEqual([404, 'receipt.not_found']);
    expect((await raw(s.owner, `${s.base}/payment-sessions/${created.id}/receipt.pdf`)).status).toBe(404);
    const pay = await ok(client.post(`${p}/pay`, { method: 'cash' }));
    const confirmed = await ok(s.owner.post(`${s.base}/payments/${pay.payment.id}/confirm`, {}));

    const printed = await ok(s.owner.get(`${s.base}/sales/${confirmed.saleId}/receipt`));
    expect(printed.url).toBe(created.publicUrl);
    const { rows } = await a.db.pool.query('SELECT count(*)::int AS n FROM receipt_links WHERE sale_id = $1', [confirmed.saleId]);
    expect(rows[0].n).toBe(0);
    for (const [who, url] of [[s.owner, `${s.base}/payment-sessions/${created.id}/receipt.pdf`], [null, `${p}/receipt.pdf`]] as const) {
      const res = await raw(who, url);
      expect(res.type).toBe('application/pdf');
      const text = readPdf(res.bytes).text;
      for (const needle of [printed.reference, 'Attiéké poisson', '2 500 F CFA', 'Mariam', created.publicUrl.slice(-20)]) expect(text.replace(/\n/g, ''), needle).toContain(needle);
    }
    expect((await raw(null, `/api/v1/public/pay/${'z'.repeat(32)}/receipt.pdf`)).status).toBe(404);
    // The existing receipt pages are untouched.
    expect((await client.get(`${p}/receipt`)).status).toBe(200);
  });
});

describe('register reports', () => {
  it('X while open, Z once closed: sales by method, refunds, taxes, expected against counted cash', async () => {
    const s = await shop();
    const session = await ok(s.owner.post(`${s.base}/cash-sessions`, { register: 'Caisse 1', openingFloat: 20_000 }), 201);
    await paidSale(s, { cashSessionId: session.id });
    await paidSale(s, { cashSessionId: session.id });

    const x = await ok(s.owner.get(`${s.base}/cash-sessions/${session.id}/report/printed`));
    expect(x.report).toMatchObject({ kind: 'X', salesCount: 2, salesByMethod: { cash: 12_000 }, openingFloat: 20_000, expectedCash: 32_000, countedCash: null });
    expect(x.report.taxes).toEqual([
      { rate: 1000, ht: 1818, tva: 182, ttc: 2000 },
      { rate: 1800, ht: 8474, tva: 1526, ttc: 10_000 },
    ]);
    const xPdf = await raw(s.owner, `${s.base}/cash-sessions/${session.id}/report.pdf`);
    expect(xPdf.type).toBe('application/pdf');
    const xText = readPdf(xPdf.bytes);
    expect(xText.pages[0]!.width).toBeCloseTo(ROLL, 1);
    for (const needle of ['Rapport X (provisoire)', 'Caisse 1', '12 000 F CFA', '32 000 F CFA', 'non compté']) expect(xText.text, needle).toContain(needle);

    await ok(s.owner.post(`${s.base}/cash-sessions/${session.id}/close`, { countedCash: 31_500 }));
    const z = await raw(s.owner, `${s.base}/cash-sessions/${session.id}/report.pdf?format=a4`);
    const zPdf = readPdf(z.bytes);
    expect(zPdf.pages).toEqual([{ width: 595.28, height: 841.89 }]);
    for (const needle of ['Rapport Z (clôture)', 'Fond de caisse', '20 000 F CFA', '= Attendu', '32 000 F CFA', 'Compté', '31 500 F CFA', 'Écart', '-500 F CFA', '8 474', '1 526']) {
      expect(zPdf.text, needle).toContain(needle);
    }
    expect(z.disposition).toMatch(/^inline; filename="rapport-Z-Caisse_1-\d{4}-\d{2}-\d{2}\.pdf"$/);

    const other = await shop('Chez Tantie');
    expect((await raw(other.owner, `${other.base}/cash-sessions/${session.id}/report.pdf`)).status).toBe(404);
    const server = await addMember(a.app, s.owner, s.company.id, 'server');
    expect((await raw(server.client, `${s.base}/cash-sessions/${session.id}/report.pdf`)).status).toBe(403);
  });
});
