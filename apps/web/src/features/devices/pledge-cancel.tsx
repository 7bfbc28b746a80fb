import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../shared/api/api-client';
import { FieldError } from '../../shared/components/form-error';
import { useFieldProblems } from '../../shared/light/use-field-problems';
import { useI18n } from '../../shared/i18n/i18n-context';
import { cancelPledge, deviceKeys, type PledgeView } from './devices-api';

/**
 * Asks once more, and why, before the city withdraws a pledge (POST /api/devices/pledges/:id/cancel).
 * The reason is kept with the pledge. The server refuses once a unit has received devices of it;
 * that refusal is said in plain words.
 */
export function PledgeCancelDialog({ pledge, onDone, onClose }: { pledge: PledgeView; onDone: (message: string) => void; onClose: () => void }) {
  const { t, number, errorMessage } = useI18n();
  const queryClient = useQueryClient();
  const ref = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const { problems, report, onChange } = useFieldProblems<{ reason?: true }>();
  const save = useMutation({
    mutationFn: () => cancelPledge(pledge.id, { reason: reason.trim() }),
    onSuccess: () => onDone(t('dsPledgeCancel.done', { sponsor: pledge.sponsorName })),
    // Cancelled or refused, the figures may have moved: read the pledges and stock again.
    onSettled: () => void queryClient.invalidateQueries({ queryKey: deviceKeys.all }),
  });

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const refused = save.error instanceof ApiError && save.error.code === 'DEVICE_WRONG_STATE';
  function submit(e: FormEvent) {
    e.preventDefault();
    const short = reason.trim().length < 3;
    report(short ? { reason: true } : {});
    if (!short) save.mutate();
  }
  const lot =
    pledge.kind === 'device'
      ? `${pledge.model ?? t('dsStock.anyModel')} · ${pledge.network.toUpperCase()}`
      : t('dsPortal.moneyLine', { amount: number(pledge.amountVnd), subsidy: number(pledge.subsidyPerDeviceVnd) });

  return (
    <dialog
      ref={ref}
      className="confirm-dialog"
      aria-labelledby="pledge-cancel-title"
      aria-describedby="pledge-cancel-question"
      onCancel={(e) => {
        e.preventDefault();
        if (!save.isPending) onClose();
      }}
    >
      <h2 id="pledge-cancel-title" className="form-title">
        {t('dsPledgeCancel.title')}
      </h2>
      <p id="pledge-cancel-question">{t('dsPledgeCancel.question', { sponsor: pledge.sponsorName, lot, n: number(pledge.quantity) })}</p>
      <p className="hint">{t('dsPledgeCancel.note')}</p>
      <form onSubmit={submit} onChange={onChange} noValidate>
        {!refused && (
          <div className="field">
            <label htmlFor="pledge-cancel-reason">{t('dsPledgeCancel.reason')}</label>
            <textarea
              id="pledge-cancel-reason"
              name="reason"
              rows={2}
              maxLength={300}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              aria-invalid={problems.reason}
              aria-describedby={problems.reason ? 'pledge-cancel-reason-error' : undefined}
            />
            <FieldError id="pledge-cancel-reason-error" messages={problems.reason ? [t('dsPledgeCancel.reasonRequired')] : []} />
          </div>
        )}
        {save.error ? (
          <div className="form-error" role="alert">
            <p>{refused ? t('dsPledgeCancel.wrongState') : errorMessage(save.error)}</p>
          </div>
        ) : null}
        <div className="btn-row">
          {!refused && (
            <button type="submit" className="btn btn-danger" disabled={save.isPending}>
              {save.isPending ? t('dsPledgeCancel.working') : t('dsPledgeCancel.confirm')}
            </button>
          )}
          <button type="button" className="btn btn-secondary" disabled={save.isPending} onClick={onClose}>
            {refused ? t('dsPledgeCancel.close') : t('dsPledgeCancel.keep')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
