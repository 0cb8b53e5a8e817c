import { type SelectHTMLAttributes, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { allTimezones, COMMON_TIMEZONES } from '../../lib/company-options.ts';
import { Select } from './Field.tsx';

/** Common zones first, then every zone the browser knows. */
export function TimezoneSelect({ value, ...rest }: SelectHTMLAttributes<HTMLSelectElement> & { value: string }) {
  const { t } = useTranslation();
  const { common, others } = useMemo(() => {
    const common = COMMON_TIMEZONES.includes(value) || !value ? COMMON_TIMEZONES : [value, ...COMMON_TIMEZONES];
    return { common, others: allTimezones().filter((z) => !common.includes(z)) };
  }, [value]);
  return (
    <Select value={value} {...rest}>
      <optgroup label={t('timezones.common')}>
        {common.map((zone) => (
          <option key={zone} value={zone}>
            {zone}
          </option>
        ))}
      </optgroup>
      <optgroup label={t('timezones.all')}>
        {others.map((zone) => (
          <option key={zone} value={zone}>
            {zone}
          </option>
        ))}
      </optgroup>
    </Select>
  );
}
