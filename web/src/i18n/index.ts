import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { PublicMessages } from './fr-public.ts';
import type { Messages } from './fr.ts';

export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_STORAGE_KEY = 'comptoir.lang';

function storedLanguage(): Language {
  try {
    const saved = localStorage.getItem(LANGUAGE_STORAGE_KEY);
    if (saved && (LANGUAGES as readonly string[]).includes(saved)) return saved as Language;
  } catch {
    // storage unavailable: default language
  }
  return 'fr';
}

/**
 * Each language is its own chunk, and so is the part the public pages need: a shop
 * visit or a QR payment (/shop/…, /pay/…) loads only that (`fr-public.ts`), the
 * staff app the whole dictionary.
 */
const publicDictionaries: Record<Language, () => Promise<PublicMessages>> = {
  fr: () => import('./fr-public.ts').then((m) => m.frPublic),
  en: () => import('./en-public.ts').then((m) => m.enPublic),
};
const fullDictionaries: Record<Language, () => Promise<Messages>> = {
  fr: () => import('./fr.ts').then((m) => m.fr),
  en: () => import('./en.ts').then((m) => m.en),
};
let scope: 'public' | 'full' = /^\/(shop|pay|r)\//.test(window.location.pathname) ? 'public' : 'full';
const loaded = new Set<string>();

async function ensureLoaded(lng: Language): Promise<void> {
  const key = `${lng}:${scope}`;
  if (loaded.has(key)) return;
  const dictionary = scope === 'full' ? await fullDictionaries[lng]() : await publicDictionaries[lng]();
  i18n.addResourceBundle(lng, 'translation', dictionary, true, true);
  loaded.add(key);
}

/** Staff routes call this before rendering: the whole dictionary of the current language. */
export async function loadFullDictionary(): Promise<void> {
  scope = 'full';
  await ensureLoaded(currentLanguage());
}

void i18n.use(initReactI18next).init({
  resources: {},
  lng: storedLanguage(),
  fallbackLng: 'fr',
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false },
  initAsync: false,
  react: { useSuspense: false },
});

document.documentElement.lang = i18n.language;
i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
  try {
    localStorage.setItem(LANGUAGE_STORAGE_KEY, lng);
  } catch {
    // ignore
  }
});

export function currentLanguage(): Language {
  return (LANGUAGES as readonly string[]).includes(i18n.language) ? (i18n.language as Language) : 'fr';
}

export function setLanguage(lng: Language) {
  void ensureLoaded(lng).then(() => i18n.changeLanguage(lng));
}

/** Resolves once the dictionary of the starting language is there (render after it). */
export const i18nReady: Promise<void> = ensureLoaded(storedLanguage());

export default i18n;
