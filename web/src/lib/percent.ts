/** Rates are integers in basis points (1800 = 18 %); people type them in percent. */

/** "18", "5,5" or "5.5 %" → basis points; null when empty or invalid (more than two decimals too). */
export function parsePercentInput(text: string): number | null {
  const cleaned = text.replace(/[\s\u00a0\u202f%]/g, '').replace(',', '.');
  if (cleaned === '' || !/^\d+(\.\d{1,2})?$/.test(cleaned)) return null;
  return Math.round(Number(cleaned) * 100);
}

/** Basis points → the plain number shown in an input ("18", "5.5"). */
export function percentInputValue(basisPoints: number | null | undefined): string {
  if (basisPoints === null || basisPoints === undefined) return '';
  return String(basisPoints / 100);
}

/** Basis points → "18 %" in the UI language. */
export function formatPercent(basisPoints: number, locale: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(basisPoints / 10_000);
  } catch {
    return `${basisPoints / 100} %`;
  }
}
