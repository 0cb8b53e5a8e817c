import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';

/**
 * A printed document as a list of blocks, laid out on an 80 mm roll (226.77 pt wide,
 * as tall as its content: measured first, then sized) or on A4. Blocks know nothing
 * of receipts or reports; documents.ts turns those into blocks.
 */
export type Block =
  | { t: 'title'; text: string; size?: 'xl' | 'l' }
  | { t: 'text'; text: string; align?: 'left' | 'center'; bold?: boolean; small?: boolean }
  | { t: 'row'; left: string; right: string; bold?: boolean; big?: boolean; indent?: boolean; small?: boolean }
  | { t: 'table'; head: string[]; rows: string[][]; foot?: string[] }
  | { t: 'rule' }
  | { t: 'space' }
  | { t: 'qr'; url: string };

export type PaperFormat = '80mm' | 'a4';

/** 80 mm in points (72 pt per inch). */
export const ROLL_WIDTH = (80 / 25.4) * 72;
const A4: [number, number] = [595.28, 841.89];
/** The tallest page PDF readers accept (200 in); a longer roll continues on a second page. */
const MAX_HEIGHT = 14_400;

interface Style {
  width: number;
  margin: number;
  regular: string;
  bold: string;
  size: number;
  small: number;
  title: number;
  xl: number;
  qr: number;
  gap: number;
}

const STYLES: Record<PaperFormat, Style> = {
  // A thermal roll prints about 42 columns of a monospace font at this size.
  '80mm': { width: ROLL_WIDTH, margin: 10, regular: 'Courier', bold: 'Courier-Bold', size: 8, small: 7, title: 10, xl: 12, qr: 104, gap: 5 },
  a4: { width: A4[0], margin: 56, regular: 'Helvetica', bold: 'Helvetica-Bold', size: 10, small: 8.5, title: 13, xl: 18, qr: 120, gap: 8 },
};

// Characters the standard PDF fonts (WinAnsi) can show beyond Latin-1.
const WIN_ANSI_EXTRA = new Set([402, 8211, 8212, 8216, 8217, 8218, 8220, 8221, 8222, 8224, 8225, 8226, 8230, 8364, 8240, 8249, 8250, 710, 8482, 338, 339, 732, 352, 353, 376, 381, 382]);

/**
 * Text the standard fonts can print: Intl's narrow no-break spaces become no-break
 * spaces (so "12 500 F CFA" never wraps), a minus sign a hyphen, anything outside
 * WinAnsi a question mark.
 */
