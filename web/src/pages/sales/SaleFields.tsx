import { useTranslation } from 'react-i18next';
import { Field, Select, TextInput } from '../../components/ui/Field.tsx';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { useMembers } from '../../lib/companyQueries.ts';
import { useFloor } from '../../lib/floorQueries.ts';
import { hasRole } from '../../lib/session.ts';
import { MEMBER_READERS } from '../../nav.ts';

type TableProps =
  | { editable: true; tableId: string; onTableChange: (id: string) => void }
  | { editable: false; label: string | null };

type Props = {
  customerName: string;
  onCustomerChange: (value: string) => void;
  /** Called when the field loses focus or Enter is pressed (saves an open sale). */
  onCustomerCommit?: () => void;
  serverId: string;
  onServerChange: (id: string) => void;
  /** The sale's server name, shown when they are not in the list (members are listed for managers only). */
  serverName?: string | null;
  table: TableProps;
  disabled?: boolean;
};

/** Customer, server (default: me) and table of a sale. */
export function SaleFields({ customerName, onCustomerChange, onCustomerCommit, serverId, onServerChange, serverName, table, disabled }: Props) {
  const { t } = useTranslation();
  const { companyId, role, user } = useCompanyContext();
  const canList = hasRole(role, MEMBER_READERS);
  const members = useMembers(companyId, canList);
  const floor = useFloor(companyId, table.editable);

  const servers = new Map<string, string>([[user.id, t('sales.till.me', { name: user.name })]]);
  for (const m of members.data?.pages.flatMap((p) => p.items) ?? []) if (m.userId !== user.id) servers.set(m.userId, m.name);
  if (serverId && !servers.has(serverId)) servers.set(serverId, serverName ?? serverId);

  const tables = table.editable
    ? (floor.data?.tables ?? []).filter((x) => x.status === 'available' || x.id === table.tableId)
    : [];

  return (
    <div className="grid grid-cols-2 gap-3" data-testid="sale-fields">
      <Field label={t('sales.till.customer')} optional className="col-span-2">
        {(c) => (
          <TextInput
            {...c}
            value={customerName}
            maxLength={100}
            placeholder={t('sales.till.customerPlaceholder')}
            onChange={(e) => onCustomerChange(e.target.value)}
            onBlur={onCustomerCommit}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                onCustomerCommit?.();
              }
            }}
            disabled={disabled}
            data-testid="sale-customer"
          />
        )}
      </Field>
      <Field label={t('sales.till.server')}>
        {(c) => (
          <Select
            {...c}
            value={serverId}
            onChange={(e) => onServerChange(e.target.value)}
            disabled={disabled || servers.size < 2}
            data-testid="sale-server"
          >
            {[...servers].map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field label={t('sales.till.table')}>
        {(c) =>
          table.editable ? (
            <Select
              {...c}
              value={table.tableId}
              onChange={(e) => table.onTableChange(e.target.value)}
              disabled={disabled}
              data-testid="sale-table"
            >
              <option value="">{t('sales.till.noTable')}</option>
              {table.tableId && !tables.some((x) => x.id === table.tableId) && (
                <option value={table.tableId}>{table.tableId}</option>
              )}
              {tables.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.label}
                </option>
              ))}
            </Select>
          ) : (
            <TextInput {...c} value={table.label ?? t('sales.channels.counter')} readOnly disabled data-testid="sale-table" />
          )
        }
      </Field>
    </div>
  );
}
