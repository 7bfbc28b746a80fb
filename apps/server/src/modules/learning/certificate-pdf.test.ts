import QRCode from 'qrcode';
import { afterAll, describe, expect, it } from 'vitest';
import { renderCertificatePdfInThread, stopCertificateRenderer } from './certificate-pdf-thread.ts';
import {
  type CertificatePdfInput,
  LINE_MAX_WIDTH,
  MAX_SIZE,
  dateLine,
  fitFontSize,
  measureText,
  nameFontSize,
  qrSquares,
  renderCertificatePdf,
} from './certificate-pdf.ts';

const input: CertificatePdfInput = {
  code: 'CDS-7K2M-9QXD-4HWP',
  learnerName: 'Nguyễn Thị Hoa',
  title: 'Định danh điện tử VNeID',
  kind: 'course',
  issuedOn: '2026-12-02',
  issuer: 'Ủy ban nhân dân Thành phố Hồ Chí Minh',
  place: 'Thành phố Hồ Chí Minh',
  verifyUrl: 'https://congdanso.example.gov.vn/xac-minh/CDS-7K2M-9QXD-4HWP',
};

const LONG_NAME = 'Tôn Nữ Thị Phương Hoàng Ngọc Bích Trâm Anh Lê Nguyễn '.repeat(3).slice(0, 120);

// ---- A small reader for the PDFs pdfkit writes: object dictionaries are always plain text,
// ---- and with compress: false the content and ToUnicode streams are too.

type Pdf = { text: string; objects: Map<number, string> };

function readPdf(buf: Buffer): Pdf {
  const text = buf.toString('latin1');
  const objects = new Map<number, string>();
  for (const m of text.matchAll(/(?:^|\n)(\d+) 0 obj\n([\s\S]*?)\nendobj/g)) objects.set(Number(m[1]), m[2]!);
  return { text, objects };
}

function obj(pdf: Pdf, id: number): string {
  const o = pdf.objects.get(id);
  if (o === undefined) throw new Error(`no object ${id}`);
  return o;
}

function ref(dict: string, key: string): number {
  const m = new RegExp(`/${key} (\\d+) 0 R`).exec(dict);
  if (!m) throw new Error(`no /${key} reference in ${dict.slice(0, 200)}`);
  return Number(m[1]);
}

function streamOf(o: string): string {
  const m = /stream\n([\s\S]*?)\nendstream/.exec(o);
  if (!m) throw new Error('not a stream');
  return m[1]!;
}

/** Decodes a PDF literal string body (without the parentheses); UTF-16BE when it starts with a BOM. */
function decodeLiteral(body: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      bytes.push(c.charCodeAt(0));
      continue;
    }
    const n = body[++i]!;
    const simple: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12, '(': 40, ')': 41, '\\': 92 };
    if (n in simple) bytes.push(simple[n]!);
    else if (/[0-7]/.test(n)) {
      let oct = n;
      while (oct.length < 3 && /[0-7]/.test(body[i + 1] ?? '')) oct += body[++i];
      bytes.push(parseInt(oct, 8));
    }
  }
  const b = Buffer.from(bytes);
  if (b[0] === 0xfe && b[1] === 0xff) return b.subarray(2).swap16().toString('utf16le');
  return b.toString('latin1');
}

/** Info dictionary entry, following pdfkit's one-object-per-value layout. */
function infoValue(pdf: Pdf, key: string): string {
  const trailer = pdf.text.slice(pdf.text.lastIndexOf('trailer'));
  const info = obj(pdf, ref(trailer, 'Info'));
  const value = obj(pdf, ref(info, key)).trim();
  const m = /^\(([\s\S]*)\)$/.exec(value);
  if (m) return decodeLiteral(m[1]!);
  const h = /^<([0-9a-fA-F]*)>$/.exec(value);
  if (h) {
    const b = Buffer.from(h[1]!, 'hex');
    return b[0] === 0xfe && b[1] === 0xff ? b.subarray(2).swap16().toString('utf16le') : b.toString('latin1');
  }
  throw new Error(`cannot decode ${value}`);
}

function pageObjects(pdf: Pdf): string[] {
  return [...pdf.objects.values()].filter((o) => /\/Type \/Page(?![a-zA-Z])/.test(o));
}

