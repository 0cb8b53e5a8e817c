import { Lock, Volume2 } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { NotificationTypeIcon } from '../../components/notifications/NotificationVisuals.tsx';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { Card, CardBody, CardHeader } from '../../components/ui/Card.tsx';
import { errorMessage } from '../../lib/api.ts';
import { useSaveNotificationPreferences } from '../../lib/notificationQueries.ts';
import { playBeep } from '../../lib/sound.ts';
import { NOTIFICATION_TYPES, type NotificationPreferences, URGENT_NOTIFICATION_TYPES } from '../../lib/types.ts';

type Props = { companyId: string; preferences: NotificationPreferences };

const checkbox = 'mt-0.5 size-4 shrink-0 rounded border-slate-300 accent-teal-600';

/** A labelled on/off setting with its explanation. */
function Toggle(props: { name: string; label: string; hint: string; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <label className="flex cursor-pointer items-start gap-3">
      <input
        type="checkbox"
        name={props.name}
        checked={props.checked}
        onChange={(e) => props.onChange(e.target.checked)}
        className={checkbox}
        data-testid={`notification-pref-${props.name}`}
      />
      <span>
        <span className="block text-sm font-medium text-slate-800">{props.label}</span>
        <span className="block text-xs text-slate-500">{props.hint}</span>
      </span>
    </label>
  );
}

/** Mute types (no toast, no sound; still listed and counted), sound, daily summary e-mail. */
export function NotificationPreferencesForm({ companyId, preferences }: Props) {
  const { t } = useTranslation();
  const [muted, setMuted] = useState(() => new Set(preferences.mutedTypes));
  const [sound, setSound] = useState(preferences.sound);
  const [emailDailySummary, setEmail] = useState(preferences.emailDailySummary);
  const save = useSaveNotificationPreferences(companyId);

  const toggleMute = (type: string, on: boolean) =>
    setMuted((prev) => {
      const next = new Set(prev);
      if (on) next.add(type);
      else next.delete(type);
      return next;
    });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const mutedTypes = [...muted].filter((type) => !URGENT_NOTIFICATION_TYPES.includes(type));
    save.mutate(
      { mutedTypes, sound, emailDailySummary },
      {
        onSuccess: (saved) => {
          setMuted(new Set(saved.mutedTypes));
          setSound(saved.sound);
          setEmail(saved.emailDailySummary);
          toast.success(t('notificationCenter.preferences.saved'));
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate className="space-y-6" data-testid="notification-preferences-form">
      {save.isError && <Alert>{errorMessage(save.error, t)}</Alert>}
      <Card>
        <CardHeader
          title={t('notificationCenter.preferences.mutedTitle')}
          description={t('notificationCenter.preferences.mutedHint')}
        />
        <ul className="divide-y divide-slate-100">
          {NOTIFICATION_TYPES.map((type) => {
            const urgent = URGENT_NOTIFICATION_TYPES.includes(type);
            return (
              <li key={type} className="flex items-center gap-3 px-5 py-3" data-testid="notification-pref-type" data-type={type}>
                <NotificationTypeIcon type={type} priority={urgent ? 'urgent' : 'low'} />
                <span className="min-w-0 flex-1">
                  <span className="block text-sm font-medium text-slate-800">{t(`events.${type}`)}</span>
                  {urgent && (
                    <span className="flex items-center gap-1 text-xs text-slate-500" data-testid="notification-pref-urgent">
                      <Lock className="size-3" aria-hidden="true" />
                      {t('notificationCenter.preferences.urgentLocked')}
                    </span>
                  )}
                </span>
                <label className={`flex items-center gap-2 text-sm ${urgent ? 'text-slate-400' : 'cursor-pointer text-slate-700'}`}>
                  <input
                    type="checkbox"
                    name={`mute-${type}`}
                    checked={!urgent && muted.has(type)}
                    disabled={urgent}
                    onChange={(e) => toggleMute(type, e.target.checked)}
                    className="size-4 rounded border-slate-300 accent-teal-600"
                    data-testid={`notification-mute-${type}`}
                    aria-label={t('notificationCenter.preferences.muteType', { type: t(`events.${type}`) })}
                  />
                  <span aria-hidden="true">{t('notificationCenter.preferences.mute')}</span>
                </label>
              </li>
            );
          })}
        </ul>
      </Card>
      <Card>
        <CardHeader title={t('notificationCenter.preferences.otherTitle')} />
        <CardBody className="space-y-4">
          <div className="flex flex-wrap items-start justify-between gap-3">
            <Toggle
              name="sound"
              label={t('notificationCenter.preferences.sound')}
              hint={t('notificationCenter.preferences.soundHint')}
              checked={sound}
              onChange={setSound}
            />
            <Button
              variant="ghost"
              size="sm"
              onClick={() => playBeep()}
              icon={<Volume2 className="size-4" aria-hidden="true" />}
              data-testid="notification-sound-test"
            >
              {t('notificationCenter.preferences.soundTest')}
            </Button>
          </div>
          <Toggle
            name="emailDailySummary"
            label={t('notificationCenter.preferences.emailDailySummary')}
            hint={t('notificationCenter.preferences.emailDailySummaryHint')}
            checked={emailDailySummary}
            onChange={setEmail}
          />
        </CardBody>
      </Card>
      <div className="flex justify-end">
        <Button type="submit" loading={save.isPending} data-testid="notification-preferences-save">
          {t('common.save')}
        </Button>
      </div>
    </form>
  );
}
