import { Plus } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { RequireRole } from '../../components/guards.tsx';
import { buttonClass } from '../../components/ui/Button.tsx';
import { PageHeader } from '../../components/ui/Card.tsx';
import { useProductCategories } from '../../lib/catalogQueries.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { usePageTitle } from '../../lib/hooks.ts';
import { hasRole } from '../../lib/session.ts';
import { CATALOG_MANAGERS, rolesFor } from '../../nav.ts';
import { ProductFilterBar } from './ProductFilterBar.tsx';
import { ProductsTable } from './ProductsTable.tsx';
import { useProductFilters } from './useProductFilters.ts';

/** /c/:companyId/products — the catalog with its stock; owners, managers and cashiers. */
export function ProductsPage() {
  const { t } = useTranslation();
  const { companyId, role, membership } = useCompanyContext();
  const { values, filters, set, clear, active } = useProductFilters();
  const categories = useProductCategories(companyId);
  usePageTitle('products.title');

  return (
    <RequireRole roles={rolesFor('products')}>
      <PageHeader
        title={t('products.title')}
        description={t('products.subtitle')}
        actions={
          hasRole(role, CATALOG_MANAGERS) && (
            <Link
              to={`/c/${companyId}/products/new`}
              className={buttonClass('primary')}
              data-testid="new-product-button"
            >
              <Plus className="size-4" aria-hidden="true" />
              {t('products.new')}
            </Link>
          )
        }
      />
      <div className="space-y-4">
        <ProductFilterBar values={values} categories={categories.data ?? []} set={set} clear={clear} active={active} />
        <ProductsTable companyId={companyId} currency={membership.currency} filters={filters} filtered={active} />
      </div>
    </RequireRole>
  );
}