/** The page's content stream and each TJ line turned back into text through the fonts' ToUnicode maps. */
function pageText(pdf: Pdf): { content: string; lines: string[] } {
  const [page] = pageObjects(pdf);
  const content = streamOf(obj(pdf, ref(page!, 'Contents')));
  const resources = obj(pdf, ref(page!, 'Resources'));
  const maps = new Map<string, Map<number, string>>();
  for (const [, name, id] of resources.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
    const cmap = streamOf(obj(pdf, ref(obj(pdf, Number(id)), 'ToUnicode')));
    const map = new Map<number, string>();
    for (const [, lo, arr] of cmap.matchAll(/<([0-9a-f]+)> <[0-9a-f]+> \[([^\]]*)\]/gi)) {
      [...arr!.matchAll(/<([0-9a-f]+)>/gi)].forEach((u, k) => map.set(parseInt(lo!, 16) + k, Buffer.from(u[1]!, 'hex').swap16().toString('utf16le')));
    }
    maps.set(name!, map);
  }
  const lines: string[] = [];
  let font = '';
  for (const m of content.matchAll(/\/(F\d+) [\d.]+ Tf|\[(.*?)\] TJ/g)) {
    if (m[1]) {
      font = m[1];
      continue;
    }
    const map = maps.get(font)!;
    let line = '';
    for (const [, hex] of m[2]!.matchAll(/<([0-9a-f]+)>/gi)) {
      for (let i = 0; i < hex!.length; i += 4) line += map.get(parseInt(hex!.slice(i, i + 4), 16)) ?? '\uFFFD';
    }
    lines.push(line);
  }
  return { content, lines };
}

describe('renderCertificatePdf', () => {
  it('produces a one-page A4 landscape PDF', async () => {
    const pdf = readPdf(await renderCertificatePdf(input));
    expect(pdf.text.startsWith('%PDF-')).toBe(true);
    expect(pdf.text.trimEnd().endsWith('%%EOF')).toBe(true);
    const pages = pageObjects(pdf);
    expect(pages).toHaveLength(1);
    expect(pages[0]).toContain('/MediaBox [0 0 841.89 595.28]');
    expect(pdf.text).toMatch(/\/Type \/Pages\n\/Count 1\n/);
  });

  it('prints every line of the certificate, in Vietnamese, with the embedded font', async () => {
    const pdf = readPdf(await renderCertificatePdf(input, { compress: false }));
    const { lines } = pageText(pdf);
    expect(lines).toEqual([
      'ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH',
      'GIẤY CHỨNG NHẬN',
      'Bình dân học vụ số',
      'Chứng nhận',
      'Nguyễn Thị Hoa',
      'đã hoàn thành khoá học',
      'Định danh điện tử VNeID',
      'Mã xác minh: CDS-7K2M-9QXD-4HWP',
      'Thành phố Hồ Chí Minh, ngày 02 tháng 12 năm 2026',
      'Ủy ban nhân dân Thành phố Hồ Chí Minh',
      'Quét mã để xác minh',
      input.verifyUrl,
    ]);
    expect(pdf.text).toMatch(/\/BaseFont \/[A-Z]{6}\+BeVietnamPro-Bold\n/);
    expect(pdf.text).toMatch(/\/FontFile2 \d+ 0 R/);
  });

  it('words the basic path certificate differently', async () => {
    const pdf = readPdf(await renderCertificatePdf({ ...input, kind: 'basic_path', title: 'Kỹ năng số cơ bản' }, { compress: false }));
    const { lines } = pageText(pdf);
    expect(lines).toContain('GIẤY CHỨNG NHẬN KỸ NĂNG SỐ CƠ BẢN');
    expect(lines).toContain('đã hoàn thành lộ trình');
    expect(lines).toContain('Kỹ năng số cơ bản');
    expect(lines).not.toContain('đã hoàn thành khoá học');
    expect(infoValue(pdf, 'Title')).toBe('Giấy chứng nhận – Kỹ năng số cơ bản');
  });

  it('links the QR area to the verification page', async () => {
    const pdf = readPdf(await renderCertificatePdf(input));
    const annots = [...pdf.objects.values()].filter((o) => o.includes('/Subtype /Link'));
    expect(annots).toHaveLength(1);
    const action = obj(pdf, ref(annots[0]!, 'A'));
    expect(action).toContain('/S /URI');
    expect(action).toContain(`/URI (${input.verifyUrl})`);
    // The link covers the 104 pt QR square (PDF coordinates, origin bottom left).
    const rect = /\/Rect \[([\d. ]+)\]/.exec(annots[0]!)![1]!.split(' ').map(Number);
    expect(rect[2]! - rect[0]!).toBeCloseTo(104);
    expect(rect[3]! - rect[1]!).toBeCloseTo(104);
  });

  it('sets the document info, with a creation date taken from issuedOn', async () => {
    const pdf = readPdf(await renderCertificatePdf(input));
    expect(infoValue(pdf, 'Subject')).toBe('CDS-7K2M-9QXD-4HWP');
    expect(infoValue(pdf, 'Title')).toBe('Giấy chứng nhận – Định danh điện tử VNeID');
    expect(infoValue(pdf, 'Author')).toBe('Ủy ban nhân dân Thành phố Hồ Chí Minh');
    expect(infoValue(pdf, 'CreationDate')).toBe('D:20261202000000Z');
  });

  it('gives the same bytes for the same input, and different bytes for another code', async () => {
    const a = await renderCertificatePdf(input);
    const b = await renderCertificatePdf({ ...input });
    expect(a.equals(b)).toBe(true);
    const c = await renderCertificatePdf({ ...input, code: 'CDS-AAAA-BBBB-CCCC' });
    expect(a.equals(c)).toBe(false);
  });

  it('draws the QR code as one square per dark module', async () => {
    for (const url of [input.verifyUrl, 'https://x.vn/v/CDS-2222-3333-4444?lang=vi&from=certificate-print']) {
      const { size, squares } = qrSquares(url);
      const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' });
      expect(size).toBe(modules.size);
      expect(squares.length).toBe(modules.data.reduce((n, bit) => n + (bit ? 1 : 0), 0));
      for (const [row, col] of squares) expect(modules.get(row, col)).toBeTruthy();

      const { content } = pageText(readPdf(await renderCertificatePdf({ ...input, verifyUrl: url }, { compress: false })));
      const rects = content.match(/^[-\d. ]+ re$/gm) ?? [];
      // The two border frames, then the modules.
      expect(rects.length).toBe(squares.length + 2);
    }
  });

  it('shrinks a 120-character name to fit on one line', async () => {
    expect(LONG_NAME).toHaveLength(120);
    const short = nameFontSize(input.learnerName);
    const long = nameFontSize(LONG_NAME);
    expect(short).toBe(MAX_SIZE.name);
    expect(long).toBeLessThan(short);
    expect(measureText(LONG_NAME, 'bold') * long).toBeLessThanOrEqual(LINE_MAX_WIDTH);

    const pdf = readPdf(await renderCertificatePdf({ ...input, learnerName: LONG_NAME }, { compress: false }));
    const { content, lines } = pageText(pdf);
    expect(lines).toContain(LONG_NAME);
    expect(content).toContain(` ${long} Tf`);
    expect(pageObjects(pdf)).toHaveLength(1);
  });

  it('rejects a date that is not YYYY-MM-DD', async () => {
    await expect(renderCertificatePdf({ ...input, issuedOn: '02/12/2026' })).rejects.toThrow(/YYYY-MM-DD/);
    await expect(renderCertificatePdf({ ...input, issuedOn: '2026-02-30' })).rejects.toThrow(/YYYY-MM-DD/);
  });
});

