import { useMutation, useQueryClient } from '@tanstack/react-query';
import { MonitorSmartphone, UserRoundCog } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { toast } from 'sonner';
import { Button } from '../../components/ui/Button.tsx';
import { ConfirmDialog } from '../../components/ui/ConfirmDialog.tsx';
import { errorMessage } from '../../lib/api.ts';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { DESKTOP_QUERY, useMediaQuery } from '../../lib/hooks.ts';
import { hasRole, useMe } from '../../lib/session.ts';
import { disableTill, lockTill, padPath, useTillState } from '../../lib/till.ts';

const MANAGERS = ['owner', 'manager'] as const;

/**
 * On a shared till: who acts, always in view at the top of the page, with
 * "Changer d'utilisateur" (back to the PIN pad) and, for a manager acting on it,
 * "Quitter le mode caisse". Renders nothing on an ordinary device.
 */
export function TillBar() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const { companyId, user, role } = useCompanyContext();
  const isDesktop = useMediaQuery(DESKTOP_QUERY);
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const inTill = me?.till?.companyId === companyId;
  const state = useTillState(companyId, inTill);
  const [confirmExit, setConfirmExit] = useState(false);

  const change = useMutation({
    mutationFn: () => lockTill(companyId),
    onSettled: () => {
      // Whatever the answer (offline too), the next person starts from the pad with nothing of this one cached.
      queryClient.removeQueries();
      navigate(padPath(companyId, location.pathname + location.search), { replace: true });
    },
  });
  const exit = useMutation({
    mutationFn: () => disableTill(companyId),
    onSuccess: () => window.location.replace('/login'),
    onError: (err) => {
      setConfirmExit(false);
      toast.error(errorMessage(err, t));
    },
  });

  if (!inTill) return null;
  return (
    <div
      className={`sticky z-10 flex flex-wrap items-center gap-x-3 gap-y-2 border-b border-teal-800 bg-teal-700 px-4 py-2 text-white sm:px-6 lg:px-8 ${isDesktop ? 'top-0' : 'top-14'}`}
      data-testid="till-bar"
    >
      <MonitorSmartphone className="size-5 shrink-0" aria-hidden="true" />
      <span className="text-sm text-teal-100">
        {t('till.bar.label')}
        {state.data?.till ? ` · ${state.data.till.label}` : ''}
      </span>
      <span className="min-w-0 flex-1 truncate text-base font-semibold" data-testid="till-acting">
        {user.name}
        <span className="ml-2 text-xs font-normal text-teal-100">{t(`roles.${role}`)}</span>
      </span>
      <Button
        size="sm"
        variant="secondary"
        icon={<UserRoundCog className="size-4" aria-hidden="true" />}
        loading={change.isPending}
        onClick={() => change.mutate()}
        data-testid="till-change-user"
      >
        {t('till.bar.changeUser')}
      </Button>
      {hasRole(role, MANAGERS) && (
        <button
          type="button"
          className="h-8 rounded-lg px-3 text-sm font-medium text-white underline-offset-2 hover:bg-teal-600 hover:underline"
          onClick={() => setConfirmExit(true)}
          data-testid="till-exit"
        >
          {t('till.bar.exit')}
        </button>
      )}
      <ConfirmDialog
        open={confirmExit}
        title={t('till.bar.exitTitle')}
        body={t('till.bar.exitBody')}
        confirmLabel={t('till.bar.exit')}
        busy={exit.isPending}
        onConfirm={() => exit.mutate()}
        onClose={() => setConfirmExit(false)}
      />
    </div>
  );
}
