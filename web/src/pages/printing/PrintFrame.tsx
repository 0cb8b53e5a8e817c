import { ArrowLeft, Download, Printer } from 'lucide-react';
import { type ReactNode, useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { Button, buttonClass, linkClass } from '../../components/ui/Button.tsx';
import { PAPER_FORMATS, type PaperFormat, paperFormat } from '../../lib/printing.ts';

/** The paper format of the page (?format=80mm|a4, 80 mm unless asked), and a way to change it. */
export function usePaperFormat(): [PaperFormat, (f: PaperFormat) => void] {
  const [params, setParams] = useSearchParams();
  const format = paperFormat(params.get('format'));
  return [
    format,
    (f) =>
      setParams(
        (p) => {
          p.set('format', f);
          return p;
        },
        { replace: true },
      ),
  ];
}

/**
 * The printer's page: A4 with margins, or an 80 mm roll without margins as long as
 * the receipt (measured as it renders, like the PDF). Only while this page is shown.
 */
function usePageRule(format: PaperFormat, paper: React.RefObject<HTMLDivElement | null>) {
  useLayoutEffect(() => {
    const style = document.createElement('style');
    style.dataset.printPage = format;
    document.head.appendChild(style);
    const update = () => {
      if (format === 'a4') {
        style.textContent = '@page { size: A4; margin: 12mm; }';
        return;
      }
      const px = paper.current?.getBoundingClientRect().height ?? 0;
      const mm = Math.max(40, Math.ceil((px * 25.4) / 96) + 2);
      style.textContent = `@page { size: 80mm ${mm}mm; margin: 0; }`;
    };
    update();
    const observer = new ResizeObserver(update);
    if (paper.current) observer.observe(paper.current);
    document.body.classList.add('print-document');
    return () => {
      observer.disconnect();
      style.remove();
      document.body.classList.remove('print-document');
    };
  }, [format, paper]);
}

/**
 * A printable document on screen: a toolbar (back, format, print, PDF) that is not
 * printed, and the document as it will come out of the printer.
 */
export function PrintFrame({
  format,
  onFormat,
  pdfUrl,
  back,
  children,
}: {
  format: PaperFormat;
  onFormat: (f: PaperFormat) => void;
  pdfUrl: string | null;
  back?: { to: string; label: string };
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const paper = useRef<HTMLDivElement>(null);
  usePageRule(format, paper);

  return (
    <div className="print-stage" data-testid="print-page" data-format={format}>
      <div className="print-toolbar" data-testid="print-toolbar">
        {back && (
          <Link to={back.to} className={`${linkClass} inline-flex items-center gap-1 text-sm`}>
            <ArrowLeft className="size-4" aria-hidden="true" />
            {back.label}
          </Link>
        )}
        <fieldset className="inline-flex rounded-lg border border-slate-300 bg-white p-0.5 shadow-sm">
          <legend className="sr-only">{t('printed.format')}</legend>
          {PAPER_FORMATS.map((f) => (
            <button
              key={f}
              type="button"
              aria-pressed={format === f}
              onClick={() => onFormat(f)}
              className={`h-8 rounded-md px-3 text-sm font-medium ${format === f ? 'bg-teal-600 text-white' : 'text-slate-700 hover:bg-slate-100'}`}
              data-testid={`print-format-${f}`}
            >
              {t(`printed.formats.${f}`)}
            </button>
          ))}
        </fieldset>
        <Button icon={<Printer className="size-4" aria-hidden="true" />} onClick={() => window.print()} data-testid="print-button">
          {t('printed.print')}
        </Button>
        {pdfUrl && (
          <a href={pdfUrl} download className={buttonClass('secondary')} data-testid="print-pdf">
            <Download className="size-4" aria-hidden="true" />
            {t('printed.pdf')}
          </a>
        )}
      </div>
      <div ref={paper} className="print-paper">
        {children}
      </div>
    </div>
  );
}
