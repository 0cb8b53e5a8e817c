import { PackageMinus, PackagePlus, SlidersHorizontal } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/Button.tsx';
import { Card, CardBody, CardHeader } from '../../components/ui/Card.tsx';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { hasRole } from '../../lib/session.ts';
import type { Product } from '../../lib/types.ts';
import { LOSS_REPORTERS, STOCK_MANAGERS } from '../../nav.ts';
import { LossDialog } from './LossDialog.tsx';
import { AdjustDialog, RestockDialog } from './StockDialogs.tsx';
import { StockSummary } from './StockSummary.tsx';

type Open = 'restock' | 'adjust' | 'loss' | null;

/** Stock figures and the actions the role allows: restock and adjust (managers), report a loss (and cashiers). */
export function StockPanel({ product }: { product: Product }) {
  const { t } = useTranslation();
  const { companyId, role } = useCompanyContext();
  const [open, setOpen] = useState<Open>(null);
  const close = () => setOpen(null);
  const canManage = hasRole(role, STOCK_MANAGERS);
  const canLose = hasRole(role, LOSS_REPORTERS);

  const actions = (
    <>
      {canManage && (
        <Button
          size="sm"
          icon={<PackagePlus className="size-4" aria-hidden="true" />}
          onClick={() => setOpen('restock')}
          data-testid="restock-button"
        >
          {t('products.restock.action')}
        </Button>
      )}
      {canManage && (
        <Button
          size="sm"
          variant="secondary"
          icon={<SlidersHorizontal className="size-4" aria-hidden="true" />}
          onClick={() => setOpen('adjust')}
          data-testid="adjust-button"
        >
          {t('products.adjust.action')}
        </Button>
      )}
      {canLose && (
        <Button
          size="sm"
          variant="secondary"
          icon={<PackageMinus className="size-4" aria-hidden="true" />}
          onClick={() => setOpen('loss')}
          data-testid="loss-button"
        >
          {t('products.loss.action')}
        </Button>
      )}
    </>
  );

  return (
    <Card data-testid="stock-panel">
      <CardHeader title={t('products.stock.title')} actions={canManage || canLose ? actions : undefined} />
      <CardBody>
        <StockSummary product={product} />
      </CardBody>
      {canManage && <RestockDialog companyId={companyId} product={product} open={open === 'restock'} onClose={close} />}
      {canManage && <AdjustDialog companyId={companyId} product={product} open={open === 'adjust'} onClose={close} />}
      {canLose && <LossDialog companyId={companyId} product={product} open={open === 'loss'} onClose={close} />}
    </Card>
  );
}
