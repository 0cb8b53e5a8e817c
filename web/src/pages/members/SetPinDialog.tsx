import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { Field, PasswordInput } from '../../components/ui/Field.tsx';
import { Modal } from '../../components/ui/Modal.tsx';
import { qk } from '../../lib/queryKeys.ts';
import { clearMemberPin, clearMyPin, PIN_PATTERN, setMemberPin, setMyPin } from '../../lib/till.ts';
import { useFormErrors } from '../../lib/useFormErrors.ts';

const FIELDS = ['pin'];
const CODE_FIELDS = { 'member.pin_taken': 'pin' };

export type PinTarget = { userId: string; name: string; hasPin?: boolean; self?: boolean };

/**
 * Sets or clears a PIN (4–6 digits, unique in the company): a colleague's
 * (PUT …/members/{userId}/pin, owners and managers) or one's own (PUT …/me/pin).
 */
export function SetPinDialog({ companyId, target, onClose }: { companyId: string; target: PinTarget | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [pin, setPin] = useState('');
  const errors = useFormErrors(FIELDS, CODE_FIELDS);
  const close = () => {
    setPin('');
    errors.reset();
    onClose();
  };
  const done = (message: string) => {
    toast.success(message);
    void queryClient.invalidateQueries({ queryKey: qk.members(companyId) });
    close();
  };
  const save = useMutation({
    mutationFn: (m: PinTarget) => (m.self ? setMyPin(companyId, pin) : setMemberPin(companyId, m.userId, pin)),
    onSuccess: () => done(t('till.pin.saved')),
    onError: errors.capture,
  });
  const clear = useMutation({
    mutationFn: (m: PinTarget) => (m.self ? clearMyPin(companyId) : clearMemberPin(companyId, m.userId)),
    onSuccess: () => done(t('till.pin.cleared')),
    onError: errors.capture,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    errors.reset();
    if (!PIN_PATTERN.test(pin)) {
      errors.setField('pin', t('till.pin.hint'));
      return;
    }
    if (target) save.mutate(target);
  };

  return (
    <Modal
      open={target !== null}
      onClose={close}
      title={target?.self ? t('till.pin.myTitle') : t('till.pin.title', { name: target?.name ?? '' })}
      testId="set-pin-dialog"
    >
      <form onSubmit={submit} noValidate className="space-y-4" data-testid="set-pin-form">
        {errors.formError && <Alert>{errors.formError}</Alert>}
        <Field label={t('till.pin.label')} error={errors.field('pin')} hint={t('till.pin.hint')}>
          {(c) => (
            <PasswordInput
              {...c}
              name="pin"
              inputMode="numeric"
              autoComplete="off"
              maxLength={6}
              value={pin}
              onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
              data-testid="pin-input"
            />
          )}
        </Field>
        <div className="flex flex-wrap justify-end gap-2">
          {(target?.hasPin || target?.self) && (
            <Button
              variant="danger-ghost"
              className="mr-auto"
              loading={clear.isPending}
              onClick={() => {
                errors.reset();
                if (target) clear.mutate(target);
              }}
              data-testid="pin-clear"
            >
              {t('till.pin.clear')}
            </Button>
          )}
          <Button variant="secondary" onClick={close}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} data-testid="pin-submit">
            {t('common.save')}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
