import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Citizen ID numbers at rest: an HMAC for matching (an import finds the person without anybody
 * being able to read the number back out of a dump, and without the key a dictionary attack on
 * the ~10^12 IDs is not possible) and an AES-256-GCM copy for the few roles that may reveal it.
 * Both keys are derived from one master key so that operations keep a single secret.
 */
export class PersonalDataVault {
  private readonly hmacKey: Buffer;
  private readonly encKey: Buffer;
  // IVs are cut from one random block: a call into the random source per value cost an import
  // more than the encryption itself. Each IV is still 12 fresh random bytes, never reused.
  private ivs = Buffer.alloc(0);
  private ivOffset = 0;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('The personal-data key must be 32 bytes');
    this.hmacKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'cds/citizen-id/hmac', 32));
    this.encKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'cds/citizen-id/aes-gcm', 32));
  }

  /** Deterministic: the same number always gives the same hash under one key. */
  hash(value: string): string {
    return createHmac('sha256', this.hmacKey).update(value).digest('base64url');
  }

  encrypt(value: string): string {
    if (this.ivOffset + 12 > this.ivs.length) {
      this.ivs = randomBytes(12 * 256);
      this.ivOffset = 0;
    }
    const iv = this.ivs.subarray(this.ivOffset, (this.ivOffset += 12));
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return `v1.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${body.toString('base64url')}`;
  }

  decrypt(sealed: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('Unknown sealed value format');
    const decipher = createDecipheriv('aes-256-gcm', this.encKey, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/** The configured key, or a development key generated once into the data directory. */
export function loadVault(dataKey: string | undefined, dataDir: string): PersonalDataVault {
  if (dataKey) return new PersonalDataVault(Buffer.from(dataKey, 'base64'));
  const path = join(dataDir, 'personal-data.key');
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
    chmodSync(path, 0o600);
  }
  return new PersonalDataVault(Buffer.from(readFileSync(path, 'utf8').trim(), 'base64'));
}