export function pdfText(s: string): string {
  let out = '';
  for (const ch of s.normalize('NFC').replace(/[\u202f\u2007\u2009]/g, '\u00a0').replace(/\u2212/g, '-')) {
    const c = ch.codePointAt(0)!;
    if (ch === '\n' || (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || WIN_ANSI_EXTRA.has(c)) out += ch;
    else if (c < 0x20) out += ' ';
    else out += '?';
  }
  return out;
}

/** Lays the blocks out from the top; returns where the content ends. */
function layout(doc: PDFKit.PDFDocument, s: Style, blocks: readonly Block[], pageHeight: number): { y: number; pages: number } {
  const left = s.margin;
  const width = s.width - 2 * s.margin;
  const bottom = pageHeight - s.margin;
  let y = s.margin;
  let pages = 1;
  const room = (h: number) => {
    if (y + h > bottom && y > s.margin) {
      doc.addPage();
      pages++;
      y = s.margin;
    }
  };
  const font = (bold: boolean | undefined, size: number) => doc.font(bold ? s.bold : s.regular).fontSize(size);
  const lineGap = 1;

  for (const b of blocks) {
    if (b.t === 'space') {
      y += s.gap;
    } else if (b.t === 'rule') {
      room(s.gap * 2);
      y += s.gap * 0.6;
      doc.save().lineWidth(0.5).dash(2, { space: 2 }).moveTo(left, y).lineTo(left + width, y).stroke().undash().restore();
      y += s.gap * 0.8;
    } else if (b.t === 'title' || b.t === 'text') {
      const size = b.t === 'title' ? (b.size === 'xl' ? s.xl : s.title) : b.small ? s.small : s.size;
      font(b.t === 'title' || (b.t === 'text' && b.bold), size);
      const text = pdfText(b.text);
      const align = b.t === 'title' ? 'center' : (b.align ?? 'left');
      const h = doc.heightOfString(text, { width, lineGap, align });
      room(h);
      doc.text(text, left, y, { width, lineGap, align });
      y += h;
    } else if (b.t === 'row') {
      const size = b.big ? s.title : b.small ? s.small : s.size;
      font(b.bold || b.big, size);
      const indent = b.indent ? width * 0.06 : 0;
      const right = pdfText(b.right);
      const rightWidth = doc.widthOfString(right);
      const leftWidth = Math.max(width - indent - rightWidth - s.gap, width * 0.3);
      const text = pdfText(b.left);
      const line = doc.currentLineHeight(true) + lineGap;
      const h = Math.max(doc.heightOfString(text, { width: leftWidth, lineGap }), line);
      room(h);
      doc.text(text, left + indent, y, { width: leftWidth, lineGap });
      // The amount sits on the last line of a wrapped label.
      if (right) doc.text(right, left + width - rightWidth, y + h - line, { lineBreak: false });
      y += h;
    } else if (b.t === 'table') {
      const cols = b.head.length;
      const first = width * (cols > 3 ? 0.22 : 0.34);
      const other = (width - first) / (cols - 1);
      const row = (cells: string[], bold: boolean) => {
        font(bold, s.size);
        const h = doc.currentLineHeight(true) + lineGap;
        room(h);
        cells.forEach((cell, i) => {
          const text = pdfText(cell);
          if (i === 0) doc.text(text, left, y, { width: first, lineBreak: false, ellipsis: true });
          else doc.text(text, left + first + other * (i - 1), y, { width: other, align: 'right', lineBreak: false });
        });
        y += h;
      };
      row(b.head, true);
      for (const r of b.rows) row(r, false);
      if (b.foot) row(b.foot, true);
    } else if (b.t === 'qr') {
      room(s.qr + s.gap);
      y += s.gap / 2;
      drawQr(doc, b.url, left + (width - s.qr) / 2, y, s.qr);
      y += s.qr + s.gap / 2;
    }
  }
  return { y, pages };
}

/** The QR code as filled squares (vector, sharp on any printer), runs of dark modules merged. */
function drawQr(doc: PDFKit.PDFDocument, url: string, x: number, y: number, size: number) {
  const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const cell = size / n;
  doc.save().fillColor('#000');
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      if (!qr.modules.get(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && qr.modules.get(r, c)) c++;
      doc.rect(x + start * cell, y + r * cell, (c - start) * cell, cell);
    }
  }
  doc.fill().restore();
}

function newDoc(format: PaperFormat, height: number, info: { title: string }, compress: boolean) {
  const s = STYLES[format];
  return new PDFDocument({
    size: format === 'a4' ? A4 : [s.width, height],
    margin: s.margin,
    compress,
    info: { Title: pdfText(info.title), Producer: 'Comptoir', Creator: 'Comptoir' },
    pdfVersion: '1.4',
  });
}

function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

/**
 * The blocks as a PDF. On a roll the page is as tall as the content: a first pass
 * on a very tall page measures it, the second draws it on a page of that height.
 */
export async function renderPdf(blocks: readonly Block[], format: PaperFormat, info: { title: string }, opts: { compress?: boolean } = {}): Promise<Buffer> {
  const s = STYLES[format];
  const compress = opts.compress ?? true;
  let height = A4[1];
  if (format === '80mm') {
    const probe = newDoc(format, MAX_HEIGHT, info, false);
    const { y: used, pages } = layout(probe, s, blocks, MAX_HEIGHT);
    probe.end();
    height = pages > 1 ? MAX_HEIGHT : Math.min(MAX_HEIGHT, Math.ceil(used + s.margin));
  }
  const doc = newDoc(format, height, info, compress);
  const done = collect(doc);
  layout(doc, s, blocks, height);
  doc.end();
  return done;
}
