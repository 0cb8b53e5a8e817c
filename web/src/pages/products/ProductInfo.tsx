import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Card, CardBody } from '../../components/ui/Card.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { formatMoney } from '../../lib/money.ts';
import { formatPercent } from '../../lib/percent.ts';
import type { Product } from '../../lib/types.ts';

function Item({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-sm text-slate-900" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

/** Price, TVA, kind and the other catalog fields of one product. */
export function ProductInfo({
  product: p,
  currency,
  timeZone,
}: {
  product: Product;
  currency: string;
  timeZone?: string;
}) {
  const { t, i18n } = useTranslation();
  return (
    <Card data-testid="product-info">
      <CardBody className="flex flex-col gap-4 sm:flex-row">
        {p.imageUrl && (
          <img
            src={p.imageUrl}
            alt=""
            className="size-24 shrink-0 rounded-lg border border-slate-200 object-cover"
            referrerPolicy="no-referrer"
          />
        )}
        <dl className="grid flex-1 grid-cols-2 gap-4 lg:grid-cols-4">
          <Item label={t('products.detail.price')} testId="product-detail-price">
            {formatMoney(p.price, currency, i18n.language)}
          </Item>
          <Item label={t('products.detail.taxRate')}>{formatPercent(p.taxRate, i18n.language)}</Item>
          <Item label={t('products.detail.kind')}>{t(`products.kinds.${p.kind}`)}</Item>
          {p.kind === 'service' ? (
            <Item label={t('products.detail.duration')}>
              {p.durationMinutes === null ? '—' : t('products.detail.durationValue', { count: p.durationMinutes })}
            </Item>
          ) : (
            <Item label={t('products.detail.threshold')}>{p.lowStockThreshold}</Item>
          )}
          <Item label={t('products.detail.sku')}>{p.sku ?? '—'}</Item>
          <Item label={t('products.detail.category')}>{p.category ?? '—'}</Item>
          <Item label={t('stations.productField')} testId="product-detail-station">
            {p.station ? t(`stations.names.${p.station}`) : t('stations.none')}
          </Item>
          <Item label={t('products.detail.status')}>
            {p.archivedAt
              ? t('products.detail.archivedOn', { date: formatDateTime(p.archivedAt, i18n.language, timeZone) })
              : p.active
                ? t('products.active')
                : t('products.inactive')}
          </Item>
          <Item label={t('products.detail.updatedAt')}>{formatDateTime(p.updatedAt, i18n.language, timeZone)}</Item>
        </dl>
      </CardBody>
    </Card>
  );
}
