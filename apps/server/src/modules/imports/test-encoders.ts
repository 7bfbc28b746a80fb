import { TCVN3_TO_UNICODE, VNI_TO_UNICODE } from '@cds/domain';

// Encoders for building test files in the encodings offices still send; Node can decode these but not write them.

/** Windows-1258 encoder from the reverse of TextDecoder('windows-1258') over 0x80–0xFF. */
const CP1258 = new Map<string, number>();
{
  const decoder = new TextDecoder('windows-1258');
  for (let b = 0x80; b <= 0xff; b++) CP1258.set(decoder.decode(new Uint8Array([b])), b);
}
export function encode1258(text: string): Buffer {
  const out: number[] = [];
  const one = (ch: string): boolean => {
    const code = ch.charCodeAt(0);
    if (ch.length === 1 && code < 0x80) out.push(code);
    else if (CP1258.has(ch)) out.push(CP1258.get(ch)!);
    else return false;
    return true;
  };
  for (const ch of text.normalize('NFC')) {
    if (one(ch)) continue;
    const nfd = ch.normalize('NFD');
    const tone = [...nfd].find((c) => '\u0300\u0301\u0303\u0309\u0323'.includes(c)) ?? '';
    const base = nfd.replace(tone, '').normalize('NFC');
    if (!one(base) || !one(tone)) throw new Error(`cannot encode ${ch}`);
  }
  return Buffer.from(out);
}

const TCVN3_FROM_UNICODE = new Map([...TCVN3_TO_UNICODE].map(([k, v]) => [v, k]));
export function encodeTcvn3(text: string): Buffer {
  const s = [...text].map((ch) => TCVN3_FROM_UNICODE.get(ch) ?? TCVN3_FROM_UNICODE.get(ch.toLowerCase()) ?? ch).join('');
  return Buffer.from(s, 'latin1');
}


/** VNI Windows: each Vietnamese letter as its base and mark characters, then the bytes as Windows-1252 (all within Latin-1). */
const VNI_FROM_UNICODE = new Map<string, string>();
for (const [vni, letter] of VNI_TO_UNICODE) if (!VNI_FROM_UNICODE.has(letter)) VNI_FROM_UNICODE.set(letter, vni);
export function encodeVni(text: string): Buffer {
  const s = [...text.normalize('NFC')].map((ch) => VNI_FROM_UNICODE.get(ch) ?? ch).join('');
  return Buffer.from(s, 'latin1');
}
