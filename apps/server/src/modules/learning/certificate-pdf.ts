import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';

/** What a certificate says; everything is printed as given, nothing is looked up. */
export interface CertificatePdfInput {
  /** The verification code, e.g. 'CDS-7K2M-9QXD-4HWP'. */
  code: string;
  learnerName: string;
  /** The course title, or 'Kỹ năng số cơ bản' for the basic path. */
  title: string;
  kind: 'course' | 'basic_path';
  /** 'YYYY-MM-DD'. */
  issuedOn: string;
  /** e.g. 'Ủy ban nhân dân Thành phố Hồ Chí Minh'. */
  issuer: string;
  /** The place in the date line: '<place>, ngày DD tháng MM năm YYYY'. */
  place: string;
  /** Absolute URL of the public verification page; encoded in the QR code. */
  verifyUrl: string;
}

/** Only for tests: an uncompressed PDF keeps the drawing operators readable. */
export interface CertificatePdfOptions {
  compress?: boolean;
}

// Be Vietnam Pro carries every Vietnamese diacritic; the standard PDF fonts do not.
const require = createRequire(import.meta.url);
const FONT_FILES = {
  regular: '@expo-google-fonts/be-vietnam-pro/400Regular/BeVietnamPro_400Regular.ttf',
  italic: '@expo-google-fonts/be-vietnam-pro/400Regular_Italic/BeVietnamPro_400Regular_Italic.ttf',
  bold: '@expo-google-fonts/be-vietnam-pro/700Bold/BeVietnamPro_700Bold.ttf',
} as const;
export type CertificateFont = keyof typeof FONT_FILES;

let fontBytes: Record<CertificateFont, Buffer> | null = null;
function fonts(): Record<CertificateFont, Buffer> {
  fontBytes ??= {
    regular: readFileSync(require.resolve(FONT_FILES.regular)),
    italic: readFileSync(require.resolve(FONT_FILES.italic)),
    bold: readFileSync(require.resolve(FONT_FILES.bold)),
  };
  return fontBytes;
}

function registerFonts(doc: PDFKit.PDFDocument): void {
  const bytes = fonts();
  for (const name of Object.keys(FONT_FILES) as CertificateFont[]) doc.registerFont(name, bytes[name]);
}

// A4 landscape, in points.
const PAGE_W = 841.89;
const PAGE_H = 595.28;
const CENTER_X = PAGE_W / 2;
/** Widest a centred line may be: well inside the inner border. */
export const LINE_MAX_WIDTH = 700;

const RED = '#8B1E1E';
const GOLD = '#B8892B';
const INK = '#1F2430';
const MUTED = '#555B66';

/** Largest sizes; a longer text is set smaller so it always fits on one line. */
export const MAX_SIZE = {
  issuer: 13,
  heading: 34,
  subtitle: 17,
  name: 32,
  title: 22,
  body: 15,
  code: 13,
  url: 7.5,
} as const;

/**
 * The font size (≤ maxSize) at which a text `widthAt1pt` wide at 1 pt fits in `maxWidth`.
 * Rounded down to a tenth of a point, so the text never overflows.
 */
export function fitFontSize(widthAt1pt: number, maxWidth: number, maxSize: number): number {
  if (!(widthAt1pt > 0)) return maxSize;
  return Math.min(maxSize, Math.floor((maxWidth / widthAt1pt) * 10) / 10);
}

let measuringDoc: PDFKit.PDFDocument | null = null;
/** Width of `text` at 1 pt in one of the certificate's fonts. */
export function measureText(text: string, font: CertificateFont): number {
  if (!measuringDoc) {
    measuringDoc = new PDFDocument({ autoFirstPage: false });
    registerFonts(measuringDoc);
  }
  return measuringDoc.font(font).fontSize(1).widthOfString(text);
}

/** The size the learner's name is printed at. */
export function nameFontSize(learnerName: string): number {
  return fitFontSize(measureText(learnerName, 'bold'), LINE_MAX_WIDTH, MAX_SIZE.name);
}

/** The dark modules of the QR code for `url`, as [row, col] pairs, row by row. */
export function qrSquares(url: string): { size: number; squares: Array<[number, number]> } {
  const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const squares: Array<[number, number]> = [];
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (modules.get(row, col)) squares.push([row, col]);
    }
  }
  return { size: modules.size, squares };
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
function parseIssuedOn(issuedOn: string): { year: string; month: string; day: string; date: Date } {
  const m = ISO_DATE.exec(issuedOn);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !date || date.toISOString().slice(0, 10) !== issuedOn) {
    throw new Error(`issuedOn must be a real date written YYYY-MM-DD, got ${JSON.stringify(issuedOn)}`);
  }
  return { year: m[1]!, month: m[2]!, day: m[3]!, date };
}

/** '<place>, ngày DD tháng MM năm YYYY'. */
export function dateLine(place: string, issuedOn: string): string {
  const { year, month, day } = parseIssuedOn(issuedOn);
  return `${place}, ngày ${day} tháng ${month} năm ${year}`;
}

/** Prints `text` on one line centred on `centerX`, shrinking it to fit `maxWidth`; returns the size used. */
function centredLine(
  doc: PDFKit.PDFDocument,
  text: string,
  opts: { font: CertificateFont; maxSize: number; y: number; color: string; centerX?: number; maxWidth?: number },
): number {
  const maxWidth = opts.maxWidth ?? LINE_MAX_WIDTH;
  const size = fitFontSize(measureText(text, opts.font), maxWidth, opts.maxSize);
  doc.font(opts.font).fontSize(size).fillColor(opts.color);
  const width = doc.widthOfString(text);
  doc.text(text, (opts.centerX ?? CENTER_X) - width / 2, opts.y, { lineBreak: false });
  return size;
}

