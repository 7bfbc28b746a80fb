import { useId, useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { RecordAccount } from '@cds/contract';
import { FieldError, FormError } from '../../shared/components/form-error';
import { useFieldProblems } from '../../shared/light/use-field-problems';
import { useReturnFocus } from '../../shared/components/use-return-focus';
import { useI18n } from '../../shared/i18n/i18n-context';
import { confirmRecordAccount, unlinkRecordAccount } from './registry-api';
import { useInvalidateRegistry } from './use-invalidate-registry';

type Step = 'idle' | 'confirming' | 'unlinking';

/**
 * The resident's learning-site account, for the unit's official: how it came to hold the record,
 * and the two decisions only an official makes, after seeing the person's papers: confirm that
 * it is theirs, or remove a link that names the wrong person.
 */
export function RecordAccountPanel({ residentId, householdId, account }: { residentId: number; householdId: number; account: RecordAccount | null }) {
  const { t } = useI18n();
  const id = useId();
  const [step, setStep] = useState<Step>('idle');
  const [reason, setReason] = useState('');
  const { problems, report, onChange } = useFieldProblems<{ reason?: string[] }>();
  const reasonProblem = problems.reason ?? [];
  const [done, setDone] = useState<string | null>(null);
  const { target, returnFocusTo } = useReturnFocus<Step | 'done'>();
  // Withdrawn facts change histories, elements and unit figures beyond this record.
  const refresh = useInvalidateRegistry();
  const confirm = useMutation({
    mutationFn: () => confirmRecordAccount(residentId),
    onSuccess: () => {
      // The buttons are gone or changed: the focus goes to the message that says what happened.
      returnFocusTo('done');
      setStep('idle');
      setDone(t('account.confirmed'));
      refresh();
    },
  });
  const unlink = useMutation({
    mutationFn: () => unlinkRecordAccount(residentId, reason.trim()),
    onSuccess: () => {
      returnFocusTo('done');
      setStep('idle');
      setReason('');
      setDone(t('account.unlinked'));
      refresh();
    },
  });

  const open = (next: Step) => {
    setDone(null);
    confirm.reset();
    unlink.reset();
    report({});
    setStep(next);
  };
  const cancel = () => {
    returnFocusTo(step);
    setStep('idle');
  };

  function submitUnlink(e: FormEvent) {
    e.preventDefault();
    if (reason.trim().length < 5) {
      report({ reason: [t('account.unlinkReasonRequired')] });
      return;
    }
    report({});
    unlink.mutate();
  }

  return (
    <section className="record-account" aria-labelledby={`${id}-title`}>
      <p className="small">
        <strong id={`${id}-title`}>{t('account.title')}: </strong>
        {account ? (
          <>
            <span className={account.verified ? 'badge badge-ok' : 'badge badge-warn'}>{t(`account.link.${account.link}`)}</span>{' '}
            <span className="muted">#{account.userId}</span>
          </>
        ) : (
          <span className="muted">{t('account.none')}</span>
        )}
      </p>
      {account && !account.verified && step === 'idle' && <p className="muted small">{t('account.weakHint')}</p>}
      {done && step === 'idle' && (
        <p className="form-success small" role="status" tabIndex={-1} ref={target('done')}>
          {done}
        </p>
      )}
      {account && step === 'idle' && (
        <div className="btn-row">
          {!account.verified && (
            <button type="button" ref={target('confirming')} className="btn btn-secondary btn-sm" onClick={() => open('confirming')}>
              {t('account.confirm')}
            </button>
          )}
          <button type="button" ref={target('unlinking')} className="btn btn-ghost btn-sm" onClick={() => open('unlinking')}>
            {t('account.unlink')}
          </button>
        </div>
      )}
      {step === 'confirming' && (
        <div className="confirm-box" role="alertdialog" aria-labelledby={`${id}-ask`}>
          <p id={`${id}-ask`}>{t('account.confirmAsk')}</p>
          {confirm.isError && <FormError error={confirm.error} />}
          <div className="btn-row">
            <button type="button" className="btn btn-primary btn-sm" onClick={() => confirm.mutate()} disabled={confirm.isPending} autoFocus>
              {confirm.isPending ? t('state.saving') : t('account.confirmYes')}
            </button>
            <button type="button" className="btn btn-ghost btn-sm" onClick={cancel} disabled={confirm.isPending}>
              {t('action.cancel')}
            </button>
          </div>
        </div>
      )}
      {step === 'unlinking' && (
        <form className="confirm-box" onSubmit={submitUnlink} onChange={onChange} noValidate aria-labelledby={`${id}-unlink`}>
          <p id={`${id}-unlink`} className="small">
            {t('account.unlinkHint')}
          </p>
          {unlink.isError && <FormError error={unlink.error} />}
          <div className="field field-wide">
            <label htmlFor={`${id}-reason`}>{t('account.unlinkReason')}</label>
            <textarea
              id={`${id}-reason`}
              name="reason"
              rows={2}
              maxLength={300}
              autoFocus
              value={reason}
              placeholder={t('account.unlinkPlaceholder')}
              aria-invalid={reasonProblem.length > 0}
              aria-describedby={reasonProblem.length > 0 ? `${id}-reason-error` : undefined}
              onChange={(e) => setReason(e.target.value)}
            />
            <FieldError id={`${id}-reason-error`} messages={reasonProblem} />
          </div>
          <div className="btn-row">
            <button type="submit" className="btn btn-danger btn-sm" disabled={unlink.isPending}>
              {unlink.isPending ? t('state.saving') : t('account.unlinkYes')}
            </button>
            <button type="button" className="btn btn-ghost btn-sm" onClick={cancel} disabled={unlink.isPending}>
              {t('action.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
