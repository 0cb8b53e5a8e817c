import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { Card, CardBody, CardHeader } from '../../components/ui/Card.tsx';
import { Field, TextInput } from '../../components/ui/Field.tsx';
import { RoleSelect } from '../../components/ui/RoleSelect.tsx';
import { createApiToken } from '../../lib/endpoints.ts';
import { qk } from '../../lib/queryKeys.ts';
import type { CreatedApiToken, Role } from '../../lib/types.ts';
import { useFormErrors } from '../../lib/useFormErrors.ts';

const FIELDS = ['name', 'role'];

export function CreateTokenForm({ companyId, onCreated }: { companyId: string; onCreated: (t: CreatedApiToken) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('cashier');
  const errors = useFormErrors(FIELDS);
  const mutation = useMutation({
    mutationFn: () => createApiToken(companyId, { name: name.trim(), role }),
    onSuccess: (created) => {
      setName('');
      onCreated(created);
      void queryClient.invalidateQueries({ queryKey: qk.apiTokens(companyId) });
    },
    onError: errors.capture,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    errors.reset();
    mutation.mutate();
  };

  return (
    <Card>
      <CardHeader title={t('tokens.create.title')} />
      <CardBody>
        <form onSubmit={submit} noValidate className="space-y-4" data-testid="create-token-form">
          {errors.formError && <Alert>{errors.formError}</Alert>}
          <div className="grid gap-4 sm:grid-cols-[1fr_14rem_auto] sm:items-start">
            <Field label={t('tokens.create.name')} error={errors.field('name')}>
              {(c) => <TextInput {...c} name="name" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} />}
            </Field>
            <Field label={t('tokens.create.role')} error={errors.field('role')}>
              {(c) => <RoleSelect {...c} name="role" value={role} onChange={setRole} />}
            </Field>
            <Button
              type="submit"
              className="sm:mt-6"
              loading={mutation.isPending}
              icon={<Plus className="size-4" aria-hidden="true" />}
              data-testid="create-token-submit"
            >
              {t('tokens.create.submit')}
            </Button>
          </div>
        </form>
      </CardBody>
    </Card>
  );
}
