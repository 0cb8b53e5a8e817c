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
import { useApiTokens } from '../../lib/companyQueries.ts';
import { revokeApiToken } from '../../lib/endpoints.ts';
import { usePageTitle } from '../../lib/hooks.ts';
import { qk } from '../../lib/queryKeys.ts';
import type { ApiToken, CreatedApiToken } from '../../lib/types.ts';
import { rolesFor } from '../../nav.ts';
import { CreateTokenForm } from './CreateTokenForm.tsx';
import { NewTokenPanel } from './NewTokenPanel.tsx';
import { TokensTable } from './TokensTable.tsx';

function TokensList() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { companyId } = useCompanyContext();
  const tokens = useApiTokens(companyId);
  const [toRevoke, setToRevoke] = useState<ApiToken | null>(null);
  const revoke = useMutation({
    mutationFn: (token: ApiToken) => revokeApiToken(companyId, token.id),
    onSuccess: () => {
      toast.success(t('tokens.revokedDone'));
      setToRevoke(null);
      void queryClient.invalidateQueries({ queryKey: qk.apiTokens(companyId) });
    },
    onError: (err) => {
      toast.error(errorMessage(err, t));
      setToRevoke(null);
    },
  });

  if (tokens.isPending) return <PageLoader />;
  if (tokens.isError) return <Alert>{errorMessage(tokens.error, t)}</Alert>;
  return (
    <Card>
      <CardHeader title={t('tokens.title')} />
      <TokensTable tokens={tokens.data.pages.flatMap((p) => p.items)} onRevoke={setToRevoke} />
      {tokens.hasNextPage && (
        <div className="border-t border-slate-100 px-5 py-3 text-center">
          <Button variant="secondary" size="sm" loading={tokens.isFetchingNextPage} onClick={() => void tokens.fetchNextPage()}>
            {t('common.loadMore')}
          </Button>
        </div>
      )}
      <ConfirmDialog
        open={toRevoke !== null}
        title={t('tokens.revokeTitle')}
        body={t('tokens.revokeBody', { name: toRevoke?.name ?? '' })}
        confirmLabel={t('tokens.revoke')}
        busy={revoke.isPending}
        onConfirm={() => toRevoke && revoke.mutate(toRevoke)}
        onClose={() => setToRevoke(null)}
      />
    </Card>
  );
}

/** /c/:companyId/tokens — owners only. */
export function TokensPage() {
  const { t } = useTranslation();
  const { companyId } = useCompanyContext();
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  usePageTitle('tokens.title');
  return (
    <RequireRole roles={rolesFor('tokens')}>
      <PageHeader title={t('tokens.title')} description={t('tokens.subtitle')} />
      <div className="space-y-6">
        {created ? (
          <NewTokenPanel token={created} onDone={() => setCreated(null)} />
        ) : (
          <CreateTokenForm companyId={companyId} onCreated={setCreated} />
        )}
        <TokensList />
      </div>
    </RequireRole>
  );
}
