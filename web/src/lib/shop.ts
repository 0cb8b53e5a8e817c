/**
 * Public online shop (Storefront capability): no account, no session. Calls go
 * through the same JSON client as the staff app (same-origin credentials,
 * Idempotency-Key on every POST, problem+json → ApiError); there is no CSRF
 * cookie for a customer, so none is sent.
 */
import { api } from './api.ts';

export type Shop = { name: string; slug: string; currency: string; holdMinutes: number };

export type ShopProduct = {
  id: string;
  name: string;
  category: string | null;
  price: number;
  kind: 'good' | 'service';
  imageUrl: string | null;
  available: number | null;
  inStock: boolean;
};

export type MessageLevel = 'success' | 'warning' | 'error' | 'info';
export type CartMessage = { level: MessageLevel; code: string; params?: Record<string, unknown> };

export type CartLine = {
  productId: string;
  name: string;
  price: number;
  quantity: number;
  lineTotal: number;
  /** null for services (never short). */
  available: number | null;
};

export type CartStatus = 'open' | 'checking_out' | 'ordered';

export type Cart = {
  token?: string;
  status: CartStatus;
  lines: CartLine[];
  total: number;
  currency: string;
  messages: CartMessage[];
  checkout: null | { orderId: string; holdExpiresAt: string | null; extended: boolean };
};

export type Customer = { name: string; phone?: string; email?: string };

export type ShopOrder = {
  id: string;
  reference: string;
  status: string;
  lines: Array<{ productId: string; name: string; price: number; quantity: number; lineTotal: number }>;
  total: number;
  currency: string;
  customer: Customer;
};

export type CheckoutResult = {
  cart: Cart;
  order: ShopOrder;
  holdExpiresAt: string | null;
  payment: { method: 'pay_at_pickup' | string };
  messages?: CartMessage[];
};

/** A payment taken online for the order (card via Stripe Checkout, mobile money). */
export type OrderPayment = {
  id: string;
  method: string;
  status: 'pending' | 'succeeded' | 'failed' | 'expired' | 'refunded';
  checkoutUrl: string | null;
  amount: number;
};

export type OnlineMethod = 'card' | 'mobile_money';

const base = (slug: string) => `/public/shops/${encodeURIComponent(slug)}`;
const cartPath = (slug: string, token: string) => `${base(slug)}/carts/${encodeURIComponent(token)}`;

export const shopApi = {
  shop: (slug: string) => api.get<{ shop: Shop }>(base(slug)).then((r) => r.shop),
  products: (slug: string, search: string, signal?: AbortSignal) =>
    api.get<{ items: ShopProduct[] }>(`${base(slug)}/products`, { query: { search }, signal }).then((r) => r.items),
  createCart: (slug: string) => api.post<Cart>(`${base(slug)}/carts`, {}),
  cart: (slug: string, token: string) => api.get<Cart>(cartPath(slug, token)),
  addItem: (slug: string, token: string, productId: string, quantity = 1) =>
    api.post<Cart>(`${cartPath(slug, token)}/items`, { productId, quantity }),
  setQuantity: (slug: string, token: string, productId: string, quantity: number) =>
    api.patch<Cart>(`${cartPath(slug, token)}/items/${encodeURIComponent(productId)}`, { quantity }),
  removeItem: (slug: string, token: string, productId: string) =>
    api.delete<Cart>(`${cartPath(slug, token)}/items/${encodeURIComponent(productId)}`),
  checkout: (slug: string, token: string, customer: Customer) =>
    api.post<CheckoutResult>(`${cartPath(slug, token)}/checkout`, { customer }),
  cancelCheckout: (slug: string, token: string) => api.post<Cart>(`${cartPath(slug, token)}/checkout/cancel`, {}),
  extendHold: (slug: string, token: string) => api.post<Cart>(`${cartPath(slug, token)}/checkout/extend`, {}),
  confirmPickup: (slug: string, token: string) =>
    api.post<{ order: ShopOrder }>(`${cartPath(slug, token)}/checkout/confirm`, {}).then((r) => r.order),
  pay: (slug: string, token: string, method: OnlineMethod, phone?: string) =>
    api.post<{ order: ShopOrder; payment: OrderPayment }>(`${cartPath(slug, token)}/checkout/pay`, { method, phone }),
  order: (slug: string, orderId: string, token: string) =>
    api.get<{ order: ShopOrder; payment: OrderPayment | null }>(`${base(slug)}/orders/${encodeURIComponent(orderId)}`, {
      query: { token },
    }),
};

// --- what the phone remembers, per shop ---------------------------------------

const cartKey = (slug: string) => `comptoir.cart.${slug}`;
const orderKey = (slug: string) => `comptoir.order.${slug}`;

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // private mode without storage: the cart lives as long as the page
  }
}

export const loadCartToken = (slug: string) => read(cartKey(slug));
export const saveCartToken = (slug: string, token: string | null) => write(cartKey(slug), token);

/**
 * The order of the running (or just confirmed) checkout: the cart JSON does not carry
 * its reference. `paying`: an online payment (card, mobile money) is awaited.
 */
export type StoredOrder = {
  token: string;
  order: ShopOrder;
  method: string;
  confirmed: boolean;
  paying?: boolean;
  checkoutUrl?: string | null;
};

export function loadOrder(slug: string): StoredOrder | null {
  const raw = read(orderKey(slug));
  if (!raw) return null;
  try {
    return JSON.parse(raw) as StoredOrder;
  } catch {
    return null;
  }
}

export const saveOrder = (slug: string, order: StoredOrder | null) =>
  write(orderKey(slug), order ? JSON.stringify(order) : null);

/** The message objects a 409 on add carries (`params.messages`), if any. */
export function problemMessages(params: Record<string, unknown>): CartMessage[] {
  return Array.isArray(params.messages) ? (params.messages as CartMessage[]) : [];
}

export const cartCount = (cart: Cart | null | undefined) => cart?.lines.reduce((n, l) => n + l.quantity, 0) ?? 0;
