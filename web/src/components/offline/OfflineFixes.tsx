import { Pencil, RotateCcw, Trash2 } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { toast } from 'sonner';
import { ApiError } from '../../lib/api.ts';
import { useOpenCashSessions } from '../../lib/cashQueries.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { useFloor } from '../../lib/floorQueries.ts';
import { formatMoney, moneyInputValue, parseMoneyInput } from '../../lib/money.ts';
import { resolveSaleId } from '../../lib/offline/project.ts';
import { chainOf, discardOp, editOp, type QueueState, retryOp, syncQueue } from '../../lib/offline/queue.ts';
import { isLocalId, type LineSnapshot, type OpenSaleOp, type QueuedOp, type TransferOp } from '../../lib/offline/types.ts';
import { saleErrorText } from '../../pages/sales/saleUi.tsx';
import { Button, linkClass } from '../ui/Button.tsx';
import { ConfirmDialog } from '../ui/ConfirmDialog.tsx';
import { Field, Select, TextInput } from '../ui/Field.tsx';

/** The reference a queued operation's sale is known by here ("L-3" until the server numbers it). */
export function saleRefOf(op: QueuedOp, s: Pick<QueueState, 'ops' | 'ids'>): string {
  const open = s.ops.find((o): o is OpenSaleOp => o.kind === 'open_sale' && o.saleId === op.saleId);
  if (open) return open.reference;
  if (isLocalId(op.saleId)) return s.ids[op.saleId]?.reference ?? '…';
  return (op.kind !== 'open_sale' && op.base?.reference) || op.saleId.slice(0, 8);
}

/** One line of text for a queued operation. */
export function useOpLabel(s: Pick<QueueState, 'ops' | 'ids'>) {
  const { t, i18n } = useTranslation();
  const { memberships } = useCompanyContext();
  return (op: QueuedOp): string => {
    const reference = saleRefOf(op, s);
    if (op.kind === 'open_sale') {
      return op.tableLabel
        ? t('offline.op.open_sale_table', { reference, table: op.tableLabel })
        : t('offline.op.open_sale', { reference });
    }
    if (op.kind === 'add_items') {
      const line = op.lines[0];
      return t('offline.op.add_items', { reference, quantity: line?.quantity ?? op.body.quantity, name: line?.name ?? '' });
    }
    if (op.kind === 'transfer') return t('offline.op.transfer', { reference, table: op.tableLabel ?? '…' });
    if (op.kind === 'cancel') return t('offline.op.cancel', { reference });
    const currency = memberships.find((m) => m.companyId === op.companyId)?.currency ?? 'XOF';
    return t('offline.op.payment', {
      reference,
      method: t(`sales.methods.${op.body.method}`),
      amount: formatMoney(op.body.amount, currency, i18n.language),
    });
  };
}

type Props = { state: QueueState; failed: QueuedOp[]; userId: string };

/**
 * "À corriger": the operations the server refused on replay, each with the server's
 * message and what can be done — edit and retry, retry as is, or discard after a
 * confirmation. Later operations of the same sale wait behind them.
 */
export function OfflineFixes({ state, failed, userId }: Props) {
  const { t } = useTranslation();
  return (
    <section className="space-y-2" aria-labelledby="offline-fixes-title" data-testid="offline-fixes">
      <h2 id="offline-fixes-title" className="text-sm font-semibold text-red-800">
        {t('offline.toFix')} ({failed.length})
      </h2>
      <p className="text-xs text-slate-600">{t('offline.toFixHint')}</p>
      <ul className="space-y-2">
        {failed.map((op) => (
          <FixItem key={op.seq} op={op} state={state} userId={userId} />
        ))}
      </ul>
    </section>
  );
}

