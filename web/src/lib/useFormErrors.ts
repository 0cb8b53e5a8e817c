import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage, fieldErrorMessage } from './api.ts';

type State = { form?: string; fields: Record<string, string> };

/**
 * Error display state of one form.
 * - `fields`: the field names the form shows (as the server names them, e.g.
 *   "email", "settings.holdMinutes"). Errors on other fields go to the form alert.
 * - `codeFields`: domain codes without field errors that belong next to a field,
 *   e.g. { 'member.exists': 'email' }.
 * A field error reads `errors.field.<field code>` when that key exists; otherwise
 * the problem's own message (`errors.<code>`, e.g. weak_password with its reason).
 */
export function useFormErrors(fields: readonly string[], codeFields: Record<string, string> = {}) {
  const { t, i18n } = useTranslation();
  const [state, setState] = useState<State>({ fields: {} });
  const config = useRef({ fields, codeFields });
  config.current = { fields, codeFields };

  const capture = useCallback(
    (err: unknown) => {
      const { fields: known, codeFields: byCode } = config.current;
      const out: Record<string, string> = {};
      const top: string[] = [];
      if (err instanceof ApiError && err.errors.length > 0) {
        for (const e of err.errors) {
          const message =
            err.code === 'validation' || i18n.exists(`errors.field.${e.code}`)
              ? fieldErrorMessage(e.code, t)
              : errorMessage(err, t);
          if (known.includes(e.field)) out[e.field] ??= message;
          else top.push(message);
        }
        if (err.code === 'validation' && Object.keys(out).length > 0 && top.length === 0) top.push(t('errors.validation'));
      } else if (err instanceof ApiError && byCode[err.code] && known.includes(byCode[err.code]!)) {
        out[byCode[err.code]!] = errorMessage(err, t);
      } else {
        top.push(errorMessage(err, t));
      }
      setState({ form: top.length ? [...new Set(top)].join(' ') : undefined, fields: out });
    },
    [t, i18n],
  );

  const reset = useCallback(() => setState({ fields: {} }), []);
  const setField = useCallback(
    (field: string, message: string) => setState((s) => ({ ...s, fields: { ...s.fields, [field]: message } })),
    [],
  );

  return { formError: state.form, field: (name: string) => state.fields[name], capture, reset, setField };
}
