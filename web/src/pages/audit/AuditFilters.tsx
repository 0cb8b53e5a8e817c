import { ChevronDown, X } from 'lucide-react';
import { type ComponentProps, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/Button.tsx';
import { Field, inputClass, Select, TextInput } from '../../components/ui/Field.tsx';
import { useDismiss } from '../../lib/hooks.ts';
import { ACTOR_TYPES, type ActorType, AUDIT_EVENT_TYPES, EVENT_LEVELS, SUBJECT_KEYS, type SubjectKey } from '../../lib/insights.ts';
import { eventLabel, levelStyle } from './eventUi.tsx';
import { type AuditFilterValues, isValidSubjectId, type SetAuditFilter } from './useAuditFilters.ts';

const TYPING_DELAY_MS = 300;

/** A text filter pushed after a pause in typing; follows the URL when it changes elsewhere. */
function DelayedInput({
  value,
  onChange,
  invalid,
  ...rest
}: { value: string; onChange: (v: string) => void; invalid?: (text: string) => boolean } & Omit<
  ComponentProps<'input'>,
  'value' | 'onChange'
>) {
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

  return (
    <input
      type="text"
      value={text}
      onChange={(e) => setText(e.target.value)}
      autoCapitalize="none"
      spellCheck={false}
      aria-invalid={invalid?.(text) || undefined}
      className={`${inputClass} font-mono text-xs`}
      {...rest}
    />
  );
}

/** The event types as a searchable checkbox list in a popover, the chosen ones as chips. */
function TypePicker({ selected, onChange }: { selected: string[]; onChange: (types: string[]) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(ref, open, close);
  const options = useMemo(() => {
    const known = [...AUDIT_EVENT_TYPES, ...selected.filter((s) => !AUDIT_EVENT_TYPES.includes(s))];
    return known.map((type) => ({ type, label: eventLabel(type, t) })).sort((a, b) => a.label.localeCompare(b.label));
  }, [selected, t]);
  const needle = search.trim().toLowerCase();
  const shown = needle ? options.filter((o) => o.label.toLowerCase().includes(needle) || o.type.includes(needle)) : options;
  const toggle = (type: string) => onChange(selected.includes(type) ? selected.filter((s) => s !== type) : [...selected, type]);

  return (
    <div className="space-y-2">
      <div ref={ref} className="relative">
        <button
          type="button"
          className={`${inputClass} flex items-center justify-between gap-2 text-left`}
          aria-expanded={open}
          onClick={() => setOpen((o) => !o)}
          data-testid="audit-filter-type"
        >
          <span className="truncate">
            {selected.length === 0 ? t('audit.filters.allTypes') : t('audit.filters.typesSelected', { count: selected.length })}
          </span>
          <ChevronDown className="size-4 shrink-0 text-slate-500" aria-hidden="true" />
        </button>
        {open && (
          <div className="absolute z-20 mt-1 w-full min-w-64 rounded-lg border border-slate-200 bg-white p-2 shadow-lg" data-testid="audit-type-options">
            <TextInput
              type="search"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              placeholder={t('audit.filters.searchType')}
              aria-label={t('audit.filters.searchType')}
              className="mb-2"
              autoFocus
            />
            <ul className="max-h-64 overflow-y-auto" aria-label={t('audit.filters.type')}>
              {shown.map((o) => (
                <li key={o.type}>
                  <label className="flex cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 text-sm hover:bg-slate-50">
                    <input
                      type="checkbox"
                      checked={selected.includes(o.type)}
                      onChange={() => toggle(o.type)}
                      className="size-4 rounded border-slate-300 accent-teal-600"
                      data-testid="audit-type-option"
                      data-type={o.type}
                    />
                    <span className="min-w-0 flex-1 truncate">{o.label}</span>
                  </label>
                </li>
              ))}
              {shown.length === 0 && <li className="px-2 py-1.5 text-sm text-slate-500">{t('audit.filters.noType')}</li>}
            </ul>
          </div>
        )}
      </div>
      {selected.length > 0 && (
        <ul className="flex flex-wrap gap-1.5">
          {selected.map((type) => (
            <li key={type}>
              <button
                type="button"
                onClick={() => toggle(type)}
                className="inline-flex items-center gap-1 rounded-full bg-teal-50 px-2 py-0.5 text-xs font-medium text-teal-800 hover:bg-teal-100"
                aria-label={t('audit.filters.removeType', { type: eventLabel(type, t) })}
                data-testid="audit-type-chip"
                data-type={type}
              >
                {eventLabel(type, t)}
                <X className="size-3" aria-hidden="true" />
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

type Props = { values: AuditFilterValues; set: SetAuditFilter; clear: () => void; active: boolean };

/** Type (several), level (several), subject, actor and time range. */
export function AuditFilters({ values, set, clear, active }: Props) {
  const { t } = useTranslation();
  const toggleLevel = (level: string) =>
    set('levels', values.levels.includes(level) ? values.levels.filter((l) => l !== level) : [...values.levels, level]);
  const subjectInvalid = !isValidSubjectId(values.subjectId);
  return (
    <div className="space-y-4" data-testid="audit-filters">
      <div className="grid gap-4 md:grid-cols-2">
        <div>
          <span className="mb-1 block text-sm font-medium text-slate-700">{t('audit.filters.type')}</span>
          <TypePicker selected={values.types} onChange={(types) => set('types', types)} />
        </div>
        <fieldset>
          <legend className="mb-1 block text-sm font-medium text-slate-700">{t('audit.filters.level')}</legend>
          <div className="flex flex-wrap gap-2">
            {EVENT_LEVELS.map((level) => {
              const checked = values.levels.includes(level);
              return (
                <label
                  key={level}
                  className={`flex cursor-pointer items-center gap-2 rounded-lg border px-3 py-2 text-sm font-medium ${
                    checked ? 'border-slate-400 bg-slate-100 text-slate-900' : 'border-slate-300 bg-white text-slate-700'
                  }`}
                >
                  <input
                    type="checkbox"
                    checked={checked}
                    onChange={() => toggleLevel(level)}
                    className="sr-only"
                    data-testid="audit-filter-level"
                    data-level={level}
                  />
                  <span className={`size-2 rounded-full ${levelStyle(level).dot}`} aria-hidden="true" />
                  {t(`audit.levels.${level}`)}
                </label>
              );
            })}
          </div>
        </fieldset>
      </div>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Field label={t('audit.filters.subjectType')}>
          {(c) => (
            <Select
              {...c}
              value={values.subjectType}
              onChange={(e) => set('subjectType', e.target.value as SubjectKey | '')}
              data-testid="audit-filter-subject-type"
            >
              <option value="">{t('audit.filters.anySubject')}</option>
              {SUBJECT_KEYS.map((key) => (
                <option key={key} value={key}>
                  {t(`audit.subjects.${key}`)}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label={t('audit.filters.subjectId')} error={subjectInvalid ? t('audit.filters.invalidId') : undefined}>
          {(c) => (
            <DelayedInput
              {...c}
              value={values.subjectId}
              onChange={(v) => set('subjectId', v)}
              invalid={(text) => !isValidSubjectId(text)}
              disabled={!values.subjectType}
              placeholder={values.subjectType ? 'uuid' : t('audit.filters.pickSubjectFirst')}
              data-testid="audit-filter-subject-id"
            />
          )}
        </Field>
        <Field label={t('audit.filters.actorType')}>
          {(c) => (
            <Select
              {...c}
              value={values.actorType}
              onChange={(e) => set('actorType', e.target.value as ActorType | '')}
              data-testid="audit-filter-actor-type"
            >
              <option value="">{t('audit.filters.anyActor')}</option>
              {ACTOR_TYPES.map((type) => (
                <option key={type} value={type}>
                  {t(`audit.actorTypes.${type}`)}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label={t('audit.filters.actorId')}>
          {(c) => <DelayedInput {...c} value={values.actorId} onChange={(v) => set('actorId', v)} data-testid="audit-filter-actor-id" />}
        </Field>
        <Field label={t('audit.filters.from')}>
          {(c) => (
            <TextInput
              {...c}
              type="datetime-local"
              value={values.from}
              max={values.to || undefined}
              onChange={(e) => set('from', e.target.value)}
              data-testid="audit-filter-from"
            />
          )}
        </Field>
        <Field label={t('audit.filters.to')}>
          {(c) => (
            <TextInput
              {...c}
              type="datetime-local"
              value={values.to}
              min={values.from || undefined}
              onChange={(e) => set('to', e.target.value)}
              data-testid="audit-filter-to"
            />
          )}
        </Field>
        {active && (
          <div className="flex items-end">
            <Button variant="ghost" size="sm" onClick={clear} data-testid="audit-filters-clear">
              {t('audit.filters.clear')}
            </Button>
          </div>
        )}
      </div>
    </div>
  );
}
