import { Hash, MonitorSmartphone } from 'lucide-react';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCompanyContext } from '../../lib/companyContext.ts';
import { hasRole, useMe } from '../../lib/session.ts';
import { SetPinDialog } from '../members/SetPinDialog.tsx';
import { EnableTillDialog } from './EnableTillDialog.tsx';

const MANAGERS = ['owner', 'manager'] as const;

/**
 * The user menu's PIN and till entries: "Mon code PIN" and, for managers, "Mode caisse
 * partagée" (neither on a shared till, where they need a full sign-in). `items` go in
 * the menu (closed with `close`), `dialogs` next to it (they outlive the menu).
 */
export function useTillMenu(itemClass: string, close: () => void): { inTill: boolean; items: ReactNode; dialogs: ReactNode } {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const { companyId, role, user } = useCompanyContext();
  const [pinOpen, setPinOpen] = useState(false);
  const [tillOpen, setTillOpen] = useState(false);
  const inTill = Boolean(me?.till);
  if (inTill) return { inTill, items: null, dialogs: null };
  const items = (
    <>
      <button
        type="button"
        className={itemClass}
        data-testid="my-pin-button"
        onClick={() => {
          close();
          setPinOpen(true);
        }}
      >
        <Hash className="size-4" aria-hidden="true" />
        {t('till.myPin')}
      </button>
      {hasRole(role, MANAGERS) && (
        <button
          type="button"
          className={itemClass}
          data-testid="enable-till-button"
          onClick={() => {
            close();
            setTillOpen(true);
          }}
        >
          <MonitorSmartphone className="size-4" aria-hidden="true" />
          {t('till.enable.menu')}
        </button>
      )}
    </>
  );
  const dialogs = (
    <>
      <SetPinDialog
        companyId={companyId}
        target={pinOpen ? { userId: user.id, name: user.name, self: true } : null}
        onClose={() => setPinOpen(false)}
      />
      <EnableTillDialog companyId={companyId} open={tillOpen} onClose={() => setTillOpen(false)} />
    </>
  );
  return { inTill, items, dialogs };
}
