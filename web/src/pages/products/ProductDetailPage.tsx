import { useMutation } from '@tanstack/react-query';
import { Archive, ArchiveRestore, Pencil } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { toast } from 'sonner';
import { RequireRole } from '../../components/guards.tsx';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button, buttonClass, linkClass } from '../../components/ui/Button.tsx';
import { Card, CardBody, PageHeader } from '../../components/ui/Card.tsx';
import { ConfirmDialog } from '../../components/ui/ConfirmDialog.tsx';
import { PageLoader } from '../../components/ui/Spinner.tsx';
import { errorMessage } from '../../lib/api.ts';
import { archiveProduct, unarchiveProduct } from '../../lib/catalog.ts';
import { useProduct, useProductChanged } from '../../lib/catalogQueries.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { useCompany } from '../../lib/companyQueries.ts';
import { usePageTitle } from '../../lib/hooks.ts';
import { hasRole } from '../../lib/session.ts';
import type { Product } from '../../lib/types.ts';
import { CATALOG_MANAGERS, rolesFor } from '../../nav.ts';
import { LowStockBadge, MutedBadge } from './LowStockBadge.tsx';
import { MovementsTable } from './MovementsTable.tsx';
import { ProductInfo } from './ProductInfo.tsx';
import { StockPanel } from './StockPanel.tsx';

/** Edit, archive and unarchive (owners and managers). */
function CatalogActions({ product }: { product: Product }) {
  const { t } = useTranslation();
  const { companyId } = useCompanyContext();
  const changed = useProductChanged(companyId);
  const [confirming, setConfirming] = useState(false);
  const archived = product.archivedAt !== null;
  const toggle = useMutation({
    mutationFn: () => (archived ? unarchiveProduct : archiveProduct)(companyId, product.id),
    onSuccess: (updated) => {
      changed(updated);
      toast.success(t(archived ? 'products.detail.unarchived' : 'products.detail.archived'));
      setConfirming(false);
    },
    onError: (err) => {
      toast.error(errorMessage(err, t));
      setConfirming(false);
    },
  });
  return (
    <>
      <Link
        to={`/c/${companyId}/products/${product.id}/edit`}
        className={buttonClass('secondary')}
        data-testid="edit-product-button"
      >
        <Pencil className="size-4" aria-hidden="true" />
        {t('products.detail.edit')}
      </Link>
      <Button
        variant={archived ? 'secondary' : 'danger-ghost'}
        icon={
          archived ? (
            <ArchiveRestore className="size-4" aria-hidden="true" />
          ) : (
            <Archive className="size-4" aria-hidden="true" />
          )
        }
        onClick={() => setConfirming(true)}
        data-testid={archived ? 'unarchive-product-button' : 'archive-product-button'}
      >
        {archived ? t('products.detail.unarchive') : t('products.detail.archive')}
      </Button>
      <ConfirmDialog
        open={confirming}
        title={archived ? t('products.detail.unarchiveTitle') : t('products.detail.archiveTitle')}
        body={t(archived ? 'products.detail.unarchiveBody' : 'products.detail.archiveBody', { name: product.name })}
        confirmLabel={archived ? t('products.detail.unarchive') : t('products.detail.archive')}
        busy={toggle.isPending}
        onConfirm={() => toggle.mutate()}
        onClose={() => setConfirming(false)}
      />
    </>
  );
}

function ProductDetail({ productId }: { productId: string }) {
  const { t } = useTranslation();
  const { companyId, role, membership } = useCompanyContext();
  const product = useProduct(companyId, productId);
  const company = useCompany(companyId);
  usePageTitle('products.detail.pageTitle', { name: product.data?.name ?? '' });

  if (product.isPending) return <PageLoader />;
  if (product.isError) return <Alert>{errorMessage(product.error, t)}</Alert>;
  const p = product.data;
  const timeZone = company.data?.timezone;

  return (
    <div data-testid="product-detail" data-product-id={p.id} data-low-stock={p.lowStock ? 'true' : 'false'}>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-2">
            {p.name}
            {p.lowStock && <LowStockBadge />}
            {!p.active && <MutedBadge>{t('products.inactive')}</MutedBadge>}
            {p.archivedAt && <MutedBadge testId="archived-badge">{t('products.archived')}</MutedBadge>}
          </span>
        }
        description={[p.sku, p.category].filter(Boolean).join(' · ') || undefined}
        actions={hasRole(role, CATALOG_MANAGERS) ? <CatalogActions product={p} /> : undefined}
      />
      <div className="space-y-6">
        <ProductInfo product={p} currency={company.data?.currency ?? membership.currency} timeZone={timeZone} />
        {p.kind === 'good' ? (
          <>
            <StockPanel product={p} />
            <MovementsTable companyId={companyId} productId={p.id} timeZone={timeZone} />
          </>
        ) : (
          <Card>
            <CardBody>
              <p className="text-sm text-slate-500">{t('products.detail.serviceNoStock')}</p>
            </CardBody>
          </Card>
        )}
      </div>
    </div>
  );
}

/** /c/:companyId/products/:productId — catalog fields, stock, actions and movement history. */
export function ProductDetailPage() {
  const { t } = useTranslation();
  const { companyId } = useCompanyContext();
  const { productId = '' } = useParams();
  return (
    <RequireRole roles={rolesFor('products')}>
      <Link to={`/c/${companyId}/products`} className={`${linkClass} mb-3 inline-block text-sm`}>
        ← {t('products.detail.back')}
      </Link>
      <ProductDetail key={productId} productId={productId} />
    </RequireRole>
  );
}
