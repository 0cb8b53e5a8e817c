import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, isApiError } from '../../lib/api.ts';
import {
  type Cart,
  type CartMessage,
  type Customer,
  loadCartToken,
  type OnlineMethod,
  type OrderPayment,
  loadOrder,
  problemMessages,
  type Shop,
  type ShopOrder,
  type StoredOrder,
  saveCartToken,
  saveOrder,
  shopApi,
} from '../../lib/shop.ts';

export const shopKeys = {
  shop: (slug: string) => ['shop', slug] as const,
  products: (slug: string) => ['shop', slug, 'products'] as const,
  cart: (slug: string, token: string | null) => ['shop', slug, 'cart', token] as const,
};

/** What is running: `add:<id>`, `update:<id>`, `remove:<id>`, `checkout`, `cancel`, `extend`, `confirm`, `pay:<method>`. */
type Busy = string | null;

/**
 * The customer's shop session: the shop, the cart (token kept in localStorage per
 * shop, created on the first add, forgotten when the server no longer knows it),
 * the notices of the last answer (the server's `messages`) and the actions.
 */
export function useShopState(slug: string) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [token, setTokenState] = useState<string | null>(() => loadCartToken(slug));
  const tokenRef = useRef(token);
  const [notices, setNotices] = useState<CartMessage[]>([]);
  const [order, setOrderState] = useState<StoredOrder | null>(() => loadOrder(slug));
  const [busy, setBusy] = useState<Busy>(null);
  /** Online methods the server refused (409 pay.method_unavailable): only pay at pickup is left for them. */
  const [unavailable, setUnavailable] = useState<OnlineMethod[]>([]);
  const creating = useRef<Promise<string> | null>(null);

  const setToken = useCallback(
    (next: string | null) => {
      tokenRef.current = next;
      saveCartToken(slug, next);
      setTokenState(next);
    },
    [slug],
  );

  const setOrder = useCallback(
    (next: StoredOrder | null) => {
      saveOrder(slug, next);
      setOrderState(next);
    },
    [slug],
  );

  const shop = useQuery({ queryKey: shopKeys.shop(slug), queryFn: () => shopApi.shop(slug), staleTime: 5 * 60_000 });

  const cart = useQuery({
    queryKey: shopKeys.cart(slug, token),
    enabled: token !== null,
    staleTime: 15_000,
    queryFn: async (): Promise<Cart | null> => {
      const current = tokenRef.current;
      if (!current) return null;
      try {
        const fresh = await shopApi.cart(slug, current);
        // A re-validation may have adjusted the cart: its messages replace the old notices.
        if (fresh.messages.length) setNotices(fresh.messages);
        return fresh;
      } catch (err) {
        if (isApiError(err, 'cart.not_found')) {
          setToken(null);
          return null;
        }
        throw err;
      }
    },
  });

  /** Shows an answer: the cart in the cache, its messages as the notices. */
  const apply = useCallback(
    (next: Cart, extra: CartMessage[] = []) => {
      qc.setQueryData(shopKeys.cart(slug, tokenRef.current), next);
      setNotices([...next.messages, ...extra]);
    },
    [qc, slug],
  );

  const forgetCart = useCallback(() => {
    qc.removeQueries({ queryKey: ['shop', slug, 'cart'] });
    setToken(null);
  }, [qc, slug, setToken]);

  const ensureToken = useCallback(async (): Promise<string> => {
    if (tokenRef.current) return tokenRef.current;
    creating.current ??= shopApi
      .createCart(slug)
      .then((created) => {
        if (!created.token) throw new Error('cart without token');
        setToken(created.token);
        qc.setQueryData(shopKeys.cart(slug, created.token), { ...created, messages: [] });
        return created.token;
      })
      .finally(() => {
        creating.current = null;
      });
    return creating.current;
  }, [qc, slug, setToken]);

  /** A refusal: its messages when it carries some (409 on add), otherwise a translated red notice. */
  const fail = useCallback(
    (err: unknown) => {
      if (isApiError(err)) {
        const messages = problemMessages(err.params);
        if (messages.length) {
          setNotices(messages);
          void qc.invalidateQueries({ queryKey: shopKeys.products(slug) });
          return;
        }
        if (err.code === 'cart.not_found') forgetCart();
        if (err.code === 'cart.checking_out' || err.code === 'cart.not_checking_out') {
          void qc.invalidateQueries({ queryKey: ['shop', slug, 'cart'] });
        }
      }
      // The shop shows its own notices (no toast library in the public bundle).
      setNotices([{ level: 'error', code: 'error', params: { text: errorMessage(err, t) } }]);
    },
    [qc, slug, t, forgetCart],
  );

  const run = useCallback(
    async (key: string, action: () => Promise<void>) => {
      setBusy(key);
      try {
        await action();
      } catch (err) {
        fail(err);
      } finally {
        setBusy(null);
      }
    },
    [fail],
  );

  const add = useCallback(
    (productId: string) =>
      run(`add:${productId}`, async () => {
        let current = await ensureToken();
        let next: Cart;
        try {
          next = await shopApi.addItem(slug, current, productId);
        } catch (err) {
          if (!isApiError(err, 'cart.not_found')) throw err;
          forgetCart(); // the server forgot the cart (purged): start a new one
          current = await ensureToken();
          next = await shopApi.addItem(slug, current, productId);
        }
        apply(next);
      }),
    [run, ensureToken, slug, forgetCart, apply],
  );

  const withToken = useCallback(
    (key: string, action: (token: string) => Promise<void>) =>
      run(key, async () => {
        const current = tokenRef.current;
        if (current) await action(current);
      }),
    [run],
  );

  const setQuantity = useCallback(
    (productId: string, quantity: number) =>
      withToken(`update:${productId}`, async (tk) => apply(await shopApi.setQuantity(slug, tk, productId, quantity))),
    [withToken, slug, apply],
  );

  const remove = useCallback(
    (productId: string) =>
      withToken(`remove:${productId}`, async (tk) => apply(await shopApi.removeItem(slug, tk, productId))),
    [withToken, slug, apply],
  );

  /** Resolves true when the order is created (holds placed); a 409 `cart.review` shows the adjusted cart. */
  const checkout = useCallback(
    async (customer: Customer): Promise<boolean> => {
      let placed = false;
      await withToken('checkout', async (tk) => {
        try {
          const res = await shopApi.checkout(slug, tk, customer);
          const held: Cart = res.cart.checkout
            ? res.cart
            : {
                ...res.cart,
                status: 'checking_out',
                checkout: { orderId: res.order.id, holdExpiresAt: res.holdExpiresAt, extended: false },
              };
          apply(held, res.messages ?? []);
          setOrder({ token: tk, order: res.order, method: res.payment?.method ?? 'pay_at_pickup', confirmed: false });
          placed = true;
        } catch (err) {
          const reviewed = isApiError(err, 'cart.review') ? (err.params.cart as Cart | undefined) : undefined;
          if (!reviewed) throw err;
          apply(reviewed);
          void qc.invalidateQueries({ queryKey: shopKeys.products(slug) });
        }
      });
      return placed;
    },
    [withToken, slug, apply, setOrder, qc],
  );

  const cancel = useCallback(
    () =>
      withToken('cancel', async (tk) => {
        apply(await shopApi.cancelCheckout(slug, tk));
        setOrder(null);
        void qc.invalidateQueries({ queryKey: shopKeys.products(slug) });
      }),
    [withToken, slug, apply, setOrder, qc],
  );

  const extend = useCallback(
    () =>
      withToken('extend', async (tk) => {
        try {
          apply(await shopApi.extendHold(slug, tk));
          setNotices([{ level: 'success', code: 'extended', params: {} }]);
        } catch (err) {
          if (isApiError(err, 'cart.already_extended')) void cart.refetch();
          throw err;
        }
      }),
    [withToken, slug, apply, cart],
  );

  /** Pay at pickup: the server keeps the stock held until pickup; the phone starts a fresh cart. */
  const confirm = useCallback(
    () =>
      withToken('confirm', async (tk) => {
        if (!order) return;
        const confirmed = await shopApi.confirmPickup(slug, tk);
        setOrder({ ...order, order: confirmed, method: 'pay_at_pickup', confirmed: true, paying: false });
        setNotices([]);
        forgetCart();
      }),
    [withToken, slug, order, setOrder, forgetCart],
  );

  /** Pay online now: card leaves for Stripe Checkout; mobile money waits for the customer's approval. */
  const pay = useCallback(
    (method: OnlineMethod, phone?: string) =>
      withToken(`pay:${method}`, async (tk) => {
        if (!order) return;
        try {
          const res = await shopApi.pay(slug, tk, method, phone);
          const url = res.payment.checkoutUrl;
          setOrder({ ...order, order: res.order, method, paying: true, checkoutUrl: url });
          setNotices([]);
          if (method === 'card' && url) window.location.assign(url);
        } catch (err) {
          if (isApiError(err, 'pay.method_unavailable')) setUnavailable((u) => [...u, method]);
          throw err;
        }
      }),
    [withToken, slug, order, setOrder],
  );

  /** The awaited payment ended: paid (a fresh cart for the next order), or back to choosing. */
  const settle = useCallback(
    (paid: ShopOrder, payment: OrderPayment) => {
      if (!order) return;
      if (payment.status === 'succeeded') {
        setOrder({ ...order, order: paid, confirmed: true, paying: false });
        forgetCart();
      } else {
        setOrder({ ...order, paying: false });
        setNotices([{ level: 'error', code: 'payment_failed' }]);
        void cart.refetch();
      }
    },
    [order, setOrder, forgetCart, cart],
  );

  /** Back from Stripe Checkout (`?order=…&checkout=success|cancel`). */
  const cardReturned = useCallback(
    (orderId: string, success: boolean) => {
      if (!order || order.order.id !== orderId || order.confirmed) return;
      setOrder({ ...order, method: 'card', paying: success, checkoutUrl: null });
      if (!success) setNotices([{ level: 'info', code: 'card_cancelled' }]);
    },
    [order, setOrder],
  );

  /** Stop waiting for the online payment and choose again. */
  const stopPaying = useCallback(() => order && setOrder({ ...order, paying: false }), [order, setOrder]);

  const newOrder = useCallback(() => setOrder(null), [setOrder]);

  // Another tab of the same shop changed the cart token.
  useEffect(() => {
    const onStorage = (e: StorageEvent) => {
      if (e.key === `comptoir.cart.${slug}`) {
        tokenRef.current = e.newValue;
        setTokenState(e.newValue);
      }
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [slug]);

  return useMemo(
    () => ({
      slug,
      shop: shop.data as Shop | undefined,
      shopQuery: shop,
      cart: token ? (cart.data ?? null) : null,
      cartQuery: cart,
      notices,
      clearNotices: () => setNotices([]),
      order,
      busy,
      add,
      setQuantity,
      remove,
      checkout,
      cancel,
      extend,
      confirm,
      pay,
      settle,
      cardReturned,
      stopPaying,
      unavailable,
      newOrder,
      reload: () => cart.refetch(),
    }),
    [
      slug,
      shop,
      token,
      cart,
      notices,
      order,
      busy,
      add,
      setQuantity,
      remove,
      checkout,
      cancel,
      extend,
      confirm,
      pay,
      settle,
      cardReturned,
      stopPaying,
      unavailable,
      newOrder,
    ],
  );
}

export type ShopState = ReturnType<typeof useShopState>;

export const ShopContext = createContext<ShopState | null>(null);

export function useShop(): ShopState {
  const value = useContext(ShopContext);
  if (!value) throw new Error('useShop outside the shop layout');
  return value;
}

export const shopPath = (slug: string, sub = '') => `/shop/${encodeURIComponent(slug)}${sub ? `/${sub}` : ''}`;
