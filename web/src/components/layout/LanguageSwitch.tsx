import { Languages } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, setLanguage } from '../../i18n/index.ts';

/** FR / EN toggle; the choice is kept in localStorage (comptoir.lang). */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <fieldset className="flex items-center gap-1" data-testid="language-switch">
      <legend className="sr-only">{t('lang.label')}</legend>
      <Languages className="mr-1 size-4 text-slate-400" aria-hidden="true" />
      {LANGUAGES.map((lng) => {
        const active = i18n.language === lng;
        return (
          <button
            key={lng}
            type="button"
            lang={lng}
            onClick={() => setLanguage(lng)}
            aria-pressed={active}
            aria-label={t(`lang.${lng}`)}
            data-testid={`lang-${lng}`}
            className={`rounded-md px-2 py-1 text-xs font-semibold uppercase ${
              active ? 'bg-teal-600 text-white' : 'text-slate-600 hover:bg-slate-100'
            }`}
          >
            {lng}
          </button>
        );
      })}
    </fieldset>
  );
}
