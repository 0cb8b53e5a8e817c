import { useMemo } from 'react';
import { ACTOR_TYPES, type ActorType, type AuditQuery, EVENT_LEVELS, SUBJECT_KEYS, type SubjectKey } from '../../lib/insights.ts';
import { type SetValue, useUrlFilters } from '../../lib/useUrlFilters.ts';

export type AuditFilterValues = {
  types: string[];
  levels: string[];
  subjectType: SubjectKey | '';
  subjectId: string;
  actorType: ActorType | '';
  actorId: string;
  /** `datetime-local` values (the browser's local time). */
  from: string;
  to: string;
};
export type SetAuditFilter = SetValue<AuditFilterValues>;

const EMPTY: AuditFilterValues = { types: [], levels: [], subjectType: '', subjectId: '', actorType: '', actorId: '', from: '', to: '' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TYPE = /^[a-z][a-z0-9_]*$/;
const LOCAL_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

/** Subject ids are uuids: one is sent only when well formed. */
export function isValidSubjectId(text: string): boolean {
  return text.trim() === '' || UUID.test(text.trim());
}

const list = (value: string | null) => (value ? value.split(',').map((s) => s.trim()).filter(Boolean) : []);
const pick = <T extends string>(value: string | null | undefined, allowed: readonly T[]): T | '' =>
  value && (allowed as readonly string[]).includes(value) ? (value as T) : '';

/** The URL uses the API's parameter names: type=a,b&level=…&subject=paymentId:<id>&actorType&actorId&from&to. */
function fromParams(params: URLSearchParams): AuditFilterValues {
  const [subjectType, ...rest] = (params.get('subject') ?? '').split(':');
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  return {
    types: [...new Set(list(params.get('type')).filter((t) => TYPE.test(t)))],
    levels: list(params.get('level')).filter((l) => (EVENT_LEVELS as readonly string[]).includes(l)),
    subjectType: pick(subjectType, SUBJECT_KEYS),
    subjectId: pick(subjectType, SUBJECT_KEYS) ? rest.join(':') : '',
    actorType: pick(params.get('actorType'), ACTOR_TYPES),
    actorId: params.get('actorId') ?? '',
    from: LOCAL_DATETIME.test(from) ? from : '',
    to: LOCAL_DATETIME.test(to) ? to : '',
  };
}

function toParams(v: AuditFilterValues): URLSearchParams {
  const params = new URLSearchParams();
  if (v.types.length) params.set('type', v.types.join(','));
  if (v.levels.length) params.set('level', v.levels.join(','));
  if (v.subjectType) params.set('subject', `${v.subjectType}:${v.subjectId}`);
  if (v.actorType) params.set('actorType', v.actorType);
  if (v.actorId) params.set('actorId', v.actorId);
  if (v.from) params.set('from', v.from);
  if (v.to) params.set('to', v.to);
  return params;
}

/** A `datetime-local` value (browser time) as an ISO instant; undefined when empty or invalid. */
function toIso(local: string): string | undefined {
  if (!local) return undefined;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The audit search filters, kept in the URL, and the query the server reads. */
export function useAuditFilters() {
  const { values, set, clear } = useUrlFilters(fromParams, toParams, EMPTY);
  const query: AuditQuery = useMemo(() => {
    const subjectId = values.subjectId.trim();
    const actorId = values.actorId.trim();
    return {
      type: values.types.length ? values.types.join(',') : undefined,
      level: values.levels.length ? values.levels.join(',') : undefined,
      subject: values.subjectType && subjectId && UUID.test(subjectId) ? `${values.subjectType}:${subjectId}` : undefined,
      actorType: values.actorType || undefined,
      actorId: actorId || undefined,
      from: toIso(values.from),
      to: toIso(values.to),
    };
  }, [values]);
  const active = Boolean(
    values.types.length || values.levels.length || values.subjectType || values.subjectId || values.actorType || values.actorId || values.from || values.to,
  );
  return { values, query, set, clear, active };
}
