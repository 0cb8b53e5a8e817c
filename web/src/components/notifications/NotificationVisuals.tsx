import {
  Armchair,
  Banknote,
  Bell,
  ChefHat,
  Clock,
  CreditCard,
  FileText,
  type LucideIcon,
  PackageMinus,
  PackageX,
  ServerCrash,
  Timer,
  TriangleExclamationPoint,
  Undo2,
} from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { NotificationPriority } from '../../lib/types.ts';

const TYPE_ICONS: Record<string, LucideIcon> = {
  table_freed: Armchair,
  table_occupied_long: Timer,
  low_stock: PackageMinus,
  loss_reported: PackageX,
  large_sale: Banknote,
  refund_pending: Undo2,
  session_long: Clock,
  payment_failed: CreditCard,
  payment_issue: TriangleExclamationPoint,
  daily_summary: FileText,
  system_error: ServerCrash,
  order_ready: ChefHat,
};

/** Icon tile colours by priority. */
const ICON_TONES: Record<NotificationPriority, string> = {
  low: 'bg-slate-100 text-slate-500',
  medium: 'bg-sky-100 text-sky-700',
  high: 'bg-amber-100 text-amber-700',
  urgent: 'bg-red-100 text-red-700',
};

const BADGE_TONES: Record<NotificationPriority, string> = {
  low: 'bg-slate-100 text-slate-600 ring-slate-200',
  medium: 'bg-sky-50 text-sky-700 ring-sky-200',
  high: 'bg-amber-50 text-amber-800 ring-amber-200',
  urgent: 'bg-red-50 text-red-700 ring-red-200',
};

export function NotificationTypeIcon({ type, priority }: { type: string; priority: NotificationPriority }) {
  const Icon = TYPE_ICONS[type] ?? Bell;
  return (
    <span
      className={`flex size-8 shrink-0 items-center justify-center rounded-full ${ICON_TONES[priority] ?? ICON_TONES.medium}`}
      aria-hidden="true"
    >
      <Icon className="size-4" />
    </span>
  );
}

export function PriorityBadge({ priority }: { priority: NotificationPriority }) {
  const { t } = useTranslation();
  return (
    <span
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${BADGE_TONES[priority] ?? BADGE_TONES.medium}`}
      data-testid="notification-priority"
      data-priority={priority}
    >
      {t(`notificationCenter.priorities.${priority}`)}
    </span>
  );
}

/** A small dot marking an unread notification. */
export function UnreadDot() {
  const { t } = useTranslation();
  return (
    <span className="size-2 shrink-0 rounded-full bg-teal-500" title={t('notificationCenter.unread')}>
      <span className="sr-only">{t('notificationCenter.unread')}</span>
    </span>
  );
}

/** "3", or "99+" above 99. */
export function badgeLabel(unread: number): string {
  return unread > 99 ? '99+' : String(unread);
}
