import { Package } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { Card } from '../../components/ui/Card.tsx';
import { PageLoader, Spinner } from '../../components/ui/Spinner.tsx';
import { errorMessage } from '../../lib/api.ts';
import { useProducts } from '../../lib/catalogQueries.ts';
import type { ProductFilters } from '../../lib/types.ts';
import { ProductRow } from './ProductRow.tsx';

type Props = { companyId: string; currency: string; filters: ProductFilters; filtered: boolean };

const th = 'px-4 py-2 font-medium';

/** The products matching the filters, sorted by name, 50 at a time. */
export function ProductsTable({ companyId, currency, filters, filtered }: Props) {
  const { t } = useTranslation();
  const products = useProducts(companyId, filters);

  if (products.isPending) return <PageLoader />;
  if (products.isError) return <Alert>{errorMessage(products.error, t)}</Alert>;
  const items = products.data.pages.flatMap((p) => p.items);

  return (
    <Card data-testid="products-card">
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm" data-testid="products-table" aria-busy={products.isPlaceholderData}>
          <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className={`${th} border-l-4 border-l-transparent`}>
                <span className="inline-flex items-center gap-2">
                  {t('products.columns.name')}
                  {products.isFetching && !products.isFetchingNextPage && <Spinner className="size-3.5" />}
                </span>
              </th>
              <th scope="col" className={`${th} hidden sm:table-cell`}>
                {t('products.columns.sku')}
              </th>
              <th scope="col" className={`${th} hidden md:table-cell`}>
                {t('products.columns.category')}
              </th>
              <th scope="col" className={`${th} text-right`}>
                {t('products.columns.price')}
              </th>
              <th scope="col" className={`${th} hidden text-right sm:table-cell`}>
                {t('products.columns.onHand')}
              </th>
              <th scope="col" className={`${th} hidden text-right sm:table-cell`}>
                {t('products.columns.held')}
              </th>
              <th scope="col" className={`${th} text-right`}>
                {t('products.columns.available')}
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {items.map((p) => (
              <ProductRow key={p.id} product={p} companyId={companyId} currency={currency} />
            ))}
          </tbody>
        </table>
        {items.length === 0 && (
          <div
            className="flex flex-col items-center gap-2 px-5 py-10 text-center text-sm text-slate-500"
            data-testid="products-empty"
          >
            <Package className="size-6 text-slate-300" aria-hidden="true" />
            <p>{filtered ? t('products.emptyFiltered') : t('products.empty')}</p>
          </div>
        )}
      </div>
      {products.hasNextPage && (
        <div className="border-t border-slate-100 px-5 py-3 text-center">
          <Button
            variant="secondary"
            size="sm"
            loading={products.isFetchingNextPage}
            onClick={() => void products.fetchNextPage()}
            data-testid="products-load-more"
          >
            {t('common.loadMore')}
          </Button>
        </div>
      )}
    </Card>
  );
}
