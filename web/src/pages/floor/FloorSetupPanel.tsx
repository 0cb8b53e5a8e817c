import { useMutation } from '@tanstack/react-query';
import { LayoutGrid } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { Field, Select, TextInput } from '../../components/ui/Field.tsx';
import { errorMessage } from '../../lib/api.ts';
import { type Area, createArea, createTable, type FloorTable, type TableStatus, updateTable } from '../../lib/floor.ts';
import { useFloorChanged } from '../../lib/floorQueries.ts';
import { useFormErrors } from '../../lib/useFormErrors.ts';

const SETTABLE: Exclude<TableStatus, 'occupied'>[] = ['available', 'reserved', 'out_of_service'];

/** "Aménager la salle" (owners and managers): create areas and tables. */
export function FloorSetupPanel({ companyId, areas, defaultOpen }: { companyId: string; areas: Area[]; defaultOpen: boolean }) {
  const { t } = useTranslation();
  return (
    <details
      className="group rounded-xl border border-slate-200 bg-white shadow-sm"
      open={defaultOpen}
      data-testid="floor-setup"
    >
      <summary className="flex cursor-pointer list-none items-center gap-2 px-5 py-3 text-sm font-semibold text-slate-900 focus-visible:outline-2 focus-visible:outline-teal-600">
        <LayoutGrid className="size-4 text-teal-700" aria-hidden="true" />
        {t('floor.setup.title')}
        <span className="font-normal text-slate-500">— {t('floor.setup.description')}</span>
      </summary>
      <div className="grid gap-6 border-t border-slate-100 px-5 py-4 md:grid-cols-2">
        <NewAreaForm companyId={companyId} />
        <NewTableForm companyId={companyId} areas={areas} />
      </div>
    </details>
  );
}

function NewAreaForm({ companyId }: { companyId: string }) {
  const { t } = useTranslation();
  const changed = useFloorChanged(companyId);
  const errors = useFormErrors(['name']);
  const [name, setName] = useState('');
  const mutation = useMutation({
    mutationFn: (body: { name: string }) => createArea(companyId, body),
    onSuccess: (area) => {
      toast.success(t('floor.setup.areaCreated', { name: area.name }));
      setName('');
      errors.reset();
      changed();
    },
    onError: errors.capture,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    errors.reset();
    if (!name.trim()) return errors.setField('name', t('errors.field.required'));
    mutation.mutate({ name: name.trim() });
  };
  return (
    <form onSubmit={submit} noValidate className="space-y-3" data-testid="new-area-form">
      <h3 className="text-sm font-semibold text-slate-800">{t('floor.setup.newArea')}</h3>
      {errors.formError && <Alert>{errors.formError}</Alert>}
      <Field label={t('floor.setup.areaName')} error={errors.field('name')}>
        {(c) => <TextInput {...c} name="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={60} />}
      </Field>
      <Button type="submit" variant="secondary" loading={mutation.isPending}>
        {t('floor.setup.addArea')}
      </Button>
    </form>
  );
}

function NewTableForm({ companyId, areas }: { companyId: string; areas: Area[] }) {
  const { t } = useTranslation();
  const changed = useFloorChanged(companyId);
  const errors = useFormErrors(['label', 'seats', 'areaId'], { 'table.label_taken': 'label' });
  const [form, setForm] = useState({ label: '', seats: '4', areaId: '' });
  const areaId = form.areaId || areas[0]?.id || '';
  const mutation = useMutation({
    mutationFn: (body: { label: string; seats: number; areaId: string }) => createTable(companyId, body),
    onSuccess: (table) => {
      toast.success(t('floor.setup.tableCreated', { label: table.label }));
      setForm((f) => ({ ...f, label: '' }));
      errors.reset();
      changed();
    },
    onError: errors.capture,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    errors.reset();
    const seats = Number(form.seats);
    if (!form.label.trim()) return errors.setField('label', t('errors.field.required'));
    if (!Number.isInteger(seats) || seats < 1 || seats > 99) return errors.setField('seats', t('floor.setup.invalidSeats'));
    if (!areaId) return errors.setField('areaId', t('floor.setup.noArea'));
    mutation.mutate({ label: form.label.trim(), seats, areaId });
  };
  return (
    <form onSubmit={submit} noValidate className="space-y-3" data-testid="new-table-form">
      <h3 className="text-sm font-semibold text-slate-800">{t('floor.setup.newTable')}</h3>
      {errors.formError && <Alert>{errors.formError}</Alert>}
      <div className="grid grid-cols-2 gap-3">
        <Field label={t('floor.setup.label')} error={errors.field('label')}>
          {(c) => (
            <TextInput
              {...c}
              name="label"
              value={form.label}
              maxLength={20}
              onChange={(e) => setForm((f) => ({ ...f, label: e.target.value }))}
            />
          )}
        </Field>
        <Field label={t('floor.setup.seats')} error={errors.field('seats')}>
          {(c) => (
            <TextInput
              {...c}
              name="seats"
              type="number"
              inputMode="numeric"
              min={1}
              max={99}
              value={form.seats}
              onChange={(e) => setForm((f) => ({ ...f, seats: e.target.value }))}
            />
          )}
        </Field>
      </div>
      <Field label={t('floor.setup.area')} error={errors.field('areaId')}>
        {(c) => (
          <Select
            {...c}
            name="areaId"
            value={areaId}
            onChange={(e) => setForm((f) => ({ ...f, areaId: e.target.value }))}
            disabled={areas.length === 0}
          >
            {areas.length === 0 && <option value="">{t('floor.setup.noArea')}</option>}
            {areas.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Button type="submit" variant="secondary" loading={mutation.isPending} disabled={areas.length === 0}>
        {t('floor.setup.addTable')}
      </Button>
    </form>
  );
}

/** A manager's status switch on a table that is not occupied (free, reserved, out of service). */
export function TableStatusSelect({ companyId, table }: { companyId: string; table: FloorTable }) {
  const { t } = useTranslation();
  const changed = useFloorChanged(companyId);
  const mutation = useMutation({
    mutationFn: (status: Exclude<TableStatus, 'occupied'>) => updateTable(companyId, table.id, { status }),
    onSuccess: (_, status) => {
      toast.success(t('floor.setup.statusChanged', { label: table.label, status: t(`floor.statuses.${status}`) }));
      changed();
    },
    onError: (err) => toast.error(errorMessage(err, t)),
  });
  if (table.status === 'occupied') return null;
  return (
    <Select
      value={table.status}
      onChange={(e) => mutation.mutate(e.target.value as Exclude<TableStatus, 'occupied'>)}
      disabled={mutation.isPending}
      aria-label={t('floor.setup.status', { label: table.label })}
      className="h-8 py-1 text-xs"
      data-testid="table-status-select"
    >
      {SETTABLE.map((s) => (
        <option key={s} value={s}>
          {t(`floor.statuses.${s}`)}
        </option>
      ))}
    </Select>
  );
}
