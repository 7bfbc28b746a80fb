import { useI18n } from '../../shared/i18n/i18n-context';
import type { MessageKey } from '../../shared/i18n/dictionary-vi';
import { checkImei, type ImeiCheck } from './imei';

/** The message under the IMEI field for what has been typed so far. */
export function imeiMessage(c: ImeiCheck): { key: MessageKey; params?: Record<string, number>; tone: 'ok' | 'bad' | 'hint' } {
  switch (c.state) {
    case 'empty':
      return { key: 'dsHandover.imeiHint', tone: 'hint' };
    case 'notDigits':
      return { key: 'dsHandover.imeiDigits', tone: 'bad' };
    case 'short':
      return { key: 'dsHandover.imeiShort', params: { n: c.digits.length, missing: c.missing }, tone: 'hint' };
    case 'long':
      return { key: 'dsHandover.imeiLong', params: { n: c.digits.length }, tone: 'bad' };
    case 'allZeros':
      return { key: 'dsHandover.imeiZeros', tone: 'bad' };
    case 'badCheckDigit':
      return { key: 'dsHandover.imeiLuhn', tone: 'bad' };
    case 'ok':
      return { key: 'dsHandover.imeiOk', tone: 'ok' };
  }
}

/** IMEI typed or scanned: checked at every keystroke (15 digits, Luhn), the message read aloud politely. */
export function ImeiInput({ id, name, value, onChange, submitted }: { id: string; name?: string; value: string; onChange: (v: string) => void; submitted: boolean }) {
  const { t } = useI18n();
  const check = checkImei(value);
  const msg = imeiMessage(check);
  // A half-typed number is not an error yet; it becomes one when the form is sent.
  const bad = msg.tone === 'bad' || (submitted && msg.tone !== 'ok');
  return (
    <div className="field">
      <label htmlFor={id}>{t('dsHandover.imei')}</label>
      <input
        id={id}
        name={name}
        className="imei-input"
        inputMode="numeric"
        autoComplete="off"
        spellCheck={false}
        maxLength={24}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={bad || undefined}
        aria-describedby={`${id}-status`}
        style={{ maxWidth: 280 }}
      />
      <p id={`${id}-status`} className={`imei-status${msg.tone === 'ok' ? ' is-ok' : bad ? ' is-bad' : ' hint'}`} aria-live="polite">
        {msg.tone === 'ok' ? '✓ ' : bad ? '✗ ' : ''}
        {t(msg.key, msg.params)}
      </p>
    </div>
  );
}
