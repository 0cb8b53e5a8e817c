import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { Card, CardHeader } from '../../components/ui/Card.tsx';
import { PageLoader } from '../../components/ui/Spinner.tsx';
import { errorMessage } from '../../lib/api.ts';
import { useStockMovements } from '../../lib/catalogQueries.ts';
import { formatDateTime } from '../../lib/format.ts';
import { LOSS_REASONS, type StockMovement } from '../../lib/types.ts';

const KIND_TONES: Record<string, string> = {
  restock: 'bg-emerald-50 text-emerald-800',
  sale: 'bg-sky-50 text-sky-800',
  refund_return: 'bg-violet-50 text-violet-800',
  loss: 'bg-red-50 text-red-700',
  adjustment: 'bg-slate-100 text-slate-700',
};
const th = 'px-4 py-2 font-medium';

function MovementRow({ m, timeZone }: { m: StockMovement; timeZone?: string }) {
  const { t, i18n } = useTranslation();
  const reason =
    m.kind === 'loss' && m.reason && (LOSS_REASONS as readonly string[]).includes(m.reason)
      ? t(`products.lossReasons.${m.reason}`)
      : m.reason;
  const who = m.actor.name ?? t(`products.actors.${m.actor.type}`, { defaultValue: m.actor.type });
  return (
    <tr data-testid="movement-row" data-kind={m.kind} data-movement-id={m.id} className="align-top">
      <td className="px-4 py-3">
        <span
          className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${KIND_TONES[m.kind] ?? KIND_TONES.adjustment}`}
        >
          {t(`products.movementKinds.${m.kind}`, { defaultValue: m.kind })}
        </span>
      </td>
      <td
        className={`px-4 py-3 text-right font-semibold tabular-nums ${m.quantity < 0 ? 'text-red-700' : 'text-emerald-700'}`}
        data-testid="movement-quantity"
      >
        {m.quantity > 0 ? `+${m.quantity}` : `${m.quantity}`}
      </td>
      <td className="px-4 py-3 text-right tabular-nums text-slate-700" data-testid="movement-on-hand-after">
        {m.onHandAfter}
      </td>
      <td className="px-4 py-3 text-slate-700">
        {reason && <div>{reason}</div>}
        {m.note && <div className="text-xs text-slate-500">{m.note}</div>}
      </td>
      <td className="hidden px-4 py-3 text-slate-600 md:table-cell">{who}</td>
      <td className="px-4 py-3 whitespace-nowrap text-slate-500">
        <time dateTime={m.createdAt}>{formatDateTime(m.createdAt, i18n.language, timeZone)}</time>
      </td>
    </tr>
  );
}

/** The product's stock movements, newest first. */
export function MovementsTable({
  companyId,
  productId,
  timeZone,
}: {
  companyId: string;
  productId: string;
  timeZone?: string;
}) {
  const { t } = useTranslation();
  const movements = useStockMovements(companyId, productId);
  const items = movements.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Card data-testid="movements-card">
      <CardHeader title={t('products.movements.title')} />
      {movements.isPending ? (
        <PageLoader />
      ) : movements.isError ? (
        <div className="p-5">
          <Alert>{errorMessage(movements.error, t)}</Alert>
        </div>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="movements-table">
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className={th}>
                  {t('products.movements.kind')}
                </th>
                <th scope="col" className={`${th} text-right`}>
                  {t('products.movements.quantity')}
                </th>
                <th scope="col" className={`${th} text-right`}>
                  {t('products.movements.onHandAfter')}
                </th>
                <th scope="col" className={th}>
                  {t('products.movements.reason')}
                </th>
                <th scope="col" className={`${th} hidden md:table-cell`}>
                  {t('products.movements.who')}
                </th>
                <th scope="col" className={th}>
                  {t('products.movements.when')}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {items.map((m) => (
                <MovementRow key={m.id} m={m} timeZone={timeZone} />
              ))}
            </tbody>
          </table>
          {items.length === 0 && (
            <p className="px-5 py-8 text-center text-sm text-slate-500" data-testid="movements-empty">
              {t('products.movements.empty')}
            </p>
          )}
        </div>
      )}
      {movements.hasNextPage && (
        <div className="border-t border-slate-100 px-5 py-3 text-center">
          <Button
            variant="secondary"
            size="sm"
            loading={movements.isFetchingNextPage}
            onClick={() => void movements.fetchNextPage()}
            data-testid="movements-load-more"
          >
            {t('common.loadMore')}
          </Button>
        </div>
      )}
    </Card>
  );
}
