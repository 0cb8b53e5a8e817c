import { Trash2 } from 'lucide-react';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/Button.tsx';
import { inputClass } from '../../components/ui/Field.tsx';
import { formatMoney } from '../../lib/money.ts';
import type { CartLine } from '../../lib/shop.ts';
import { useShop } from './useShopState.ts';

/** One cart line: name, unit price, quantity input + "Mettre à jour", remove, line total. */
export function CartLineRow({ line, currency, locked }: { line: CartLine; currency: string; locked: boolean }) {
  const { t, i18n } = useTranslation();
  const { setQuantity, remove, busy } = useShop();
  const id = useId();
  const [text, setText] = useState(String(line.quantity));
  const [invalid, setInvalid] = useState(false);

  // The server may adjust the quantity (stock limited): show what it kept.
  useEffect(() => {
    setText(String(line.quantity));
    setInvalid(false);
  }, [line.quantity]);

  const money = (n: number) => formatMoney(n, currency, i18n.language);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const qty = Number(text);
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(qty)) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    void setQuantity(line.productId, qty);
  };

  return (
    <li className="space-y-2 p-4" data-testid="cart-line" data-product-id={line.productId}>
      <div className="flex items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="font-medium text-slate-900" data-testid="cart-line-name">
            {line.name}
          </p>
          <p className="text-xs text-slate-500">{t('shop.unitPrice', { price: money(line.price) })}</p>
        </div>
        <p className="shrink-0 font-semibold tabular-nums" data-testid="cart-line-total">
          {money(line.lineTotal)}
        </p>
      </div>
      <form onSubmit={submit} className="flex flex-wrap items-center gap-2">
        <label htmlFor={id} className="sr-only">
          {t('shop.quantity')}
        </label>
        <input
          id={id}
          type="number"
          inputMode="numeric"
          min={0}
          step={1}
          value={text}
          onChange={(e) => setText(e.target.value)}
          disabled={locked}
          aria-invalid={invalid || undefined}
          className={`${inputClass} h-8 w-20 text-center tabular-nums`}
          data-testid="cart-quantity"
        />
        <Button
          type="submit"
          size="sm"
          variant="secondary"
          disabled={locked}
          loading={busy === `update:${line.productId}`}
          data-testid="cart-update"
        >
          {t('shop.update')}
        </Button>
        <Button
          size="sm"
          variant="danger-ghost"
          className="ml-auto"
          disabled={locked}
          loading={busy === `remove:${line.productId}`}
          icon={<Trash2 className="size-4" aria-hidden="true" />}
          onClick={() => void remove(line.productId)}
          data-testid="cart-remove"
        >
          {t('shop.remove')}
        </Button>
      </form>
      {invalid && (
        <p className="text-xs font-medium text-red-600" role="alert">
          {t('shop.invalidQuantity')}
        </p>
      )}
    </li>
  );
}
