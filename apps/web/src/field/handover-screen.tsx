import type { FieldHandoverDue, FieldHousehold } from '@cds/contract';
import { imeiProblem, normaliseImei } from '@cds/domain/imei';
import { useCallback, useState } from 'react';
import { photoDataUrl } from '../shared/light/photo-data-url';
import { SignaturePad } from '../shared/light/signature-pad';
import { db, waitingFields, type OutboxHandoverRow } from './db';
import { day } from './format';
import { buildHandover, cleanCode, emptyHandover, validateHandover, type HandoverDraft, type HandoverErrors } from './handover-draft';
import { isoWithOffset, newId } from './visit-draft';

const SIGNATURE_LABELS = { area: 'Khung ký của người nhận', signHere: 'Người nhận ký vào đây', clear: 'Xoá, ký lại' };

/** The IMEI line under the field: a hint while it is typed, the problem once it is wrong or sent, a tick when right. */
function imeiStatus(text: string, tried: boolean): { tone: 'ok' | 'bad' | 'hint'; message: string } {
  const problem = imeiProblem(text);
  if (!problem) return { tone: 'ok', message: 'Số IMEI hợp lệ' };
  const digits = normaliseImei(text);
  const stillTyping = /^\d{0,14}$/.test(digits);
  if (stillTyping && !tried) return { tone: 'hint', message: digits.length === 0 ? 'Bấm *#06# trên máy mới để xem IMEI (15 chữ số)' : `Đã nhập ${digits.length}/15 chữ số` };
  return { tone: 'bad', message: problem };
}

/**
 * Handing a sponsored device over at the door: the IMEI read off the device, the recipient's
 * code or signature, a photo or why there is none, and whether the sponsor may know their name.
 * Saved to the outbox at once, like a visit; the server's answer comes with the next sync.
 */