function FixItem({ op, state, userId }: { op: QueuedOp; state: QueueState; userId: string }) {
  const { t, i18n } = useTranslation();
  const { companyId, memberships } = useCompanyContext();
  const label = useOpLabel(state);
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const currency = memberships.find((m) => m.companyId === op.companyId)?.currency ?? 'XOF';
  const error = op.error ? new ApiError({ status: op.error.status, code: op.error.code, params: op.error.params, errors: op.error.errors }) : null;
  const existing = op.error?.code === 'sale.table_occupied' && typeof op.error.params.saleId === 'string' ? op.error.params : null;
  const chain = op.kind === 'open_sale' ? state.ops.filter((o) => chainOf(o, state.ids) === chainOf(op, state.ids)) : [op];
  const here = op.companyId === companyId;
  const saleLink = `/c/${op.companyId}/sales/${resolveSaleId(op.saleId, state.ids)}`;

  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await work();
      void syncQueue(userId);
    } finally {
      setBusy(false);
    }
  };
  const discard = () =>
    run(async () => {
      await discardOp(op);
      setConfirming(false);
      toast.success(t('offline.discard.done'));
    });

  return (
    <li
      className="space-y-2 rounded-lg border border-red-200 bg-white p-3 text-sm"
      data-testid="offline-fix"
      data-kind={op.kind}
      data-sale-id={op.saleId}
      data-error-code={op.error?.code ?? ''}
    >
      <p className="font-medium text-slate-900">{label(op)}</p>
      {error && (
        <p className="text-red-800" data-testid="offline-fix-message">
          {saleErrorText(error, t, currency, i18n.language)}
        </p>
      )}
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs">
        <Link to={saleLink} className={linkClass} data-testid="offline-fix-sale">
          {t('offline.actions.open')}
        </Link>
        {existing && (
          <Link to={`/c/${op.companyId}/sales/${String(existing.saleId)}`} className={linkClass} data-testid="offline-fix-existing">
            {t('sales.till.openExisting', { reference: String(existing.reference ?? '') })}
          </Link>
        )}
      </div>
      {editing && here ? (
        <FixForm op={op} currency={currency} busy={busy} onCancel={() => setEditing(false)} onSave={(patch) => run(async () => { await editOp(op, patch); setEditing(false); })} />
      ) : (
        <div className="flex flex-wrap gap-2">
          {here && op.kind !== 'cancel' && (
            <Button size="sm" variant="secondary" icon={<Pencil className="size-4" aria-hidden="true" />} onClick={() => setEditing(true)} data-testid="offline-fix-edit">
              {t('offline.actions.edit')}
            </Button>
          )}
          <Button size="sm" variant="secondary" loading={busy} icon={<RotateCcw className="size-4" aria-hidden="true" />} onClick={() => void run(() => retryOp(op))} data-testid="offline-fix-retry">
            {t('offline.actions.retry')}
          </Button>
          <Button size="sm" variant="danger-ghost" icon={<Trash2 className="size-4" aria-hidden="true" />} onClick={() => setConfirming(true)} data-testid="offline-fix-discard">
            {t('offline.actions.discard')}
          </Button>
        </div>
      )}
      <ConfirmDialog
        open={confirming}
        title={t('offline.discard.title')}
        body={
          op.kind === 'open_sale'
            ? t('offline.discard.bodySale', { reference: saleRefOf(op, state), count: chain.length })
            : t('offline.discard.body', { what: label(op) })
        }
        confirmLabel={t('offline.discard.confirm')}
        busy={busy}
        onConfirm={() => void discard()}
        onClose={() => setConfirming(false)}
      />
    </li>
  );
}

type Patch = Partial<QueuedOp>;

function FixForm({ op, currency, busy, onCancel, onSave }: { op: QueuedOp; currency: string; busy: boolean; onCancel: () => void; onSave: (patch: Patch) => void }) {
  const { t } = useTranslation();
  return (
    <div className="rounded-md border border-slate-200 bg-slate-50 p-3" data-testid="offline-fix-form">
      {op.kind === 'open_sale' && <OpenSaleFix op={op} busy={busy} onCancel={onCancel} onSave={onSave} />}
      {op.kind === 'add_items' && <LinesFix lines={op.lines} busy={busy} onCancel={onCancel} onSave={(lines) => {
        const line = lines[0];
        if (line) onSave({ lines, body: { ...op.body, quantity: line.quantity } } as Patch);
      }} min={1} />}
      {op.kind === 'payment' && <PaymentFix op={op} currency={currency} busy={busy} onCancel={onCancel} onSave={onSave} />}
      {op.kind === 'transfer' && <TransferFix op={op} busy={busy} onCancel={onCancel} onSave={onSave} />}
      {busy && <span className="sr-only">{t('common.loading')}</span>}
    </div>
  );
}

