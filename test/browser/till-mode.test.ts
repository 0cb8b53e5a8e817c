import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addMember, createCompany, PASSWORD, signUp } from '../support/factories.ts';
import { browserWorld, shot, signInAs } from './browser.ts';

const env = browserWorld();

const signIn = (email: string, viewport?: { width: number; height: number }) => signInAs(env, email, { viewport });

async function typePin(page: Page, pin: string) {
  for (const d of pin) await page.getByTestId(`till-key-${d}`).click();
  if (pin.length < 6) await page.getByTestId('till-key-ok').click();
}

describe('shared till', () => {
  it('the owner adds a PIN-only server, a manager turns a tablet into a till, staff switch with their PIN, wrong PINs lock it', async () => {
    const owner = await signUp(env.app.app, 'Awa Patronne');
    const company = await createCompany(owner.client, { name: 'Maquis Le Baobab' });
    const c = `/api/v1/companies/${company.id}`;
    const manager = await addMember(env.app.app, owner.client, company.id, 'manager');
    expect((await owner.client.put(`${c}/members/${manager.userId}/pin`, { pin: '2580' })).status).toBe(204);

    // The owner adds Koffi, who has no e-mail: a name and a PIN.
    const admin = await signIn(owner.email);
    await admin.goto(`${env.app.url}/c/${company.id}/members`);
    const form = admin.getByTestId('invite-member-form');
    await admin.getByTestId('invite-mode-pin').click();
    await expect.poll(() => form.locator('input[name="email"]').count()).toBe(0);
    await form.locator('input[name="name"]').fill('Koffi');
    await admin.getByTestId('invite-pin').fill('1397');
    await admin.getByTestId('invite-member-submit').click();
    const koffiRow = admin.locator('[data-testid="member-row"]', { hasText: 'Koffi' });
    await koffiRow.waitFor();
    expect(await koffiRow.getAttribute('data-pin')).toBe('true');
    await koffiRow.getByTestId('member-pin-badge').waitFor();
    await shot(admin, 'members-pin');
    await admin.context().close();
    const koffi = (await owner.client.get(`${c}/members`)).body.items.find((m: { name: string }) => m.name === 'Koffi');
    expect(koffi).toMatchObject({ email: null, hasPin: true, role: 'cashier' });
    expect((await owner.client.patch(`${c}/members/${koffi.userId}`, { role: 'server' })).status).toBe(200);

    // The manager, signed in on the tablet, turns it into a shared till.
    const tablet = await signIn(manager.email, { width: 1024, height: 768 });
    await tablet.getByTestId('user-menu').click();
    await tablet.getByTestId('enable-till-button').click();
    await tablet.getByTestId('till-label').fill('Comptoir');
    await tablet.getByTestId('enable-till-submit').click();
    await tablet.waitForURL(new RegExp(`/c/${company.id}/till$`));
    await tablet.getByTestId('till-pad').waitFor();
    expect(await tablet.getByTestId('till-pad-holders').textContent()).toContain('Koffi');
    await shot(tablet, 'till-pin-pad');
    // Any page of the app now shows the pad until someone types their PIN.
    await tablet.goto(`${env.app.url}/c/${company.id}/sales`);
    await tablet.waitForURL(/\/till\?next=/);

    // Koffi types his PIN: the app is his, his name in the bar.
    await typePin(tablet, '1397');
    await tablet.waitForURL(new RegExp(`/c/${company.id}/sales$`));
    await expect.poll(() => tablet.getByTestId('till-acting').textContent()).toContain('Koffi');
    await shot(tablet, 'till-acting');
    expect(await tablet.getByTestId('till-exit').count()).toBe(0);

    // "Changer d'utilisateur": the manager takes over, and may leave till mode.
    await tablet.getByTestId('till-change-user').click();
    await tablet.getByTestId('till-pad').waitFor();
    await typePin(tablet, '2580');
    await expect.poll(() => tablet.getByTestId('till-acting').textContent()).toContain('manager');
    await tablet.getByTestId('till-exit').waitFor();

    // Wrong PINs: the pad counts down, the fifth locks the till out.
    await tablet.getByTestId('till-change-user').click();
    await tablet.getByTestId('till-pad').waitFor();
    for (let left = 4; left >= 1; left--) {
      await typePin(tablet, '0000');
      await expect.poll(() => tablet.getByTestId('till-pad-error').textContent()).toContain(String(left));
    }
    await typePin(tablet, '0000');
    await tablet.getByTestId('till-locked').waitFor();
    await shot(tablet, 'till-locked');

    // A manager signs in again with their password, on the same tablet.
    await tablet.getByTestId('till-locked-sign-in').click();
    await tablet.waitForURL(/\/login/);
    const login = tablet.getByTestId('login-form');
    await login.locator('input[name="email"]').fill(manager.email);
    await login.locator('input[name="password"]').fill(PASSWORD);
    await tablet.getByTestId('login-submit').click();
    await tablet.waitForURL(/\/c\/[0-9a-f-]{36}$/);
    await tablet.getByTestId('user-menu').click();
    await tablet.getByTestId('enable-till-button').waitFor();
  });
});
