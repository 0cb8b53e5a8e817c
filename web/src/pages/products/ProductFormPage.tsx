import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { RequireRole } from '../../components/guards.tsx';
import { Alert } from '../../components/ui/Alert.tsx';
import { linkClass } from '../../components/ui/Button.tsx';
import { PageHeader } from '../../components/ui/Card.tsx';
import { PageLoader } from '../../components/ui/Spinner.tsx';
import { errorMessage } from '../../lib/api.ts';
import { useProduct, useProductCategories } from '../../lib/catalogQueries.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { useCompany } from '../../lib/companyQueries.ts';
import { usePageTitle } from '../../lib/hooks.ts';
import { CATALOG_MANAGERS } from '../../nav.ts';
import { ProductForm } from './ProductForm.tsx';

const DEFAULT_TAX_RATE = 1800;

function EditProduct({ productId }: { productId: string }) {
  const { t } = useTranslation();
  const { companyId, membership } = useCompanyContext();
  const product = useProduct(companyId, productId);
  const company = useCompany(companyId);
  const categories = useProductCategories(companyId);
  usePageTitle('products.form.editTitle', { name: product.data?.name ?? '' });
  if (product.isPending || company.isPending) return <PageLoader />;
  if (product.isError) return <Alert>{errorMessage(product.error, t)}</Alert>;
  return (
    <>
      <PageHeader title={t('products.form.editTitle', { name: product.data.name })} />
      <ProductForm
        key={product.data.id}
        companyId={companyId}
        currency={company.data?.currency ?? membership.currency}
        defaultTaxRate={company.data?.settings.defaultTaxRate ?? DEFAULT_TAX_RATE}
        categories={categories.data ?? []}
        product={product.data}
      />
    </>
  );
}

function NewProduct() {
  const { t } = useTranslation();
  const { companyId, membership } = useCompanyContext();
  const company = useCompany(companyId);
  const categories = useProductCategories(companyId);
  usePageTitle('products.form.newTitle');
  // The default rate comes from the settings: wait for them rather than prefill a guess.
  if (company.isPending) return <PageLoader />;
  return (
    <>
      <PageHeader title={t('products.form.newTitle')} description={t('products.form.newSubtitle')} />
      <ProductForm
        companyId={companyId}
        currency={company.data?.currency ?? membership.currency}
        defaultTaxRate={company.data?.settings.defaultTaxRate ?? DEFAULT_TAX_RATE}
        categories={categories.data ?? []}
        product={null}
      />
    </>
  );
}

/** /c/:companyId/products/new and /c/:companyId/products/:productId/edit — owners and managers. */
export function ProductFormPage() {
  const { t } = useTranslation();
  const { companyId } = useCompanyContext();
  const { productId } = useParams();
  return (
    <RequireRole roles={CATALOG_MANAGERS}>
      <Link
        to={productId ? `/c/${companyId}/products/${productId}` : `/c/${companyId}/products`}
        className={`${linkClass} mb-3 inline-block text-sm`}
      >
        ← {productId ? t('products.detail.backToProduct') : t('products.detail.back')}
      </Link>
      {productId ? <EditProduct productId={productId} /> : <NewProduct />}
    </RequireRole>
  );
}
