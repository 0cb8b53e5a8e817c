import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { useCompanyContext } from '../lib/companyContext.ts';
import { qk } from '../lib/queryKeys.ts';
import { hasRole } from '../lib/session.ts';
import { rolesFor, STOCK_MANAGERS } from '../nav.ts';
import { useStreamEvents } from './LiveStreamProvider.tsx';

/** Events that change a product's on-hand, held or available quantity. */
export const STOCK_EVENTS = ['low_stock', 'loss_reported', 'hold_placed', 'hold_released', 'hold_expired'] as const;

/** A burst of holds (a live sale) refetches the catalog once, not once per event. */
const COALESCE_MS = 250;

type LowStockData = { productId?: string; name?: string; available?: number; threshold?: number };

/**
 * Mounted once in the company layout: keeps the products queries fresh while
 * holds come and go, and warns cashiers when a product runs low (owners and managers
 * get it as a notification, which NotificationsLiveSync pops up; servers not at all).
 */
export function CatalogLiveSync() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { companyId, role } = useCompanyContext();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const warns = hasRole(role, rolesFor('products')) && !hasRole(role, STOCK_MANAGERS);

  useEffect(() => () => clearTimeout(timer.current), []);

  useStreamEvents(STOCK_EVENTS, (frame) => {
    if (timer.current === undefined) {
      timer.current = setTimeout(() => {
        timer.current = undefined;
        void queryClient.invalidateQueries({ queryKey: qk.products(companyId) });
      }, COALESCE_MS);
    }
    if (frame.type === 'low_stock' && warns) {
      const data = (frame.data ?? {}) as LowStockData;
      toast.warning(t('products.live.lowStock', { name: data.name ?? '', available: data.available ?? 0 }), {
        id: `low-stock-${data.productId ?? frame.position ?? frame.receivedAt}`,
      });
    }
  });
  return null;
}
