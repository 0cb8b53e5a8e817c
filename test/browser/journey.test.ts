import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { shot, browserWorld } from './browser.ts';

const env = browserWorld();

describe('web shell journey', () => {
  it('register → create company → invite a member → sign in as them', async () => {
    const id = randomBytes(3).toString('hex');
    const ownerEmail = `patronne-${id}@example.test`;
    const memberEmail = `caissier-${id}@example.test`;
    const page = await env.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    await page.goto(`${env.app.url}/register`);
    const register = page.getByTestId('register-form');
    await register.locator('input[name="name"]').fill('Aminata Diop');
    await register.locator('input[name="email"]').fill(ownerEmail);
    await register.locator('input[name="password"]').fill('un-mot-de-passe-solide');
    await shot(page, 'register');
    await page.getByTestId('register-submit').click();

    await page.waitForURL('**/companies/new');
    const form = page.getByTestId('company-form');
    await form.locator('input[name="name"]').fill(`Salon Aminata ${id}`);
    await shot(page, 'create-company');
    await page.getByTestId('company-submit').click();

    await page.waitForURL(/\/c\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByTestId('current-company-name').first().textContent()).toContain(`Salon Aminata ${id}`);
    // The live panel follows the stream: company_created arrives from the event log.
    await expect.poll(() => page.getByTestId('stream-status').first().getAttribute('data-status'), { timeout: 10_000 }).toBe('live');
    await shot(page, 'home');

    await page.getByTestId('nav-members').first().click();
    const invite = page.getByTestId('invite-member-form');
    await invite.locator('input[name="email"]').fill(memberEmail);
    await invite.locator('input[name="name"]').fill('Ibrahim Sow');
    await invite.locator('input[name="password"]').fill('mot-de-passe-initial-42');
    await page.getByTestId('invite-member-submit').click();
    const row = page.locator(`[data-testid="member-row"][data-email="${memberEmail}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-role')).toBe('cashier');
    // The owner's live feed shows the member_added event pushed by the server.
    await page.getByTestId('nav-home').first().click();
    await page.locator('[data-testid="live-event"][data-event-type="member_added"]').first().waitFor({ timeout: 10_000 });
    await page.getByTestId('nav-members').first().click();
    await row.waitFor();
    await shot(page, 'members');

    await page.getByTestId('user-menu').first().click();
    await page.getByTestId('logout-button').click();
    await page.waitForURL('**/login**');

    const login = page.getByTestId('login-form');
    await login.locator('input[name="email"]').fill(memberEmail);
    await login.locator('input[name="password"]').fill('mot-de-passe-initial-42');
    await shot(page, 'login');
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/c\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByTestId('company-role').first().textContent()).toMatch(/Caissier/);
    // A cashier sees no members management.
    expect(await page.getByTestId('nav-members').count()).toBe(0);
    await shot(page, 'cashier-home');

    // English switch
    await page.getByTestId('user-menu').first().click();
    await page.getByTestId('lang-en').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(errors).toEqual([]);
    await page.close();
  });
});
