import { Hash, KeyRound, Trash } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/Button.tsx';
import { RoleSelect } from '../../components/ui/RoleSelect.tsx';
import { formatDateTime } from '../../lib/format.ts';
import type { Member, Role } from '../../lib/types.ts';

type Props = {
  member: Member;
  isSelf: boolean;
  canManage: boolean;
  rolePending: boolean;
  onRoleChange: (role: Role) => void;
  onSetPassword: () => void;
  onRemove: () => void;
  /** Set when the viewer may set this member's PIN. */
  onSetPin?: () => void;
  /** The table has an actions column (owners, or managers for PINs). */
  hasActions: boolean;
};

export function MemberRow({ member, isSelf, canManage, rolePending, onRoleChange, onSetPassword, onRemove, onSetPin, hasActions }: Props) {
  const { t, i18n } = useTranslation();
  const email = member.email ?? <span className="italic text-slate-400">{t('till.members.noEmail')}</span>;
  return (
    <tr data-testid="member-row" data-email={member.email ?? ''} data-role={member.role} data-pin={member.hasPin} className="align-middle">
      <td className="px-5 py-3">
        <div className="font-medium text-slate-900">
          {member.name}
          {isSelf && <span className="ml-1 text-xs font-normal text-slate-500">({t('common.you')})</span>}
          {member.hasPin && (
            <span className="ml-2 rounded-full bg-teal-50 px-2 py-0.5 text-xs font-medium text-teal-700" data-testid="member-pin-badge">
              {t('till.pin.badge')}
            </span>
          )}
        </div>
        <div className="text-xs text-slate-500 sm:hidden">{email}</div>
      </td>
      <td className="hidden px-5 py-3 text-slate-600 sm:table-cell">{email}</td>
      <td className="px-5 py-3">
        {canManage ? (
          <RoleSelect
            value={member.role}
            onChange={onRoleChange}
            disabled={rolePending}
            aria-label={t('members.roleFor', { name: member.name })}
            data-testid="member-role-select"
            className="min-w-36"
          />
        ) : (
          <span className="inline-flex rounded-full bg-slate-100 px-2.5 py-0.5 text-xs font-medium text-slate-700">
            {t(`roles.${member.role}`)}
          </span>
        )}
      </td>
      <td className="hidden px-5 py-3 text-slate-500 lg:table-cell">
        {formatDateTime(member.createdAt, i18n.language)}
      </td>
      {hasActions && (
        <td className="px-5 py-3">
          <div className="flex justify-end gap-1">
            {onSetPin && (
              <Button variant="ghost" size="sm" onClick={onSetPin} title={t('till.pin.action')} data-testid="member-set-pin">
                <Hash className="size-4" aria-hidden="true" />
                <span className="sr-only">{t('till.pin.actionFor', { name: member.name })}</span>
              </Button>
            )}
            {canManage && member.email !== null && (
              <Button
                variant="ghost"
                size="sm"
                onClick={onSetPassword}
                title={t('members.setPassword')}
                data-testid="member-set-password"
              >
                <KeyRound className="size-4" aria-hidden="true" />
                <span className="sr-only">{t('members.setPasswordFor', { name: member.name })}</span>
              </Button>
            )}
            {canManage && (
              <Button
                variant="danger-ghost"
                size="sm"
                onClick={onRemove}
                title={t('members.remove')}
                data-testid="member-remove"
              >
                <Trash className="size-4" aria-hidden="true" />
                <span className="sr-only">{t('members.removeFor', { name: member.name })}</span>
              </Button>
            )}
          </div>
        </td>
      )}
    </tr>
  );
}
