import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { certificateCodeFrom, normaliseCertificateCode } from './certificate-code.ts';

describe('certificate codes', () => {
  it('are CDS- and three groups of four, and read back as themselves', () => {
    for (let i = 0; i < 200; i++) {
      const code = certificateCodeFrom(randomBytes(7));
      expect(code).toMatch(/^CDS-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z*~$=]{4}$/);
      expect(normaliseCertificateCode(code)).toBe(code);
    }
  });

  it('are read as people type them: lower case, spaces, O for 0, I or L for 1', () => {
    const code = certificateCodeFrom(Uint8Array.from([1, 2, 3, 4, 5, 6, 7]));
    const typed = code.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l');
    expect(normaliseCertificateCode(typed)).toBe(code);
  });

  it('reject every single changed character and every swap of two neighbours', () => {
    const code = certificateCodeFrom(Uint8Array.from([200, 17, 99, 4, 250, 61, 8]));
    const chars = code.replace(/^CDS-|-/g, '');
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    for (let i = 0; i < 11; i++) {
      for (const ch of alphabet) {
        if (ch === chars[i]) continue;
        const altered = chars.slice(0, i) + ch + chars.slice(i + 1);
        expect(normaliseCertificateCode(altered), altered).toBeNull();
      }
      if (i < 10 && chars[i] !== chars[i + 1]) {
        const swapped = chars.slice(0, i) + chars[i + 1] + chars[i] + chars.slice(i + 2);
        expect(normaliseCertificateCode(swapped), swapped).toBeNull();
      }
    }
  });

  it('reject wrong lengths and letters outside the alphabet', () => {
    expect(normaliseCertificateCode('CDS-1234-5678')).toBeNull();
    expect(normaliseCertificateCode('CDS-UUUU-UUUU-UUUU')).toBeNull();
    expect(normaliseCertificateCode('')).toBeNull();
  });
});
