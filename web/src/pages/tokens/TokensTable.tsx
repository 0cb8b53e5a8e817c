import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/Button.tsx';
import { formatDateTime } from '../../lib/format.ts';
import type { ApiToken } from '../../lib/types.ts';

export function TokensTable({ tokens, onRevoke }: { tokens: ApiToken[]; onRevoke: (token: ApiToken) => void }) {
  const { t, i18n } = useTranslation();
  const th = 'px-5 py-2 font-medium';
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="tokens-table">
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className={th}>
              {t('tokens.name')}
            </th>
            <th scope="col" className={th}>
              {t('tokens.role')}
            </th>
            <th scope="col" className={`hidden md:table-cell ${th}`}>
              {t('tokens.prefix')}
            </th>
            <th scope="col" className={`hidden lg:table-cell ${th}`}>
              {t('tokens.createdAt')}
            </th>
            <th scope="col" className={`hidden lg:table-cell ${th}`}>
              {t('tokens.lastUsedAt')}
            </th>
            <th scope="col" className={th}>
              {t('tokens.status')}
            </th>
            <th scope="col" className={th}>
              <span className="sr-only">{t('common.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {tokens.map((token) => (
            <tr key={token.id} data-testid="token-row" data-token-id={token.id} className={token.revokedAt ? 'text-slate-400' : ''}>
              <td className="px-5 py-3 font-medium">{token.name}</td>
              <td className="px-5 py-3">{t(`roles.${token.role}`)}</td>
              <td className="hidden px-5 py-3 font-mono text-xs md:table-cell">{token.prefix}…</td>
              <td className="hidden px-5 py-3 lg:table-cell">{formatDateTime(token.createdAt, i18n.language)}</td>
              <td className="hidden px-5 py-3 lg:table-cell">
                {token.lastUsedAt ? formatDateTime(token.lastUsedAt, i18n.language) : t('common.never')}
              </td>
              <td className="px-5 py-3">
                <span
                  className={`inline-flex rounded-full px-2.5 py-0.5 text-xs font-medium ${
                    token.revokedAt ? 'bg-slate-100 text-slate-500' : 'bg-emerald-50 text-emerald-700'
                  }`}
                >
                  {token.revokedAt ? t('tokens.revoked') : t('tokens.active')}
                </span>
              </td>
              <td className="px-5 py-3 text-right">
                {!token.revokedAt && (
                  <Button
                    variant="danger-ghost"
                    size="sm"
                    onClick={() => onRevoke(token)}
                    aria-label={t('tokens.revokeFor', { name: token.name })}
                    data-testid="token-revoke"
                  >
                    {t('tokens.revoke')}
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {tokens.length === 0 && <p className="px-5 py-8 text-center text-sm text-slate-500">{t('tokens.empty')}</p>}
    </div>
  );
}
