import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { RequireRole } from '../../components/guards.tsx';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { Card, CardHeader, PageHeader } from '../../components/ui/Card.tsx';
import { ConfirmDialog } from '../../components/ui/ConfirmDialog.tsx';
import { PageLoader } from '../../components/ui/Spinner.tsx';
import { errorMessage } from '../../lib/api.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { useMembers } from '../../lib/companyQueries.ts';
import { removeMember, updateMemberRole } from '../../lib/endpoints.ts';
import { usePageTitle } from '../../lib/hooks.ts';
import { qk } from '../../lib/queryKeys.ts';
import { hasRole, useMe } from '../../lib/session.ts';
import { mayManagePin } from '../../lib/till.ts';
import type { Member, Role } from '../../lib/types.ts';
import { MEMBER_MANAGERS, rolesFor } from '../../nav.ts';
import { InviteMemberForm } from './InviteMemberForm.tsx';
import { MemberRow } from './MemberRow.tsx';
import { SetPasswordDialog } from './SetPasswordDialog.tsx';
import { type PinTarget, SetPinDialog } from './SetPinDialog.tsx';

function MembersTable() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { companyId, role, user } = useCompanyContext();
  const canManage = hasRole(role, MEMBER_MANAGERS);
  const members = useMembers(companyId);
  const [toRemove, setToRemove] = useState<Member | null>(null);
  const [passwordFor, setPasswordFor] = useState<Member | null>(null);
  const [pinFor, setPinFor] = useState<PinTarget | null>(null);
  // PINs need a full sign-in: not managed from a shared till.
  const inTill = Boolean(useMe().data?.till);
  const canPin = (m: Member) => !inTill && (m.userId === user.id || mayManagePin(role, m.role));
  const hasActions = canManage || (!inTill && hasRole(role, ['owner', 'manager']));

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: qk.members(companyId) });
    void queryClient.invalidateQueries({ queryKey: qk.me });
  };
  const changeRole = useMutation({
    mutationFn: (v: { userId: string; role: Role }) => updateMemberRole(companyId, v.userId, v.role),
    onSuccess: () => {
      toast.success(t('members.roleChanged'));
      refresh();
    },
    onError: (err) => {
      toast.error(errorMessage(err, t));
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (m: Member) => removeMember(companyId, m.userId),
    onSuccess: () => {
      toast.success(t('members.removed'));
      setToRemove(null);
      refresh();
    },
    onError: (err) => {
      toast.error(errorMessage(err, t));
      setToRemove(null);
    },
  });

  if (members.isPending) return <PageLoader />;
  if (members.isError) return <Alert>{errorMessage(members.error, t)}</Alert>;
  const items = members.data.pages.flatMap((p) => p.items);

  return (
    <Card data-testid="members-card">
      <CardHeader title={t('members.title')} description={canManage ? undefined : t('members.readOnly')} />
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm" data-testid="members-table">
          <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="px-5 py-2 font-medium">
                {t('members.name')}
              </th>
              <th scope="col" className="hidden px-5 py-2 font-medium sm:table-cell">
                {t('members.email')}
              </th>
              <th scope="col" className="px-5 py-2 font-medium">
                {t('members.role')}
              </th>
              <th scope="col" className="hidden px-5 py-2 font-medium lg:table-cell">
                {t('members.since')}
              </th>
              {hasActions && (
                <th scope="col" className="px-5 py-2 text-right font-medium">
                  <span className="sr-only">{t('common.actions')}</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {items.map((m) => (
              <MemberRow
                key={m.userId}
                member={m}
                isSelf={m.userId === user.id}
                canManage={canManage}
                rolePending={changeRole.isPending && changeRole.variables?.userId === m.userId}
                onRoleChange={(newRole) => changeRole.mutate({ userId: m.userId, role: newRole })}
                onSetPassword={() => setPasswordFor(m)}
                onRemove={() => setToRemove(m)}
                onSetPin={canPin(m) ? () => setPinFor({ ...m, self: m.userId === user.id }) : undefined}
                hasActions={hasActions}
              />
            ))}
          </tbody>
        </table>
        {items.length === 0 && <p className="px-5 py-8 text-center text-sm text-slate-500">{t('members.empty')}</p>}
      </div>
      {members.hasNextPage && (
        <div className="border-t border-slate-100 px-5 py-3 text-center">
          <Button variant="secondary" size="sm" loading={members.isFetchingNextPage} onClick={() => void members.fetchNextPage()}>
            {t('common.loadMore')}
          </Button>
        </div>
      )}
      <ConfirmDialog
        open={toRemove !== null}
        title={t('members.removeTitle')}
        body={t('members.removeBody', { name: toRemove?.name ?? '' })}
        confirmLabel={t('members.remove')}
        busy={remove.isPending}
        onConfirm={() => toRemove && remove.mutate(toRemove)}
        onClose={() => setToRemove(null)}
      />
      <SetPasswordDialog companyId={companyId} member={passwordFor} onClose={() => setPasswordFor(null)} />
      <SetPinDialog companyId={companyId} target={pinFor} onClose={() => setPinFor(null)} />
    </Card>
  );
}

/** /c/:companyId/members — the list for owners and managers; invitations and changes for owners. */
export function MembersPage() {
  const { t } = useTranslation();
  const { companyId, role } = useCompanyContext();
  usePageTitle('members.title');
  return (
    <RequireRole roles={rolesFor('members')}>
      <PageHeader title={t('members.title')} description={t('members.subtitle')} />
      <div className="space-y-6">
        {hasRole(role, MEMBER_MANAGERS) && <InviteMemberForm companyId={companyId} />}
        <MembersTable />
      </div>
    </RequireRole>
  );
}
