import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useI18n } from '../../shared/i18n/i18n-context';
import { revealField, type RevealField } from './registry-api';

/**
 * A citizen ID or phone as the server sent it (masked), with a "Hiện" button when the reader's role
 * may see the whole value. Each reveal is a logged request; the value is kept in this component only
 * and forgotten when hidden again or when the page is left.
 */
export function MaskedValue({
  residentId,
  field,
  value,
  canReveal,
}: {
  residentId: number;
  field: RevealField;
  value: string | null;
  canReveal: boolean;
}) {
  const { t, errorMessage } = useI18n();
  const [revealed, setRevealed] = useState<string | null>(null);
  const reveal = useMutation({
    mutationFn: () => revealField(residentId, field),
    onSuccess: (res) => setRevealed(res.value ?? ''),
  });

  if (value === null || value === '') return <span className="muted">{t('resident.noValue')}</span>;

  const shown = revealed ?? value;
  return (
    <span className="masked">
      <span className="mono" data-field={field} data-masked={revealed === null ? 'true' : 'false'}>
        {shown}
      </span>
      {canReveal &&
        (revealed === null ? (
          <button
            type="button"
            className="btn btn-link btn-sm"
            onClick={() => reveal.mutate()}
            disabled={reveal.isPending}
            title={t('reveal.logged')}
          >
            {reveal.isPending ? '…' : t('reveal.show')}
            <span className="sr-only"> {t(field === 'citizenId' ? 'resident.citizenId' : 'resident.phone')}</span>
          </button>
        ) : (
          <button type="button" className="btn btn-link btn-sm" onClick={() => setRevealed(null)}>
            {t('reveal.hide')}
          </button>
        ))}
      {reveal.isError && (
        <span className="field-error" role="alert">
          {errorMessage(reveal.error)}
        </span>
      )}
    </span>
  );
}
