import { moneyInputValue, parseMoneyInput } from '../../lib/money.ts';
import { parsePercentInput, percentInputValue } from '../../lib/percent.ts';
import type { Product, ProductInput, ProductKind, Station } from '../../lib/types.ts';

export type ProductFormState = {
  name: string;
  sku: string;
  category: string;
  price: string;
  taxRate: string;
  kind: ProductKind;
  durationMinutes: string;
  lowStockThreshold: string;
  active: boolean;
  imageUrl: string;
  /** '' = no station. */
  station: Station | '';
};

export function toFormState(p: Product | null, currency: string, defaultTaxRate: number): ProductFormState {
  return {
    name: p?.name ?? '',
    sku: p?.sku ?? '',
    category: p?.category ?? '',
    price: p ? moneyInputValue(p.price, currency) : '',
    taxRate: percentInputValue(p?.taxRate ?? defaultTaxRate),
    kind: p?.kind ?? 'good',
    durationMinutes: p?.durationMinutes == null ? '' : String(p.durationMinutes),
    lowStockThreshold: p ? String(p.lowStockThreshold) : '',
    active: p?.active ?? true,
    imageUrl: p?.imageUrl ?? '',
    station: p?.station ?? '',
  };
}

/** A field the form refuses before sending (the server would too, with a less precise message). */
export class InvalidFieldError extends Error {
  readonly field: 'price' | 'taxRate' | 'durationMinutes' | 'lowStockThreshold';
  readonly messageKey: string;
  constructor(field: InvalidFieldError['field'], messageKey: string) {
    super(field);
    this.field = field;
    this.messageKey = messageKey;
  }
}

/** "" → undefined; a whole number ≥ 0 → that number; anything else is refused. */
function wholeNumber(text: string, field: 'durationMinutes' | 'lowStockThreshold'): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (!/^\d+$/.test(trimmed)) throw new InvalidFieldError(field, 'products.form.invalidInteger');
  return Number(trimmed);
}

/** The full body of a create (empty optional fields left out). Throws InvalidFieldError. */
export function toInput(f: ProductFormState, currency: string): ProductInput {
  const price = parseMoneyInput(f.price, currency);
  if (price === null) throw new InvalidFieldError('price', 'products.form.invalidPrice');
  const taxRate = f.taxRate.trim() === '' ? undefined : parsePercentInput(f.taxRate);
  if (taxRate === null) throw new InvalidFieldError('taxRate', 'products.form.invalidRate');
  const body: ProductInput = { name: f.name.trim(), price, kind: f.kind, active: f.active };
  if (taxRate !== undefined) body.taxRate = taxRate;
  if (f.sku.trim()) body.sku = f.sku.trim();
  if (f.category.trim()) body.category = f.category.trim();
  if (f.imageUrl.trim()) body.imageUrl = f.imageUrl.trim();
  if (f.station) body.station = f.station;
  if (f.kind === 'service') {
    const duration = wholeNumber(f.durationMinutes, 'durationMinutes');
    if (duration !== undefined) body.durationMinutes = duration;
  } else {
    const threshold = wholeNumber(f.lowStockThreshold, 'lowStockThreshold');
    if (threshold !== undefined) body.lowStockThreshold = threshold;
  }
  return body;
}

/** Only what changed; cleared optional texts are sent as null. Throws InvalidFieldError. */
export function toPatch(p: Product, f: ProductFormState, currency: string): Partial<ProductInput> {
  const input = toInput(f, currency);
  const patch: Partial<ProductInput> = {};
  if (input.name !== p.name) patch.name = input.name;
  if (input.price !== p.price) patch.price = input.price;
  if (input.taxRate !== undefined && input.taxRate !== p.taxRate) patch.taxRate = input.taxRate;
  if (input.kind !== p.kind) patch.kind = input.kind;
  if (input.active !== p.active) patch.active = input.active;
  if ((input.station ?? null) !== (p.station ?? null)) patch.station = input.station ?? null;
  for (const key of ['sku', 'category', 'imageUrl'] as const) {
    const value = input[key] ?? null;
    if (value !== p[key]) patch[key] = value;
  }
  const duration = input.kind === 'service' ? (input.durationMinutes ?? null) : null;
  if (duration !== p.durationMinutes) patch.durationMinutes = duration;
  if (input.lowStockThreshold !== undefined && input.lowStockThreshold !== p.lowStockThreshold) {
    patch.lowStockThreshold = input.lowStockThreshold;
  }
  return patch;
}
