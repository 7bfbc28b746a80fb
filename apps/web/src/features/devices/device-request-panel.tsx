import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { FieldError, FormError } from '../../shared/components/form-error';
import { useFieldProblems } from '../../shared/light/use-field-problems';
import { useI18n } from '../../shared/i18n/i18n-context';
import { deviceKeys, requestDevice, type StatedCircumstance } from './devices-api';
import './devices.css';

const CIRCUMSTANCES: readonly StatedCircumstance[] = ['disability', 'pupil', 'single_parent'];

/**
 * An official or field worker records that a household asks for a device, with what the registry
 * cannot know (a member with a disability, a pupil, a single parent): the priority rules read
 * those only from requests, so this is where they enter.
 */
export function DeviceRequestPanel({ householdId, residents }: { householdId: number; residents: ReadonlyArray<{ id: number; fullName: string }> }) {
  const { t, label, date } = useI18n();
  const queryClient = useQueryClient();
  const [residentId, setResidentId] = useState('');
  const [stated, setStated] = useState<StatedCircumstance[]>([]);
  const [note, setNote] = useState('');
  const { problems, report, onChange } = useFieldProblems<{ note?: true }>();
  const send = useMutation({
    mutationFn: () => requestDevice({ householdId, residentId: residentId ? Number(residentId) : undefined, circumstances: stated, note: note.trim() || undefined }),
    onSuccess: () => {
      setStated([]);
      setNote('');
      setResidentId('');
      void queryClient.invalidateQueries({ queryKey: deviceKeys.all });
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    const long = note.trim().length > 500;
    report(long ? { note: true } : {});
    if (long) document.getElementById(`device-request-${householdId}-note`)?.focus();
    else send.mutate();
  }
  const id = `device-request-${householdId}`;
  return (
    <section className="card form-stack" aria-labelledby={`${id}-title`} style={{ marginTop: 20 }}>
      <h2 id={`${id}-title`} className="card-title">
        {t('dsRequest.title')}
      </h2>
      <p className="muted small">{t('dsRequest.intro')}</p>
      <form className="form-stack" onSubmit={submit} onChange={onChange} noValidate>
        <div className="form-grid wide-form-grid">
          <div className="field">
            <label htmlFor={`${id}-member`}>
              {t('dsRequest.forWhom')} <span className="muted">{t('form.optional')}</span>
            </label>
            <select id={`${id}-member`} value={residentId} onChange={(e) => setResidentId(e.target.value)}>
              <option value="">{t('dsRequest.wholeHousehold')}</option>
              {residents.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.fullName}
                </option>
              ))}
            </select>
          </div>
          <fieldset className="field">
            <legend>{t('dsRequest.circumstances')}</legend>
            <div className="choice-row">
              {CIRCUMSTANCES.map((c) => (
                <label key={c} className="choice">
                  <input
                    type="checkbox"
                    checked={stated.includes(c)}
                    onChange={(e) => setStated((s) => (e.target.checked ? [...s, c] : s.filter((x) => x !== c)))}
                  />{' '}
                  {label('priority', c)}
                </label>
              ))}
            </div>
          </fieldset>
        </div>
        <div className="field">
          <label htmlFor={`${id}-note`}>
            {t('dsRequest.note')} <span className="muted">{t('form.optional')}</span>
          </label>
          <textarea
            id={`${id}-note`}
            name="note"
            rows={2}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            aria-invalid={problems.note}
            aria-describedby={problems.note ? `${id}-note-error` : undefined}
          />
          <FieldError id={`${id}-note-error`} messages={problems.note ? [t('dsRequest.noteLong')] : []} />
        </div>
        <FormError error={send.error} />
        {send.isSuccess && (
          <p className="form-success" role="status">
            {send.data.alreadyOpen ? t('dsRequest.addedToOpen', { date: date(send.data.createdAt) }) : t('dsRequest.sent')}
          </p>
        )}
        <div className="btn-row">
          <button type="submit" className="btn btn-primary" disabled={send.isPending}>
            {t('dsRequest.send')}
          </button>
        </div>
      </form>
    </section>
  );
}
