import { useEffect, useRef, useState, type InputHTMLAttributes } from 'react';
import { useI18n } from '../i18n/i18n-context';
import { formatDayText, maskDayText, parseDayText } from './day-text';

type Passed = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'value' | 'onChange' | 'min' | 'max' | 'id'>;

interface DayInputProps extends Passed {
  id: string;
  /** yyyy-mm-dd, or '' for no day. */
  value: string;
  /**
   * Called with yyyy-mm-dd, or '' while the text is empty, incomplete or not a real day;
   * `unreadable` says text is there that names no day, which a form should refuse rather than
   * take for an empty field. A day out of min–max is passed on, for the form's own message.
   */
  onValueChange: (day: string, unreadable: boolean) => void;
  min?: string | undefined;
  max?: string | undefined;
}

/**
 * A day typed as dd/mm/yyyy. A native date field shows mm/dd/yyyy in an English-language browser,
 * which many officials use, and a Vietnamese reader takes 11/01 for the 11th of January. The
 * browser's own calendar stays a click away, behind the button, through a date field kept out of
 * sight.
 */
export function DayInput({ id, value, onValueChange, min, max, className, disabled, 'aria-invalid': invalid, ...rest }: DayInputProps) {
  const { t } = useI18n();
  const [text, setText] = useState(() => formatDayText(value));
  const field = useRef<HTMLInputElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  // Text typed that names no day ("31/02/2026"), or a day outside min–max: kept on screen to be
  // corrected, and marked, as a native date field marks a day out of its range.
  const typed = parseDayText(text);
  const wrong = text !== '' && (typed === '' || (min !== undefined && typed < min) || (max !== undefined && typed > max));

  // A day set from outside (a reset, "back to today", the calendar) replaces the text, but not
  // while the reader is typing in the field: a page may answer a cleared field with a day of its
  // own (the dashboard shows the day its figures are for), which would land under the cursor.
  useEffect(() => {
    if (document.activeElement === field.current) return;
    setText((current) => (parseDayText(current) === value ? current : formatDayText(value)));
  }, [value]);

  return (
    <span className="day-input">
      <input
        {...rest}
        aria-invalid={invalid === true || invalid === 'true' || wrong || undefined}
        ref={field}
        id={id}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        placeholder={t('date.placeholder')}
        className={className}
        disabled={disabled}
        value={text}
        onChange={(e) => {
          const next = maskDayText(e.target.value);
          setText(next);
          const day = parseDayText(next);
          onValueChange(day, next !== '' && day === '');
        }}
        onBlur={(e) => {
          // Leaving the field shows the day the page holds, unless what was typed is to be corrected.
          if (!wrong) setText(formatDayText(value));
          rest.onBlur?.(e);
        }}
      />
      <button
        type="button"
        className="day-input-calendar"
        aria-label={t('date.openCalendar')}
        title={t('date.openCalendar')}
        disabled={disabled}
        onClick={() => {
          try {
            picker.current?.showPicker();
          } catch {
            // Browsers without showPicker: typing is the way.
          }
        }}
      >
        <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" focusable="false">
          <path d="M6 2v2M14 2v2M3 7h14M4 4h12a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1z" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
        </svg>
      </button>
      <input
        ref={picker}
        // The field's name, so a form that clears a field's message on change clears this one's.
        name={rest.name}
        className="day-input-picker"
        type="date"
        tabIndex={-1}
        aria-hidden="true"
        min={min}
        max={max}
        value={value}
        onChange={(e) => {
          setText(formatDayText(e.target.value));
          onValueChange(e.target.value, false);
        }}
      />
    </span>
  );
}
