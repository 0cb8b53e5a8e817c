import type { ReactNode } from 'react';
import { currencyDigits, formatMoney } from '../../lib/money.ts';
import type { PaperFormat } from '../../lib/printing.ts';

/**
 * Building blocks of a printed document (receipt, X/Z report), laid out by the
 * `.printed` styles in index.css: 80 mm wide and monospace on a roll, A4 otherwise.
 */
export function Paper({ format, testId, children }: { format: PaperFormat; testId: string; children: ReactNode }) {
  return (
    <article className={`printed printed-${format}`} data-format={format} data-testid={testId}>
      {children}
    </article>
  );
}

export function Business({ name, address }: { name: string; address: string | null }) {
  return (
    <header className="printed-business">
      <p className="printed-business-name">{name}</p>
      {address && <p className="printed-business-address">{address}</p>}
    </header>
  );
}

export const Rule = () => <hr className="printed-rule" />;

export function Title({ children }: { children: ReactNode }) {
  return <h1 className="printed-title">{children}</h1>;
}

/** A label and its amount on one line (the amount on the last line of a long label). */
export function Row({
  label,
  value,
  strong,
  big,
  indent,
  small,
  testId,
  amount,
}: {
  label: ReactNode;
  value?: ReactNode;
  strong?: boolean;
  big?: boolean;
  indent?: boolean;
  small?: boolean;
  testId?: string;
  amount?: number;
}) {
  const cls = ['printed-row', strong && 'printed-strong', big && 'printed-big', indent && 'printed-indent', small && 'printed-small'].filter(Boolean).join(' ');
  return (
    <div className={cls} data-testid={testId} data-amount={amount}>
      <span className="printed-label">{label}</span>
      {value !== undefined && value !== '' && <span className="printed-value">{value}</span>}
    </div>
  );
}

/** Money helpers in the document's currency and the reader's language. */
export function useAmounts(currency: string, language: string) {
  const digits = currencyDigits(currency);
  const plain = new Intl.NumberFormat(language, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  let symbol = currency;
  try {
    symbol = new Intl.NumberFormat(language, { style: 'currency', currency }).formatToParts(0).find((p) => p.type === 'currency')?.value ?? currency;
  } catch {
    // an unknown currency code: shown as the code
  }
  return {
    money: (n: number) => formatMoney(n, currency, language),
    minus: (n: number) => (n > 0 ? `−${formatMoney(n, currency, language)}` : formatMoney(n, currency, language)),
    plain: (n: number) => plain.format(n / 10 ** digits),
    symbol,
  };
}

/** VAT by rate: rate, net, tax, gross (amounts without the currency, said once below). */
export function TaxTable({
  head,
  rows,
  foot,
  note,
}: {
  head: [string, string, string, string];
  rows: Array<[string, string, string, string]>;
  foot?: [string, string, string, string];
  note: string;
}) {
  return (
    <>
      <table className="printed-taxes" data-testid="printed-taxes">
        <thead>
          <tr>
            {head.map((h, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: fixed columns
              <th key={i} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r[0]}>
              {r.map((c, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: fixed columns
                <td key={i}>{c}</td>
              ))}
            </tr>
          ))}
        </tbody>
        {foot && (
          <tfoot>
            <tr>
              {foot.map((c, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: fixed columns
                <td key={i}>{c}</td>
              ))}
            </tr>
          </tfoot>
        )}
      </table>
      <p className="printed-small">{note}</p>
    </>
  );
}