describe('renderCertificatePdfInThread', () => {
  afterAll(stopCertificateRenderer);

  it('renders in the worker thread the same bytes as here, each answer to its own request', async () => {
    const inputs = [input, { ...input, code: 'CDS-AAAA-BBBB-CCCC' }, { ...input, kind: 'basic_path' as const, title: 'Kỹ năng số cơ bản' }];
    const threaded = await Promise.all(inputs.map((i) => renderCertificatePdfInThread(i)));
    for (const [i, pdf] of threaded.entries()) expect(pdf.equals(await renderCertificatePdf(inputs[i]!))).toBe(true);
  });

  it('fails a render the renderer refuses with its reason, and renders the next one', async () => {
    await expect(renderCertificatePdfInThread({ ...input, issuedOn: '02/12/2026' })).rejects.toThrow(/YYYY-MM-DD/);
    expect((await renderCertificatePdfInThread(input)).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('starts a new worker after the last one stopped', async () => {
    await stopCertificateRenderer();
    expect((await renderCertificatePdfInThread(input)).equals(await renderCertificatePdf(input))).toBe(true);
  });
});

describe('fitFontSize', () => {
  it('keeps the largest size when the text fits', () => {
    expect(fitFontSize(10, 700, 32)).toBe(32);
  });
  it('shrinks, rounding down, so the text never overflows', () => {
    const size = fitFontSize(71.3, 700, 32);
    expect(size).toBe(9.8);
    expect(size * 71.3).toBeLessThanOrEqual(700);
  });
});

describe('dateLine', () => {
  it('writes the Vietnamese date with two-digit day and month', () => {
    expect(dateLine('Thành phố Hồ Chí Minh', '2026-03-05')).toBe('Thành phố Hồ Chí Minh, ngày 05 tháng 03 năm 2026');
  });
});
