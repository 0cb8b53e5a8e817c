import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { toast } from 'sonner';
import { AuthLayout } from '../../components/layout/AuthLayout.tsx';
import { Alert } from '../../components/ui/Alert.tsx';
import { Button, linkClass } from '../../components/ui/Button.tsx';
import { CurrencySelect } from '../../components/ui/CurrencySelect.tsx';
import { Field, TextInput } from '../../components/ui/Field.tsx';
import { TimezoneSelect } from '../../components/ui/TimezoneSelect.tsx';
import { browserTimezone, DEFAULT_CURRENCY, slugify } from '../../lib/company-options.ts';
import { createCompany } from '../../lib/endpoints.ts';
import { qk } from '../../lib/queryKeys.ts';
import { homePath, useMe, useSignOut } from '../../lib/session.ts';
import { useFormErrors } from '../../lib/useFormErrors.ts';

const FIELDS = ['name', 'slug', 'currency', 'timezone', 'externalRef'];
const CODE_FIELDS = { 'company.slug_taken': 'slug', 'company.external_ref_taken': 'externalRef' };

/** /companies/new — first step after registration, also reachable from the company switcher. */
export function NewCompanyPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { data: me } = useMe();
  const signOut = useSignOut();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugEdited, setSlugEdited] = useState(false);
  const [currency, setCurrency] = useState(DEFAULT_CURRENCY);
  const [timezone, setTimezone] = useState(browserTimezone);
  const [externalRef, setExternalRef] = useState('');
  const errors = useFormErrors(FIELDS, CODE_FIELDS);

  const mutation = useMutation({
    mutationFn: createCompany,
    onSuccess: async (company) => {
      await queryClient.invalidateQueries({ queryKey: qk.me });
      toast.success(t('newCompany.created'));
      navigate(`/c/${company.id}`);
    },
    onError: errors.capture,
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    errors.reset();
    mutation.mutate({
      name: name.trim(),
      slug: slug.trim() || undefined,
      currency,
      timezone,
      externalRef: externalRef.trim() || undefined,
    });
  };

  const onName = (value: string) => {
    setName(value);
    if (!slugEdited) setSlug(slugify(value));
  };

  const hasCompanies = (me?.memberships.length ?? 0) > 0;
  const footer = hasCompanies ? (
    <Link to={me ? homePath(me) : '/'} className={linkClass}>
      {t('common.backHome')}
    </Link>
  ) : (
    <button type="button" className={linkClass} onClick={() => void signOut()} data-testid="logout-button">
      {t('userMenu.logout')}
    </button>
  );

  return (
    <AuthLayout titleKey="newCompany.title" subtitleKey="newCompany.subtitle" footer={footer} wide>
      <form onSubmit={submit} noValidate className="space-y-4" data-testid="company-form">
        {errors.formError && <Alert>{errors.formError}</Alert>}
        <Field label={t('newCompany.name')} error={errors.field('name')}>
          {(c) => (
            <TextInput {...c} name="name" autoComplete="organization" value={name} onChange={(e) => onName(e.target.value)} />
          )}
        </Field>
        <Field label={t('newCompany.slug')} error={errors.field('slug')} hint={t('newCompany.slugHint')}>
          {(c) => (
            <TextInput
              {...c}
              name="slug"
              autoCapitalize="none"
              spellCheck={false}
              value={slug}
              onChange={(e) => {
                setSlugEdited(true);
                setSlug(e.target.value.toLowerCase());
              }}
            />
          )}
        </Field>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label={t('newCompany.currency')} error={errors.field('currency')}>
            {(c) => <CurrencySelect {...c} name="currency" value={currency} onChange={(e) => setCurrency(e.target.value)} />}
          </Field>
          <Field label={t('newCompany.timezone')} error={errors.field('timezone')}>
            {(c) => <TimezoneSelect {...c} name="timezone" value={timezone} onChange={(e) => setTimezone(e.target.value)} />}
          </Field>
        </div>
        <Field label={t('newCompany.externalRef')} error={errors.field('externalRef')} optional>
          {(c) => <TextInput {...c} name="externalRef" value={externalRef} onChange={(e) => setExternalRef(e.target.value)} />}
        </Field>
        <Button type="submit" className="w-full" loading={mutation.isPending} data-testid="company-submit">
          {t('newCompany.submit')}
        </Button>
      </form>
    </AuthLayout>
  );
}
