import type { SelectHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { CURRENCIES } from '../../lib/company-options.ts';
import { currencyName } from '../../lib/money.ts';
import { Select } from './Field.tsx';

/** The supported currencies, named in the UI language by Intl. Keeps an unlisted current value. */
export function CurrencySelect({ value, ...rest }: SelectHTMLAttributes<HTMLSelectElement> & { value: string }) {
  const { i18n } = useTranslation();
  const codes: string[] = CURRENCIES.includes(value as (typeof CURRENCIES)[number]) ? [...CURRENCIES] : [value, ...CURRENCIES];
  return (
    <Select value={value} {...rest}>
      {codes.map((code) => (
        <option key={code} value={code}>
          {code} — {currencyName(code, i18n.language)}
        </option>
      ))}
    </Select>
  );
}
