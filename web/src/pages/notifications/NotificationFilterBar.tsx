import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/Button.tsx';
import { inputClass, Select } from '../../components/ui/Field.tsx';
import { NOTIFICATION_PRIORITIES, NOTIFICATION_TYPES, type NotificationPriority } from '../../lib/types.ts';
import { type FilterValues, isValidId, READ_STATES, type ReadState, type SetFilter } from './useNotificationFilters.ts';

const TYPING_DELAY_MS = 300;

type Props = { values: FilterValues; set: SetFilter; clear: () => void; active: boolean };

/** A text filter pushed after a pause in typing; follows the URL when it changes elsewhere. */
function IdFilter({ name, label, value, onChange }: { name: 'area' | 'server'; label: string; value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(value);
  const pushed = useRef(value);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  useEffect(() => {
    if (value !== pushed.current) {
      pushed.current = value;
      setText(value);
    }
  }, [value]);

  useEffect(() => {
    if (text === pushed.current) return;
    const timer = setTimeout(() => {
      pushed.current = text;
      onChangeRef.current(text);
    }, TYPING_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const invalid = !isValidId(text);
  const errorId = `notification-filter-${name}-error`;
  return (
    <div className="sm:w-72">
      <input
        type="text"
        name={name}
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={label}
        aria-label={label}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? errorId : undefined}
        autoCapitalize="none"
        spellCheck={false}
        className={`${inputClass} font-mono text-xs`}
        data-testid={`notification-filter-${name}`}
      />
      {invalid && (
        <p id={errorId} className="mt-1 text-xs font-medium text-red-600">
          {t('notificationCenter.filters.invalidId')}
        </p>
      )}
    </div>
  );
}

/** Type, read state, priority, archived, area and server. */
export function NotificationFilterBar({ values, set, clear, active }: Props) {
  const { t } = useTranslation();
  return (
    <div className="space-y-3" data-testid="notification-filters">
      <div className="grid grid-cols-2 gap-3 sm:flex sm:flex-wrap sm:items-center">
        <div className="col-span-2 sm:w-60">
          <Select
            name="type"
            value={values.type}
            onChange={(e) => set('type', e.target.value)}
            aria-label={t('notificationCenter.filters.type')}
            data-testid="notification-filter-type"
          >
            <option value="">{t('notificationCenter.filters.allTypes')}</option>
            {NOTIFICATION_TYPES.map((type) => (
              <option key={type} value={type}>
                {t(`events.${type}`)}
              </option>
            ))}
          </Select>
        </div>
        <div className="sm:w-40">
          <Select
            name="read"
            value={values.read}
            onChange={(e) => set('read', e.target.value as ReadState)}
            aria-label={t('notificationCenter.filters.read')}
            data-testid="notification-filter-read"
          >
            {READ_STATES.map((s) => (
              <option key={s} value={s}>
                {t(`notificationCenter.filters.readStates.${s || 'all'}`)}
              </option>
            ))}
          </Select>
        </div>
        <div className="sm:w-56">
          <Select
            name="priority"
            value={values.priority}
            onChange={(e) => set('priority', e.target.value as NotificationPriority | '')}
            aria-label={t('notificationCenter.filters.priority')}
            data-testid="notification-filter-priority"
          >
            <option value="">{t('notificationCenter.filters.allPriorities')}</option>
            {NOTIFICATION_PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {t(`notificationCenter.priorities.${p}`)}
              </option>
            ))}
          </Select>
        </div>
        <label
          className={`col-span-2 flex cursor-pointer items-center gap-2 rounded-lg border px-3 py-2 text-sm font-medium whitespace-nowrap sm:col-span-1 ${
            values.archived ? 'border-slate-400 bg-slate-100 text-slate-900' : 'border-slate-300 bg-white text-slate-700'
          }`}
        >
          <input
            type="checkbox"
            name="archived"
            checked={values.archived}
            onChange={(e) => set('archived', e.target.checked)}
            className="size-4 rounded border-slate-300 accent-teal-600"
            data-testid="notification-filter-archived"
          />
          {t('notificationCenter.filters.archived')}
        </label>
      </div>
      <div className="flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-start">
        <IdFilter name="area" label={t('notificationCenter.filters.area')} value={values.area} onChange={(v) => set('area', v)} />
        <IdFilter
          name="server"
          label={t('notificationCenter.filters.server')}
          value={values.server}
          onChange={(v) => set('server', v)}
        />
        {active && (
          <Button variant="ghost" size="sm" className="sm:mt-1" onClick={clear} data-testid="notification-filters-clear">
            {t('notificationCenter.filters.clear')}
          </Button>
        )}
      </div>
    </div>
  );
}
