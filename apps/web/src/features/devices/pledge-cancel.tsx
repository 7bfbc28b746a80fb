import { useEffect, useRef } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../shared/api/api-client';
import { useI18n } from '../../shared/i18n/i18n-context';
import { cancelPledge, deviceKeys, type PledgeView } from './devices-api';

/**
 * Asks once more before the city withdraws a pledge (POST /api/devices/pledges/:id/cancel, no body).
 * The server refuses once a unit has received devices of it; that refusal is said in plain words.
 */
export function PledgeCancelDialog({ pledge, onDone, onClose }: { pledge: PledgeView; onDone: (message: string) => void; onClose: () => void }) {
  const { t, number, errorMessage } = useI18n();
  const queryClient = useQueryClient();
  const ref = useRef<HTMLDialogElement>(null);
  const save = useMutation({
    mutationFn: () => cancelPledge(pledge.id),
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
      {save.error ? (
        <div className="form-error" role="alert">
          <p>{refused ? t('dsPledgeCancel.wrongState') : errorMessage(save.error)}</p>
        </div>
      ) : null}
      <div className="btn-row">
        {!refused && (
          <button type="button" className="btn btn-danger" disabled={save.isPending} onClick={() => save.mutate()}>
            {save.isPending ? t('dsPledgeCancel.working') : t('dsPledgeCancel.confirm')}
          </button>
        )}
        <button type="button" className="btn btn-secondary" disabled={save.isPending} onClick={onClose} autoFocus>
          {refused ? t('dsPledgeCancel.close') : t('dsPledgeCancel.keep')}
        </button>
      </div>
    </dialog>
  );
}
