import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation, useSearchParams } from 'react-router';
import { type ApiError, errorMessage } from '../lib/api.ts';
import { useCompanyContext } from '../lib/companyContext.ts';
import { hasRole, homePath, useMe } from '../lib/session.ts';
import { isTillStop, padPath } from '../lib/till.ts';
import type { Role } from '../lib/types.ts';
import { Alert } from './ui/Alert.tsx';
import { Button } from './ui/Button.tsx';
import { Card, CardBody } from './ui/Card.tsx';
import { PageLoader } from './ui/Spinner.tsx';

/** Only same-app paths are accepted as ?next= targets. */
export function safeNext(next: string | null): string | null {
  return next?.startsWith('/') && !next.startsWith('//') ? next : null;
}

function LoadError({ error, retry }: { error: unknown; retry: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-3 p-6">
      <Alert>{errorMessage(error, t)}</Alert>
      <Button variant="secondary" onClick={retry}>
        {t('common.retry')}
      </Button>
    </div>
  );
}

/** A shared till where nobody acts goes to its PIN pad (and comes back to where it was). */
function TillPad({ error, next }: { error: ApiError; next?: string }) {
  return <Navigate to={padPath(String(error.params.companyId ?? ''), next)} replace />;
}

/** Pages for signed-in users; others go to /login?next=… */
export function RequireAuth() {
  const me = useMe();
  const location = useLocation();
  if (isTillStop(me.error)) return <TillPad error={me.error} next={location.pathname + location.search} />;
  if (me.isPending) return <PageLoader fullScreen />;
  if (me.isError && me.data === undefined) return <LoadError error={me.error} retry={() => void me.refetch()} />;
  if (!me.data) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  return <Outlet />;
}

/** Sign-in and registration: a signed-in user goes straight to ?next= or their home. */
export function PublicOnly() {
  const me = useMe();
  const [params] = useSearchParams();
  if (me.isPending) return <PageLoader fullScreen />;
  if (me.data) return <Navigate to={safeNext(params.get('next')) ?? homePath(me.data)} replace />;
  return <Outlet />;
}

/** "/" → sign-in, company creation or the last company used. */
export function RootRedirect() {
  const me = useMe();
  if (isTillStop(me.error)) return <TillPad error={me.error} />;
  if (me.isPending) return <PageLoader fullScreen />;
  if (me.isError && me.data === undefined) return <LoadError error={me.error} retry={() => void me.refetch()} />;
  return <Navigate to={me.data ? homePath(me.data) : '/login'} replace />;
}

/** Shows a refusal instead of the page when the role may not use it. */
export function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const { t } = useTranslation();
  const { role } = useCompanyContext();
  if (hasRole(role, roles)) return <>{children}</>;
  return (
    <Card data-testid="forbidden">
      <CardBody>
        <h1 className="text-lg font-semibold">{t('access.forbiddenTitle')}</h1>
        <p className="mt-1 text-sm text-slate-600">{t('access.forbidden')}</p>
      </CardBody>
    </Card>
  );
}
