import { expect } from 'vitest';
import type { TestApp } from './app.ts';
import { stockedProduct } from './catalog-helpers.ts';
import type { Client } from './client.ts';
import { createCompany, signUp } from './factories.ts';

export interface Answer<T = any> {
  status: number;
  body: T;
}

/** A fresh shop (owner signed in) and a public client for its storefront over real HTTP. */
export async function storefront(a: TestApp, companyFields: Record<string, unknown> = {}) {
  const { client } = await signUp(a.app, 'Owner');
  const company = await createCompany(client, companyFields);
  const staff = `/api/v1/companies/${company.id}`;
  const base = `${a.url}/api/v1/public/shops/${company.slug}`;
  const call = async <T = any>(method: string, path: string, body?: unknown): Promise<Answer<T>> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const newCart = async () => {
    const res = await call('POST', '/carts');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.token as string;
  };
  const add = (token: string, productId: string, quantity: number) => call('POST', `/carts/${token}/items`, { productId, quantity });
  const view = (token: string) => call('GET', `/carts/${token}`);
  const checkout = (token: string, name = 'Awa') => call('POST', `/carts/${token}/checkout`, { customer: { name, phone: '+225 07 00 00 00' } });
  const good = (quantity: number, fields: Record<string, unknown> = {}) => stockedProduct(client, company.id, quantity, fields);
  const loss = async (productId: string, quantity: number) => {
    const res = await client.post(`${staff}/stock-losses`, { productId, quantity, reason: 'broken' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };
  const staffProduct = async (id: string) => (await client.get(`${staff}/products/${id}`)).body;
  return { client: client as Client, company, staff, call, newCart, add, view, checkout, good, loss, staffProduct };
}

/** The codes of a cart's messages, in order. */
export const codes = (cart: { messages: Array<{ code: string }> }) => cart.messages.map((m) => m.code);
