import { CircleAlert, CircleCheck, Info, TriangleAlert, X } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { CartMessage, MessageLevel } from '../../lib/shop.ts';

const tones: Record<MessageLevel, string> = {
  success: 'border-emerald-300 bg-emerald-50 text-emerald-900',
  warning: 'border-orange-300 bg-orange-50 text-orange-900',
  error: 'border-red-300 bg-red-50 text-red-900',
  info: 'border-blue-300 bg-blue-50 text-blue-900',
};
const icons = { success: CircleCheck, warning: TriangleAlert, error: CircleAlert, info: Info };

/** One server message in the seed's wording: `shop.messages.<code>` with its params. */
export function CartMessageText({ message }: { message: CartMessage }) {
  const { t } = useTranslation();
  return <>{t(`shop.messages.${message.code}`, { ...message.params, defaultValue: message.code })}</>;
}

/** The notices of the last answer: green success, orange warning, red error, blue info. */
export function CartMessages({ messages, onDismiss }: { messages: CartMessage[]; onDismiss?: () => void }) {
  const { t } = useTranslation();
  if (!messages.length) return null;
  return (
    <div className="flex items-start gap-2" aria-live="polite">
      <ul className="min-w-0 flex-1 space-y-2">
        {messages.map((m, i) => {
          const level = tones[m.level] ? m.level : 'info';
          const Icon = icons[level];
          return (
            <li
              // biome-ignore lint/suspicious/noArrayIndexKey: messages have no id; the list is replaced as a whole
              key={`${m.code}-${i}`}
              role={level === 'error' ? 'alert' : 'status'}
              className={`flex items-start gap-2 rounded-lg border px-3 py-2 text-sm ${tones[level]}`}
              data-testid="cart-message"
              data-level={m.level}
              data-code={m.code}
            >
              <Icon className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
              <span className="min-w-0">
                <CartMessageText message={m} />
              </span>
            </li>
          );
        })}
      </ul>
      {onDismiss && (
        <button
          type="button"
          onClick={onDismiss}
          className="rounded-md p-1 text-slate-500 hover:bg-slate-100"
          aria-label={t('shop.dismiss')}
          title={t('shop.dismiss')}
        >
          <X className="size-4" aria-hidden="true" />
        </button>
      )}
    </div>
  );
}
