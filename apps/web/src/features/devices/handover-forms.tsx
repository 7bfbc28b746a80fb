import { useCallback, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../shared/api/api-client';
import { FieldError, FormError } from '../../shared/components/form-error';
import { useFieldProblems } from '../../shared/light/use-field-problems';
import { LoadingState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { fetchHousehold, registryKeys } from '../registry/registry-api';
import { cancelAllocation, deviceKeys, recordFollowUp, recordHandover, scheduleHandover, type AllocationView, type ScheduledT } from './devices-api';
import { vietnamToday } from '../../shared/i18n/formats';
import { cleanCode, type Problems } from './device-rules';
import { ImeiInput } from './imei-input';
import { checkImei } from './imei';
import { SignaturePad } from './signature-pad';
import { photoDataUrl } from '../../shared/light/photo-data-url';
import { DayInput } from '../../shared/components/day-input';

function useRefresh() {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: deviceKeys.all });
}

/** Cancel an allocation: the device goes back to the lot. Asked once more, with a reason. */
export function CancelForm({ a, onDone, onClose }: { a: AllocationView; onDone: (msg: string) => void; onClose: () => void }) {
  const { t } = useI18n();
  const refresh = useRefresh();
  const [reason, setReason] = useState('');
  const { problems, report, onChange } = useFieldProblems<{ reason?: true }>();
  const [asking, setAsking] = useState(false);
  const save = useMutation({
    mutationFn: () => cancelAllocation(a.id, { reason: reason.trim() }),
    onSuccess: () => {
      refresh();
      onDone(t('dsHandover.cancelled', { address: a.address }));
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    const bad = reason.trim().length < 3;
    report(bad ? { reason: true } : {});
    if (!bad) setAsking(true);
  }
  return (
    <form className="form-stack" onSubmit={submit} onChange={onChange} noValidate>
      <div className="field">
        <label htmlFor="cancel-reason">{t('dsHandover.cancelReason')}</label>
        <textarea
          id="cancel-reason"
          name="reason"
          rows={2}
          maxLength={500}
          value={reason}
          onChange={(e) => {
            setReason(e.target.value);
            setAsking(false);
          }}
          aria-invalid={problems.reason}
          aria-describedby="cancel-reason-error"
        />
        <FieldError id="cancel-reason-error" messages={problems.reason ? [t('dsHandover.cancelReasonShort')] : []} />
      </div>
      <FormError error={save.error} />
      {asking ? (
        <div className="inline-confirm" role="group">
          <span>{t('dsHandover.cancelQuestion', { address: a.address })}</span>
          <span className="btn-row">
            <button type="button" className="btn btn-danger btn-sm" disabled={save.isPending} onClick={() => save.mutate()}>
              {save.isPending ? t('campaign.working') : t('dsHandover.cancelConfirm')}
            </button>
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => setAsking(false)}>
              {t('dsHandover.keep')}
            </button>
          </span>
        </div>
      ) : (
        <div className="btn-row">
          <button type="submit" className="btn btn-danger">
            {t('dsHandover.cancelAllocation')}
          </button>
          <button type="button" className="btn btn-ghost" onClick={onClose}>
            {t('action.cancel')}
          </button>
        </div>
      )}
    </form>
  );
}

/** Set the day and the member who receives; the one-time code is shown once, to be given to them. */
export function ScheduleForm({ a, onClose }: { a: AllocationView; onClose: () => void }) {
  const { t, date } = useI18n();
  const refresh = useRefresh();
  const today = vietnamToday();
  const household = useQuery({ queryKey: registryKeys.household(a.householdId), queryFn: () => fetchHousehold(a.householdId) });
  const [day, setDay] = useState(a.scheduledFor?.slice(0, 10) ?? today);
  const [recipient, setRecipient] = useState(a.recipient ? String(a.recipient.residentId) : '');
  const { problems: errors, report, onChange } = useFieldProblems<Problems<'day' | 'recipient'>>();
  const [result, setResult] = useState<ScheduledT | null>(null);
  const save = useMutation({
    mutationFn: () => scheduleHandover(a.id, { scheduledFor: day, recipientResidentId: Number(recipient) }),
    onSuccess: (r) => {
      setResult(r);
      refresh();
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    const found: Problems<'day' | 'recipient'> = {};
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || day < today) found.day = { key: 'dsHandover.dayInvalid' };
    if (!recipient) found.recipient = { key: 'dsHandover.recipientRequired' };
    report(found);
    if (Object.keys(found).length === 0) save.mutate();
  }
  if (result) {
    return (
      <div className="form-stack" role="status">
        <p className="form-success">
          {t('dsHandover.scheduledOn', { date: date(result.allocation.scheduledFor), name: result.allocation.recipient?.fullName ?? '' })}
        </p>
        <div className="invite-created">
          <p>{t('dsHandover.codeIntro')}</p>
          <p className="mono" style={{ fontSize: 32, fontWeight: 750, letterSpacing: '0.2em', margin: '8px 0' }}>
            {result.confirmationCode}
          </p>
          <p className="muted small">{t('dsHandover.codeOnce')}</p>
        </div>
        <div className="btn-row">
          <button type="button" className="btn btn-primary" onClick={onClose}>
            {t('dsHandover.done')}
          </button>
        </div>
      </div>
    );
  }
  const err = (k: 'day' | 'recipient') => (errors[k] ? [t(errors[k].key)] : []);
  return (
    <form className="form-stack" onSubmit={submit} onChange={onChange} noValidate>
      <div className="form-grid wide-form-grid">
        <div className="field">
          <label htmlFor="schedule-day">{t('dsHandover.day')}</label>
          <DayInput id="schedule-day" name="day" min={today} value={day} onValueChange={setDay} aria-invalid={errors.day ? true : undefined} aria-describedby="schedule-day-error" />
          <FieldError id="schedule-day-error" messages={err('day')} />
        </div>
        <div className="field">
          <label htmlFor="schedule-recipient">{t('dsHandover.recipient')}</label>
          {household.isPending ? (
            <LoadingState />
          ) : (
            <select id="schedule-recipient" name="recipient" value={recipient} onChange={(e) => setRecipient(e.target.value)} aria-invalid={errors.recipient ? true : undefined} aria-describedby="schedule-recipient-error">
              <option value="">{t('dsHandover.chooseRecipient')}</option>
              {(household.data?.residents ?? (a.recipient ? [{ id: a.recipient.residentId, fullName: a.recipient.fullName, age: null }] : [])).map((r) => (
                <option key={r.id} value={r.id}>
                  {r.fullName}
                  {typeof r.age === 'number' ? ` (${r.age})` : ''}
                </option>
              ))}
            </select>
          )}
          <FieldError id="schedule-recipient-error" messages={err('recipient')} />
        </div>
      </div>
      <FormError error={save.error ?? household.error} />
      <div className="btn-row">
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {save.isPending ? t('state.saving') : t('dsHandover.scheduleSubmit')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onClose}>
          {t('action.cancel')}
        </button>
      </div>
    </form>
  );
}

type HandoverField = 'imei' | 'code' | 'signature' | 'day' | 'skipNote';
/** The request's name of each field, for the server's answer about it. */
const SENT_AS: Record<Exclude<HandoverField, 'imei'>, string> = { code: 'confirmationCode', signature: 'signaturePng', day: 'handedOverOn', skipNote: 'photoSkippedNote' };

/** The handover itself: the device's IMEI, the recipient's confirmation, an optional photo, consent. */
export function HandoverForm({ a, onDone, onClose }: { a: AllocationView; onDone: (msg: string) => void; onClose: () => void }) {
  const { t } = useI18n();
  const refresh = useRefresh();
  const today = vietnamToday();
  const [imei, setImei] = useState('');
  const [method, setMethod] = useState<'signature' | 'code'>('signature');
  const [signature, setSignature] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [photo, setPhoto] = useState<string | null>(null);
  const [photoBusy, setPhotoBusy] = useState(false);
  const [skipNote, setSkipNote] = useState('');
  const [consent, setConsent] = useState(false);
  const [day, setDay] = useState(today);
  const { problems: errors, report, onChange, changed, isChanged } = useFieldProblems<Problems<HandoverField>>();
  // Said when the file is chosen, not when the form is sent: it stays until another file is chosen.
  const [photoProblem, setPhotoProblem] = useState<Problems<'photo'>['photo']>(undefined);
  const onSignature = useCallback(
    (d: string | null) => {
      setSignature(d);
      // The pad also reports an empty canvas (cleared, or redrawn at a new size): that answers nothing.
      if (d) changed('signature');
    },
    [changed],
  );
  const save = useMutation({
    mutationFn: () =>
      recordHandover(a.id, {
        imei: checkImei(imei).digits,
        confirmationCode: method === 'code' ? code : undefined,
        signaturePng: method === 'signature' ? (signature ?? undefined) : undefined,
        photo: photo ?? undefined,
        photoSkippedNote: photo ? undefined : skipNote.trim(),
        consentToSponsor: consent,
        handedOverOn: day,
      }),
    onSuccess: () => {
      refresh();
      onDone(t('dsHandover.recorded', { address: a.address }));
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    const found: Problems<HandoverField> = {};
    if (checkImei(imei).state !== 'ok') found.imei = { key: 'dsHandover.imeiFix' };
    if (method === 'code' && !/^\d{6}$/.test(code)) found.code = { key: 'dsHandover.codeInvalid' };
    if (method === 'signature' && !signature) found.signature = { key: 'dsHandover.signatureRequired' };
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || day > today) found.day = { key: 'dsHandover.handoverDayInvalid' };
    // The server asks for a photo, or a word on why there is none.
    if (!photo && skipNote.trim().length < 3) found.skipNote = { key: 'dsHandover.skipNoteRequired' };
    report(found);
    if (Object.keys(found).length === 0) save.mutate();
  }
  async function pickPhoto(file: File | undefined) {
    setPhotoProblem(undefined);
    if (!file) {
      setPhoto(null);
      return;
    }
    if (!/^image\/(png|jpeg|webp|heic|heif)$/.test(file.type) && !file.type.startsWith('image/')) {
      setPhotoProblem({ key: 'dsHandover.photoType' });
      return;
    }
    setPhotoBusy(true);
    try {
      setPhoto(await photoDataUrl(file));
      // A photo, or a word on why there is none: the photo answers the note's message.
      changed('skipNote');
    } catch (error) {
      // The scaler says which: the file is no picture the browser can read, or too large even small.
      const tooLarge = error instanceof Error && error.message === 'Ảnh quá lớn';
      setPhotoProblem({ key: tooLarge ? 'dsHandover.photoTooLarge' : 'dsHandover.photoType' });
    } finally {
      setPhotoBusy(false);
    }
  }
  // The server's refusal of a field (a wrong code) is said under that field, once; the IMEI field says its own.
  const refused = (k: HandoverField) => (save.error instanceof ApiError && k !== 'imei' ? save.error.issuesFor(SENT_AS[k]) : []);
  const err = (k: HandoverField) => [...(errors[k] ? [t(errors[k].key)] : []), ...(isChanged(k) ? [] : refused(k))];
  // The box at the end is left out only when every refusal stands under a field on screen.
  const onScreen: Exclude<HandoverField, 'imei'>[] = ['day', method === 'code' ? 'code' : 'signature', ...(photo ? [] : (['skipNote'] as const))];
  const allSaidAtFields =
    save.error instanceof ApiError &&
    save.error.issues.length > 0 &&
    save.error.issues.every((i) => onScreen.some((k) => i.path === SENT_AS[k] || i.path.endsWith(`.${SENT_AS[k]}`)));
  return (
    <form className="form-stack" onSubmit={submit} onChange={onChange} noValidate>
      <p className="muted small">
        {t('dsHandover.recipientIs', { name: a.recipient?.fullName ?? t('dsHandover.noRecipient') })}
      </p>
      <ImeiInput id="handover-imei" name="imei" value={imei} onChange={setImei} submitted={Boolean(errors.imei)} />
      <fieldset className="field">
        <legend>{t('dsHandover.confirmation')}</legend>
        <div className="segmented" role="group" aria-label={t('dsHandover.confirmation')}>
          <button type="button" className="segmented-button" aria-pressed={method === 'signature'} onClick={() => setMethod('signature')}>
            {t('dsHandover.bySignature')}
          </button>
          <button type="button" className="segmented-button" aria-pressed={method === 'code'} onClick={() => setMethod('code')}>
            {t('dsHandover.byCode')}
          </button>
        </div>
      </fieldset>
      {method === 'signature' ? (
        <div className="field">
          <label htmlFor="handover-signature">{t('dsHandover.signatureLabel')}</label>
          <SignaturePad id="handover-signature" onChange={onSignature} invalid={err('signature').length > 0} describedBy="handover-signature-error" />
          <FieldError id="handover-signature-error" messages={err('signature')} />
        </div>
      ) : (
        <div className="field">
          <label htmlFor="handover-code">{t('dsHandover.codeLabel')}</label>
          <input
            id="handover-code"
            name="code"
            className="imei-input"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            value={code}
            onChange={(e) => setCode(cleanCode(e.target.value))}
            aria-invalid={err('code').length > 0 || undefined}
            aria-describedby="handover-code-hint handover-code-error"
            style={{ maxWidth: 180 }}
          />
          <p id="handover-code-hint" className="hint">
            {t('dsHandover.codeHint')}
          </p>
          <FieldError id="handover-code-error" messages={err('code')} />
        </div>
      )}
      <div className="form-grid wide-form-grid">
        <div className="field">
          <label htmlFor="handover-photo">
            {t('dsHandover.photo')}
          </label>
          <input id="handover-photo" type="file" accept="image/*" capture="environment" onChange={(e) => void pickPhoto(e.target.files?.[0])} aria-describedby="handover-photo-error" />
          {photoBusy && <p className="hint">{t('state.loading')}</p>}
          {photo && <img src={photo} alt={t('dsHandover.photoPreview')} style={{ maxWidth: 160, maxHeight: 120, borderRadius: 6, marginTop: 6 }} />}
          <FieldError id="handover-photo-error" messages={photoProblem ? [t(photoProblem.key)] : []} />
        </div>
        {!photo && (
          <div className="field">
            <label htmlFor="handover-skip-note">{t('dsHandover.skipNote')}</label>
            <input
              id="handover-skip-note"
              name="skipNote"
              value={skipNote}
              maxLength={300}
              placeholder={t('dsHandover.skipNotePlaceholder')}
              onChange={(e) => setSkipNote(e.target.value)}
              aria-invalid={err('skipNote').length > 0 || undefined}
              aria-describedby="handover-skip-note-error"
            />
            <FieldError id="handover-skip-note-error" messages={err('skipNote')} />
          </div>
        )}
        <div className="field">
          <label htmlFor="handover-day">{t('dsHandover.handoverDay')}</label>
          <DayInput id="handover-day" name="day" max={today} value={day} onValueChange={setDay} aria-invalid={err('day').length > 0 || undefined} aria-describedby="handover-day-error" />
          <FieldError id="handover-day-error" messages={err('day')} />
        </div>
      </div>
      <label className="check-line">
        <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} />
        <span>
          {t('dsHandover.consent')}
          <span className="hint" style={{ display: 'block' }}>
            {t('dsHandover.consentHint')}
          </span>
        </span>
      </label>
      {!allSaidAtFields && <FormError error={save.error} />}
      <div className="btn-row">
        <button type="submit" className="btn btn-primary" disabled={save.isPending || photoBusy}>
          {save.isPending ? t('state.saving') : t('dsHandover.recordSubmit')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onClose}>
          {t('action.cancel')}
        </button>
      </div>
    </form>
  );
}

/** A month after: is the device still in use? */
export function FollowUpForm({ a, onDone, onClose }: { a: AllocationView; onDone: (msg: string) => void; onClose: () => void }) {
  const { t } = useI18n();
  const refresh = useRefresh();
  const [inUse, setInUse] = useState<'' | 'yes' | 'no'>('');
  const [note, setNote] = useState('');
  const { problems, report, onChange } = useFieldProblems<{ inUse?: true }>();
  const save = useMutation({
    mutationFn: () => recordFollowUp(a.id, { inUse: inUse === 'yes', note: note.trim() || undefined }),
    onSuccess: () => {
      refresh();
      onDone(t('dsHandover.followedUp', { address: a.address }));
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    report(inUse === '' ? { inUse: true } : {});
    if (inUse !== '') save.mutate();
  }
  return (
    <form className="form-stack" onSubmit={submit} onChange={onChange} noValidate>
      <fieldset className="field" aria-describedby="followup-error">
        <legend>{t('dsHandover.inUseQuestion')}</legend>
        <div className="btn-row">
          <label className="check-line">
            <input type="radio" name="inUse" checked={inUse === 'yes'} onChange={() => setInUse('yes')} />
            <span>{t('dsHandover.inUseYes')}</span>
          </label>
          <label className="check-line">
            <input type="radio" name="inUse" checked={inUse === 'no'} onChange={() => setInUse('no')} />
            <span>{t('dsHandover.inUseNo')}</span>
          </label>
        </div>
        <FieldError id="followup-error" messages={problems.inUse ? [t('dsHandover.inUseRequired')] : []} />
      </fieldset>
      <div className="field">
        <label htmlFor="followup-note">
          {t('dsHandover.note')} <span className="muted">{t('form.optional')}</span>
        </label>
        <textarea id="followup-note" rows={2} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
      <FormError error={save.error} />
      <div className="btn-row">
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {save.isPending ? t('state.saving') : t('dsHandover.followUpSubmit')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onClose}>
          {t('action.cancel')}
        </button>
      </div>
    </form>
  );
}