/** Prints `text` on one line starting at `x`, shrinking it to fit `maxWidth`. */
function leftLine(
  doc: PDFKit.PDFDocument,
  text: string,
  opts: { font: CertificateFont; maxSize: number; x: number; y: number; color: string; maxWidth: number },
): void {
  const size = fitFontSize(measureText(text, opts.font), opts.maxWidth, opts.maxSize);
  doc.font(opts.font).fontSize(size).fillColor(opts.color).text(text, opts.x, opts.y, { lineBreak: false });
}

/** Renders the one-page A4 landscape certificate. The same input always gives the same bytes. */
export async function renderCertificatePdf(input: CertificatePdfInput, options: CertificatePdfOptions = {}): Promise<Buffer> {
  const { date } = parseIssuedOn(input.issuedOn);
  const qr = qrSquares(input.verifyUrl);

  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 0,
    compress: options.compress ?? true,
    lang: 'vi-VN',
    displayTitle: true,
    info: {
      Title: `Giấy chứng nhận – ${input.title}`,
      Subject: input.code,
      Author: input.issuer,
      Creator: 'Công dân số',
      // Fixed, so the document (and the file ID pdfkit derives from this info) is reproducible.
      CreationDate: date,
    },
  });
  const done = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  try {
    registerFonts(doc);

    // Double border: a heavy red frame and a thin gold one inside it (the only rectangles besides the QR modules).
    doc.lineWidth(4).strokeColor(RED).rect(20, 20, PAGE_W - 40, PAGE_H - 40).stroke();
    doc.lineWidth(1.2).strokeColor(GOLD).rect(30, 30, PAGE_W - 60, PAGE_H - 60).stroke();

    centredLine(doc, input.issuer.toLocaleUpperCase('vi-VN'), { font: 'bold', maxSize: MAX_SIZE.issuer, y: 60, color: RED });
    doc.lineWidth(0.8).strokeColor(GOLD).moveTo(CENTER_X - 60, 84).lineTo(CENTER_X + 60, 84).stroke();

    const heading = input.kind === 'basic_path' ? 'GIẤY CHỨNG NHẬN KỸ NĂNG SỐ CƠ BẢN' : 'GIẤY CHỨNG NHẬN';
    centredLine(doc, heading, { font: 'bold', maxSize: MAX_SIZE.heading, y: 104, color: RED, maxWidth: 640 });
    centredLine(doc, 'Bình dân học vụ số', { font: 'italic', maxSize: MAX_SIZE.subtitle, y: 152, color: GOLD });

    centredLine(doc, 'Chứng nhận', { font: 'regular', maxSize: MAX_SIZE.body, y: 196, color: INK });
    const nameSize = nameFontSize(input.learnerName);
    centredLine(doc, input.learnerName, { font: 'bold', maxSize: nameSize, y: 218 + (MAX_SIZE.name - nameSize) / 2, color: RED });

    const completed = input.kind === 'basic_path' ? 'đã hoàn thành lộ trình' : 'đã hoàn thành khoá học';
    centredLine(doc, completed, { font: 'regular', maxSize: MAX_SIZE.body, y: 276, color: INK });
    const titleSize = fitFontSize(measureText(input.title, 'bold'), LINE_MAX_WIDTH, MAX_SIZE.title);
    centredLine(doc, input.title, { font: 'bold', maxSize: titleSize, y: 298 + (MAX_SIZE.title - titleSize) / 2, color: INK });

    centredLine(doc, `Mã xác minh: ${input.code}`, { font: 'bold', maxSize: MAX_SIZE.code, y: 346, color: INK });

    // Signature block, bottom right.
    const sigX = 620;
    const sigWidth = 330;
    centredLine(doc, dateLine(input.place, input.issuedOn), { font: 'italic', maxSize: 12, y: 410, color: INK, centerX: sigX, maxWidth: sigWidth });
    centredLine(doc, input.issuer, { font: 'bold', maxSize: 13, y: 432, color: INK, centerX: sigX, maxWidth: sigWidth });

    // QR code, bottom left: one vector square per dark module, filled as a single path.
    const qrX = 72;
    const qrY = 398;
    const qrSide = 104;
    const cell = qrSide / qr.size;
    for (const [row, col] of qr.squares) doc.rect(qrX + col * cell, qrY + row * cell, cell, cell);
    doc.fillColor('#000000').fill('nonzero');
    doc.link(qrX, qrY, qrSide, qrSide, input.verifyUrl);

    // Caption and URL left-aligned with the QR code, clear of the signature block.
    const captionWidth = 340;
    leftLine(doc, 'Quét mã để xác minh', { font: 'regular', maxSize: 9.5, x: qrX, y: qrY + qrSide + 6, color: INK, maxWidth: captionWidth });
    leftLine(doc, input.verifyUrl, { font: 'regular', maxSize: MAX_SIZE.url, x: qrX, y: qrY + qrSide + 21, color: MUTED, maxWidth: captionWidth });
  } catch (err) {
    doc.destroy();
    throw err;
  }

  doc.end();
  return done;
}