export function HandoverScreen(props: { household: FieldHousehold; due: FieldHandoverDue; earlier: OutboxHandoverRow[]; onSaved: (message: string) => void; onCancel: () => void }) {
  const { household, due } = props;
  const [draft, setDraft] = useState<HandoverDraft>(emptyHandover);
  const [tried, setTried] = useState(false);
  const [saving, setSaving] = useState(false);
  const [photoBusy, setPhotoBusy] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const set = (patch: Partial<HandoverDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const onSignature = useCallback((signature: string | null) => setDraft((d) => ({ ...d, signature })), []);
  const errors: HandoverErrors = tried ? validateHandover(draft) : {};
  const mine = props.earlier.filter((r) => r.handover.allocationId === due.allocationId);
  const waiting = mine.find((r) => r.status === 'waiting' || r.status === 'sent');
  const lastRefused = mine.filter((r) => r.status === 'refused').sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  const imei = imeiStatus(draft.imei, tried);

  async function pickPhoto(file: File | undefined) {
    if (!file) return;
    setPhotoBusy(true);
    try {
      set({ photo: await photoDataUrl(file) });
    } catch {
      setSaveError('Không đọc được ảnh này; hãy chụp lại, hoặc ghi lý do không chụp ảnh.');
    } finally {
      setPhotoBusy(false);
    }
  }

  async function save() {
    setTried(true);
    if (Object.keys(validateHandover(draft)).length > 0) {
      requestAnimationFrame(() => document.querySelector('[aria-invalid="true"], .f-error')?.scrollIntoView({ block: 'center' }));
      return;
    }
    setSaving(true);
    setSaveError(null);
    try {
      const handover = buildHandover(draft, { householdId: household.id, due }, { clientHandoverId: newId(), handedOverAt: isoWithOffset(new Date()) });
      const row: OutboxHandoverRow = { kind: 'handover', ...waitingFields({ id: handover.clientHandoverId, householdId: household.id, label: household.address }), handover };
      await db.outbox.add(row);
      props.onSaved(navigator.onLine ? 'Đã lưu bàn giao; đang gửi…' : 'Đã lưu bàn giao trên máy; sẽ tự gửi khi có mạng.');
    } catch {
      setSaveError('Không lưu được trên máy (bộ nhớ đầy?). Đừng đóng trang; hãy thử lại.');
      setSaving(false);
    }
  }

  // "Galaxy A06 4G" names its network already; a model without it gets it added.
  const network = due.network === '5g' ? '5G' : '4G';
  const device = due.model ? (due.model.toUpperCase().includes(network) ? due.model : `${due.model} (${network})`) : `Điện thoại ${network}`;
  const errorCount = Object.keys(errors).length;
  return (
    <form
      className="f-visit"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className="f-card" id="f-handover-due">
        <h2>{household.address}</h2>
        <p className="f-hint">
          Thiết bị: <strong>{device}</strong> · tài trợ: {due.sponsorName}
        </p>
        <p className="f-hint" style={{ marginBottom: 0 }}>
          Người nhận: <strong>{due.recipient.fullName}</strong>
          {due.scheduledFor ? ` · hẹn ngày ${day(due.scheduledFor)}` : ''}
        </p>
      </div>

      {waiting ? (
        <div className="f-banner ok" role="status" id="f-handover-recorded">
          Máy này đã ghi bàn giao thiết bị này lúc {new Date(waiting.createdAt).toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit' })}
          {waiting.status === 'waiting' ? '; phiếu đang chờ gửi.' : '; máy chủ đã nhận.'}
        </div>
      ) : null}
      {!waiting && lastRefused ? (
        <div className="f-banner bad" role="alert">
          Lần ghi trước bị từ chối: {lastRefused.reason ?? 'máy chủ không nhận'}
        </div>
      ) : null}
      {errorCount > 0 ? (
        <div className="f-banner bad" role="alert">
          Còn {errorCount} chỗ cần sửa trước khi lưu.
        </div>
      ) : null}

      {waiting ? null : (
        <>
          <section className="f-card" aria-labelledby="f-imei-label">
            <label className="f-field" style={{ marginBottom: 0 }}>
              <span id="f-imei-label">Số IMEI của máy</span>
              <input
                id="f-imei"
                className="f-input f-mono"
                inputMode="numeric"
                autoComplete="off"
                spellCheck={false}
                maxLength={24}
                value={draft.imei}
                onChange={(e) => set({ imei: e.target.value })}
                aria-invalid={imei.tone === 'bad'}
                aria-describedby="f-imei-status"
              />
              <span id="f-imei-status" className={imei.tone === 'ok' ? 'f-ok' : imei.tone === 'bad' ? 'f-error' : 'f-hint'} aria-live="polite">
                {imei.tone === 'ok' ? '✓ ' : ''}
                {imei.message}
              </span>
            </label>
          </section>

          <section className="f-card" aria-labelledby="f-confirm-title">
            <h3 id="f-confirm-title">Người nhận xác nhận</h3>
            <div className="f-choices" role="group" aria-labelledby="f-confirm-title">
              <button type="button" className="f-choice" aria-pressed={draft.confirmBy === 'code'} onClick={() => set({ confirmBy: 'code' })} data-confirm="code">
                Đọc mã xác nhận
              </button>
              <button type="button" className="f-choice" aria-pressed={draft.confirmBy === 'signature'} onClick={() => set({ confirmBy: 'signature' })} data-confirm="signature">
                Ký trên màn hình
              </button>
            </div>
            {draft.confirmBy === 'code' ? (
              <label className="f-field" style={{ marginTop: 12, marginBottom: 0 }}>
                <span>Mã 6 chữ số người nhận được khi hẹn lịch</span>
                <input
                  id="f-code"
                  className="f-input f-mono"
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  maxLength={7}
                  value={draft.code}
                  onChange={(e) => set({ code: cleanCode(e.target.value) })}
                  aria-invalid={Boolean(errors.code)}
                />
                {errors.code ? <span className="f-error">{errors.code}</span> : null}
              </label>
            ) : (
              <div style={{ marginTop: 12 }}>
                <SignaturePad id="f-signature" onChange={onSignature} labels={SIGNATURE_LABELS} clearClassName="f-btn ghost small" invalid={Boolean(errors.signature)} describedBy="f-signature-error" />
                {errors.signature ? (
                  <span className="f-error" id="f-signature-error">
                    {errors.signature}
                  </span>
                ) : null}
              </div>
            )}
          </section>

          <section className="f-card" aria-labelledby="f-photo-title">
            <h3 id="f-photo-title">Ảnh bàn giao (không bắt buộc)</h3>
            {draft.photo ? (
              <div className="f-row top">
                <img src={draft.photo} alt="Ảnh bàn giao đã chụp" className="f-photo" />
                <button type="button" className="f-btn secondary small" style={{ flex: '0 0 auto' }} onClick={() => set({ photo: null })}>
                  Bỏ ảnh
                </button>
              </div>
            ) : (
              <>
                <label className="f-btn secondary block" aria-busy={photoBusy}>
                  {photoBusy ? 'Đang thu nhỏ ảnh…' : 'Chụp ảnh bàn giao'}
                  <input id="f-photo" type="file" accept="image/*" capture="environment" className="sr-only" onChange={(e) => void pickPhoto(e.target.files?.[0])} />
                </label>
                <label className="f-field" style={{ marginTop: 12, marginBottom: 0 }}>
                  <span>Hoặc lý do không chụp ảnh</span>
                  <input
                    id="f-photo-skip"
                    className="f-input"
                    value={draft.photoSkippedNote}
                    maxLength={300}
                    placeholder="Ví dụ: người nhận không muốn chụp"
                    onChange={(e) => set({ photoSkippedNote: e.target.value })}
                    aria-invalid={Boolean(errors.photoSkippedNote)}
                  />
                  {errors.photoSkippedNote ? <span className="f-error">{errors.photoSkippedNote}</span> : null}
                </label>
              </>
            )}
            {errors.photo ? <span className="f-error">{errors.photo}</span> : null}
          </section>

          <section className="f-card" aria-labelledby="f-consent-title">
            <h3 id="f-consent-title">Người nhận có đồng ý cho nhà tài trợ biết tên (và phường/xã) của mình không?</h3>
            <div className="f-choices" role="group" aria-labelledby="f-consent-title">
              <button type="button" className="f-choice" aria-pressed={draft.consent === true} onClick={() => set({ consent: true })} data-consent="yes">
                Đồng ý
              </button>
              <button type="button" className="f-choice" aria-pressed={draft.consent === false} onClick={() => set({ consent: false })} data-consent="no">
                Không đồng ý
              </button>
            </div>
            {errors.consent ? <span className="f-error">{errors.consent}</span> : <p className="f-hint" style={{ margin: '8px 0 0' }}>Không đồng ý: nhà tài trợ chỉ thấy số máy đã trao theo phường/xã.</p>}
          </section>
        </>
      )}

      {saveError ? (
        <div className="f-banner bad" role="alert">
          {saveError}
        </div>
      ) : null}
      <div className="f-sticky-save f-row">
        <button type="button" className="f-btn secondary" style={{ flex: '0 0 auto' }} onClick={props.onCancel}>
          {waiting ? 'Quay lại' : 'Hủy'}
        </button>
        {waiting ? null : (
          <button type="submit" className="f-btn" id="f-save-handover" disabled={saving || photoBusy}>
            {saving ? 'Đang lưu…' : 'Lưu bàn giao'}
          </button>
        )}
      </div>
    </form>
  );
}
