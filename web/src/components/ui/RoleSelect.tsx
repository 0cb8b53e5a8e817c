import type { SelectHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '../../lib/types.ts';
import { Select } from './Field.tsx';

type Props = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange'> & {
  value: Role;
  onChange: (role: Role) => void;
};

export function RoleSelect({ value, onChange, ...rest }: Props) {
  const { t } = useTranslation();
  return (
    <Select value={value} onChange={(e) => onChange(e.target.value as Role)} {...rest}>
      {ROLES.map((role) => (
        <option key={role} value={role}>
          {t(`roles.${role}`)}
        </option>
      ))}
    </Select>
  );
}
