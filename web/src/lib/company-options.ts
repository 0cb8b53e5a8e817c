/** Choices offered when creating or editing a company. */

export const CURRENCIES = ['XOF', 'EUR', 'USD', 'GNF', 'XAF', 'MAD'] as const;
export const DEFAULT_CURRENCY = 'XOF';

export const COMMON_TIMEZONES = [
  'Africa/Abidjan',
  'Africa/Dakar',
  'Africa/Bamako',
  'Africa/Conakry',
  'Africa/Lome',
  'Africa/Douala',
  'Africa/Lagos',
  'Africa/Casablanca',
  'Europe/Paris',
  'Europe/Brussels',
  'America/Montreal',
  'UTC',
];

export function browserTimezone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'Africa/Abidjan';
  } catch {
    return 'Africa/Abidjan';
  }
}

export function allTimezones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return COMMON_TIMEZONES;
  }
}

/** "Le Maquis d'Été" → "le-maquis-d-ete", matching the server's slug pattern. */
export function slugify(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/g, '');
}
