import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { toast } from 'sonner';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button, buttonClass } from '../../components/ui/Button.tsx';
import { Card, CardBody } from '../../components/ui/Card.tsx';
import { Field, Select, TextInput } from '../../components/ui/Field.tsx';
import { createProduct, updateProduct } from '../../lib/catalog.ts';
import { useProductChanged } from '../../lib/catalogQueries.ts';
import { formatMoney, parseMoneyInput } from '../../lib/money.ts';
import { formatPercent } from '../../lib/percent.ts';
import { PRODUCT_KINDS, type Product, type ProductInput, type ProductKind, STATIONS, type Station } from '../../lib/types.ts';
import { useFormErrors } from '../../lib/useFormErrors.ts';
import { InvalidFieldError, type ProductFormState, toFormState, toInput, toPatch } from './productForm.ts';

const FIELDS = [
  'name',
  'sku',
  'category',
  'price',
  'taxRate',
  'kind',
  'durationMinutes',
  'lowStockThreshold',
  'active',
  'imageUrl',
  'station',
];
const CODE_FIELDS = { 'product.sku_taken': 'sku' };

type Props = {
  companyId: string;
  currency: string;
  defaultTaxRate: number;
  categories: string[];
  product: Product | null;
};
type TextKey = Exclude<keyof ProductFormState, 'active' | 'kind' | 'station'>;

/** Create (product null) or edit a product. Prices are typed in major units, rates in percent. */
export function ProductForm({ companyId, currency, defaultTaxRate, categories, product }: Props) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const changed = useProductChanged(companyId);
  const listId = useId();
  const detailPath = (id: string) => `/c/${companyId}/products/${id}`;
  const [form, setForm] = useState<ProductFormState>(() => toFormState(product, currency, defaultTaxRate));
  const errors = useFormErrors(FIELDS, CODE_FIELDS);

  const mutation = useMutation({
    mutationFn: (body: ProductInput | Partial<ProductInput>) =>
      product ? updateProduct(companyId, product.id, body) : createProduct(companyId, body as ProductInput),
    onSuccess: (saved) => {
      changed(saved);
      toast.success(t(product ? 'products.form.saved' : 'products.form.created'));
      navigate(detailPath(saved.id));
    },
    onError: errors.capture,
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    errors.reset();
    try {
      const body = product ? toPatch(product, form, currency) : toInput(form, currency);
      if (product && Object.keys(body).length === 0) {
        navigate(detailPath(product.id));
        return;
      }
      mutation.mutate(body);
    } catch (err) {
      if (!(err instanceof InvalidFieldError)) throw err;
      errors.setField(err.field, t(err.messageKey));
    }
  };

  const text = (key: TextKey) => ({
    name: key,
    value: form[key],
    onChange: (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value })),
  });
  const price = parseMoneyInput(form.price, currency);

  return (
    <form onSubmit={submit} noValidate className="space-y-6" data-testid="product-form">
      {errors.formError && <Alert>{errors.formError}</Alert>}
      <Card>
        <CardBody className="grid gap-4 sm:grid-cols-2">
          <Field label={t('products.form.name')} error={errors.field('name')} className="sm:col-span-2">
            {(c) => <TextInput {...c} {...text('name')} autoComplete="off" required />}
          </Field>
          <Field label={t('products.form.sku')} error={errors.field('sku')} optional>
            {(c) => <TextInput {...c} {...text('sku')} autoComplete="off" spellCheck={false} />}
          </Field>
          <Field
            label={t('products.form.category')}
            error={errors.field('category')}
            hint={t('products.form.categoryHint')}
            optional
          >
            {(c) => <TextInput {...c} {...text('category')} list={listId} autoComplete="off" />}
          </Field>
          <datalist id={listId}>
            {categories.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
          <Field
            label={t('products.form.price', { currency })}
            error={errors.field('price')}
            hint={
              price === null
                ? t('products.form.priceHint')
                : t('products.form.pricePreview', { amount: formatMoney(price, currency, i18n.language) })
            }
          >
            {(c) => <TextInput {...c} {...text('price')} inputMode="decimal" autoComplete="off" />}
          </Field>
          <Field
            label={t('products.form.taxRate')}
            error={errors.field('taxRate')}
            hint={t('products.form.taxRateHint', { rate: formatPercent(defaultTaxRate, i18n.language) })}
          >
            {(c) => <TextInput {...c} {...text('taxRate')} inputMode="decimal" autoComplete="off" />}
          </Field>
          <Field label={t('products.form.kind')} error={errors.field('kind')}>
            {(c) => (
              <Select
                {...c}
                name="kind"
                value={form.kind}
                onChange={(e) => setForm((f) => ({ ...f, kind: e.target.value as ProductKind }))}
              >
                {PRODUCT_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`products.kinds.${k}`)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          {form.kind === 'service' ? (
            <Field label={t('products.form.durationMinutes')} error={errors.field('durationMinutes')} optional>
              {(c) => (
                <TextInput {...c} {...text('durationMinutes')} type="number" inputMode="numeric" min={0} step={1} />
              )}
            </Field>
          ) : (
            <Field
              label={t('products.form.lowStockThreshold')}
              error={errors.field('lowStockThreshold')}
              hint={t('products.form.lowStockThresholdHint')}
              optional
            >
              {(c) => (
                <TextInput {...c} {...text('lowStockThreshold')} type="number" inputMode="numeric" min={0} step={1} />
              )}
            </Field>
          )}
          <Field label={t('stations.productField')} error={errors.field('station')} hint={t('stations.productFieldHint')}>
            {(c) => (
              <Select
                {...c}
                name="station"
                data-testid="product-station"
                value={form.station}
                onChange={(e) => setForm((f) => ({ ...f, station: e.target.value as Station | '' }))}
              >
                <option value="">{t('stations.none')}</option>
                {STATIONS.map((s) => (
                  <option key={s} value={s}>
                    {t(`stations.names.${s}`)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field
            label={t('products.form.imageUrl')}
            error={errors.field('imageUrl')}
            className="sm:col-span-2"
            optional
          >
            {(c) => (
              <TextInput
                {...c}
                {...text('imageUrl')}
                type="url"
                inputMode="url"
                autoComplete="off"
                spellCheck={false}
              />
            )}
          </Field>
          <label className="flex items-start gap-3 rounded-lg border border-slate-200 px-3 py-3 sm:col-span-2">
            <input
              type="checkbox"
              name="active"
              checked={form.active}
              onChange={(e) => setForm((f) => ({ ...f, active: e.target.checked }))}
              className="mt-0.5 size-4 rounded border-slate-300 accent-teal-600"
            />
            <span className="text-sm text-slate-700">
              {t('products.form.active')}
              <span className="block text-xs text-slate-500">{t('products.form.activeHint')}</span>
            </span>
          </label>
          {errors.field('active') && <p className="text-xs font-medium text-red-600">{errors.field('active')}</p>}
        </CardBody>
      </Card>
      <div className="flex justify-end gap-2">
        <Link to={product ? detailPath(product.id) : `/c/${companyId}/products`} className={buttonClass('secondary')}>
          {t('common.cancel')}
        </Link>
        <Button type="submit" loading={mutation.isPending} data-testid="product-submit">
          {product ? t('common.save') : t('products.form.create')}
        </Button>
      </div>
    </form>
  );
}
