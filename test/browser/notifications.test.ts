import { randomUUID } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/platform/db/tx.ts';
import { append } from '../../src/platform/events/append.ts';
import { addMember, createCompany, signUp } from '../support/factories.ts';
import { browserWorld, shot, signInPage } from './browser.ts';

const env = browserWorld();

const signIn = async (context: BrowserContext, email: string) => signInPage(env, await context.newPage(), email, { live: true });

/** What the floor capability will do when a sale frees a table: append table_freed in a transaction. */
async function freeTable(companyId: string, label: string) {
  await inTransaction(env.app.db, { kind: 'company', companyId }, async (tx) => {
    append({ companyId, actor: { type: 'system', id: 'test' }, clock: env.app.clock, tx }, 'table_freed', { tableId: randomUUID(), label });
  });
}

const badge = (page: Page) => page.getByTestId('notification-badge').first();

describe('notifications journeys', () => {
  it('a freed table raises the toast and the badge in another browser within 2 s', async () => {
    const owner = await signUp(env.app.app, 'Fatou Ndiaye');
    const company = await createCompany(owner.client, { name: 'Maquis Fatou' });
    const server = await addMember(env.app.app, owner.client, company.id, 'server');
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await signIn(context, server.email);
    expect(await page.getByTestId('notification-badge').count()).toBe(0);

    const start = Date.now();
    await freeTable(company.id, '5');
    await page.getByText('Table 5 libérée !').first().waitFor({ timeout: 2000 });
    await expect.poll(() => badge(page).textContent(), { timeout: 2000 }).toBe('1');
    expect(Date.now() - start).toBeLessThan(2000);
    await page.getByText('La table 5 est maintenant disponible').first().waitFor();
    await shot(page, 'notification-toast');

    await page.getByTestId('notification-bell').first().click();
    await page.getByTestId('notification-dropdown').waitFor();
    expect(await page.locator('[data-testid="notification-item"][data-type="table_freed"]').count()).toBe(1);
    await shot(page, 'notification-dropdown');
    await context.close();
  });

  it('mark-all-read in one tab clears the badge in the other', async () => {
    const owner = await signUp(env.app.app, 'Ousmane Ba');
    const company = await createCompany(owner.client, { name: 'Bar Ousmane' });
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const tab1 = await signIn(context, owner.email);
    const tab2 = await context.newPage();
    await tab2.goto(`${env.app.url}/c/${company.id}`);
    await expect.poll(() => tab2.getByTestId('stream-status').first().getAttribute('data-status'), { timeout: 10_000 }).toBe('live');

    await freeTable(company.id, '2');
    await freeTable(company.id, '7');
    await expect.poll(() => badge(tab1).textContent(), { timeout: 2000 }).toBe('2');
    await expect.poll(() => badge(tab2).textContent(), { timeout: 2000 }).toBe('2');

    await tab1.getByTestId('notification-bell').first().click();
    await tab1.getByTestId('mark-all-read').click();
    await expect.poll(() => tab1.getByTestId('notification-badge').count(), { timeout: 2000 }).toBe(0);
    await expect.poll(() => tab2.getByTestId('notification-badge').count(), { timeout: 2000 }).toBe(0);
    await context.close();
  });
});