function FormButtons({ busy, onCancel }: { busy: boolean; onCancel: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="flex flex-wrap justify-end gap-2 pt-1">
      <Button size="sm" variant="secondary" onClick={onCancel}>
        {t('offline.actions.cancel')}
      </Button>
      <Button size="sm" type="submit" loading={busy} data-testid="offline-fix-save">
        {t('offline.actions.save')}
      </Button>
    </div>
  );
}

function OpenSaleFix({ op, busy, onCancel, onSave }: { op: OpenSaleOp; busy: boolean; onCancel: () => void; onSave: (patch: Patch) => void }) {
  const { t } = useTranslation();
  const floor = useFloor(op.companyId);
  const [tableId, setTableId] = useState(op.body.tableId ?? '');
  const [quantities, setQuantities] = useState(op.lines.map((l) => String(l.quantity)));
  const free = (floor.data?.tables ?? [])
    .filter((x) => x.status === 'available' || x.id === tableId)
    .sort((a, b) => a.label.localeCompare(b.label, undefined, { numeric: true }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const lines = op.lines
      .map((l, i) => ({ ...l, quantity: Math.max(0, Math.min(1000, Math.floor(Number(quantities[i])) || 0)) }))
      .filter((l) => l.quantity > 0);
    const table = floor.data?.tables.find((x) => x.id === tableId);
    const channel = tableId ? 'table' : op.body.channel === 'table' ? 'counter' : op.body.channel;
    onSave({
      body: {
        ...op.body,
        tableId: tableId || undefined,
        channel,
        items: lines.map((l) => ({ productId: l.productId, quantity: l.quantity, ...(l.note ? { note: l.note } : {}) })),
      },
      lines,
      tableLabel: table?.label ?? null,
    } as Patch);
  };
  return (
    <form onSubmit={submit} noValidate className="space-y-2">
      <Field label={t('offline.edit.table')}>
        {(c) => (
          <Select {...c} value={tableId} onChange={(e) => setTableId(e.target.value)} data-testid="offline-fix-table">
            <option value="">{t('offline.edit.noTable')}</option>
            {free.map((x) => (
              <option key={x.id} value={x.id}>
                {`${t('sales.till.table')} ${x.label}`}
                {x.status !== 'available' ? ` (${t(`floor.statuses.${x.status}`)})` : ''}
              </option>
            ))}
          </Select>
        )}
      </Field>
      {op.lines.map((l, i) => (
        <QuantityField
          // biome-ignore lint/suspicious/noArrayIndexKey: the lines of a queued operation never move while it is edited
          key={`${l.productId}-${i}`}
          line={l}
          value={quantities[i] ?? ''}
          min={0}
          onChange={(v) => setQuantities((q) => q.map((x, j) => (j === i ? v : x)))}
        />
      ))}
      <FormButtons busy={busy} onCancel={onCancel} />
    </form>
  );
}

/** A refused move: choose another table (the free ones, as the floor shows them now). */
function TransferFix({ op, busy, onCancel, onSave }: { op: TransferOp; busy: boolean; onCancel: () => void; onSave: (patch: Patch) => void }) {
  const { t } = useTranslation();
  const floor = useFloor(op.companyId);
  const [tableId, setTableId] = useState('');
  const free = (floor.data?.tables ?? [])
    .filter((x) => x.status === 'available' && x.id !== op.body.tableId)
    .sort((a, b) => a.label.localeCompare(b.label, undefined, { numeric: true }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const table = free.find((x) => x.id === tableId);
    if (table) onSave({ body: { tableId: table.id }, tableLabel: table.label } as Patch);
  };
  return (
    <form onSubmit={submit} noValidate className="space-y-2">
      <Field label={t('offline.edit.transferTable')}>
        {(c) => (
          <Select {...c} value={tableId} onChange={(e) => setTableId(e.target.value)} data-testid="offline-fix-table">
            <option value="">{free.length === 0 ? t('sales.moves.noFreeTable') : t('sales.moves.pickTable')}</option>
            {free.map((x) => (
              <option key={x.id} value={x.id}>
                {`${t('sales.till.table')} ${x.label}`}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <FormButtons busy={busy} onCancel={onCancel} />
    </form>
  );
}

function QuantityField({ line, value, min, onChange }: { line: LineSnapshot; value: string; min: number; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  return (
    <Field label={t('offline.edit.quantity', { name: line.name })} hint={min === 0 ? t('offline.edit.quantityHint') : undefined}>
      {(c) => (
        <TextInput {...c} type="number" inputMode="numeric" min={min} max={1000} value={value} onChange={(e) => onChange(e.target.value)} data-testid="offline-fix-quantity" />
      )}
    </Field>
  );
}

function LinesFix({ lines, min, busy, onCancel, onSave }: { lines: LineSnapshot[]; min: number; busy: boolean; onCancel: () => void; onSave: (lines: LineSnapshot[]) => void }) {
  const [quantities, setQuantities] = useState(lines.map((l) => String(l.quantity)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSave(lines.map((l, i) => ({ ...l, quantity: Math.max(min, Math.min(1000, Math.floor(Number(quantities[i])) || min)) })));
  };
  return (
    <form onSubmit={submit} noValidate className="space-y-2">
      {lines.map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the lines of a queued operation never move while it is edited
        <QuantityField key={`${l.productId}-${i}`} line={l} value={quantities[i] ?? ''} min={min} onChange={(v) => setQuantities((q) => q.map((x, j) => (j === i ? v : x)))} />
      ))}
      <FormButtons busy={busy} onCancel={onCancel} />
    </form>
  );
}

function PaymentFix({ op, currency, busy, onCancel, onSave }: { op: Extract<QueuedOp, { kind: 'payment' }>; currency: string; busy: boolean; onCancel: () => void; onSave: (patch: Patch) => void }) {
  const { t } = useTranslation();
  const cash = op.body.method === 'cash';
  const sessions = useOpenCashSessions(op.companyId, cash);
  const [amountText, setAmountText] = useState(moneyInputValue(op.body.amount, currency));
  const [sessionId, setSessionId] = useState(op.body.cashSessionId ?? '');
  const amount = parseMoneyInput(amountText, currency);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (amount === null || amount <= 0) return;
    const body = { ...op.body, amount };
    if (cash) {
      const owed = amount + (op.body.tip ?? 0);
      body.tendered = Math.max(op.body.tendered ?? owed, owed);
      if (sessionId) body.cashSessionId = sessionId;
      else delete body.cashSessionId;
    }
    onSave({ body } as Patch);
  };
  return (
    <form onSubmit={submit} noValidate className="space-y-2">
      <Field label={t('offline.edit.amount')} error={amount === null || amount <= 0 ? t('sales.payment.invalidAmount') : undefined}>
        {(c) => <TextInput {...c} inputMode="decimal" value={amountText} onChange={(e) => setAmountText(e.target.value)} data-testid="offline-fix-amount" />}
      </Field>
      {cash && (
        <Field label={t('offline.edit.session')}>
          {(c) => (
            <Select {...c} value={sessionId} onChange={(e) => setSessionId(e.target.value)} data-testid="offline-fix-session">
              <option value="">{t('offline.edit.noSession')}</option>
              {(sessions.data ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.register}
                </option>
              ))}
            </Select>
          )}
        </Field>
      )}
      <FormButtons busy={busy} onCancel={onCancel} />
    </form>
  );
}
