import type { FieldHousehold } from '@cds/contract';
import { useState } from 'react';
import { db, waitingFields, type OutboxRow } from './db';
import { day } from './format';
import { OUTCOME_LABELS } from './indicators';
import { MemberCard } from './member-card';
import { NewPersonCard } from './new-person-card';
import { navigate, paths } from './router';
import { buildVisit, emptyDraft, isoWithOffset, newId, newPersonDraft, recordsPersonalData, validateDraft, type DraftErrors, type Outcome, type VisitDraft } from './visit-draft';

const OUTCOMES: Outcome[] = ['done', 'nobody_home', 'refused', 'moved_away'];

/**
 * The visit form, for a household of the bundle or (household null) one first found at the door.
 * Saving writes to IndexedDB at once, with or without network; sending is the sync's business.
 */
export function VisitScreen(props: { household: FieldHousehold | null; earlier: OutboxRow[]; onSaved: (message: string) => void; onCancel: () => void }) {
  const { household } = props;
  const isNew = household === null;
  const [draft, setDraft] = useState<VisitDraft>(() => emptyDraft(household));
  // Checked on "Lưu phiếu" first, then as the volunteer corrects, so a fixed field stops being flagged.
  const [tried, setTried] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const set = (patch: Partial<VisitDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const personal = recordsPersonalData(draft);
  const errors: DraftErrors = tried ? validateDraft(draft, { isNewHousehold: isNew, currentYear: new Date().getFullYear() }) : {};

  async function save() {
    const found = validateDraft(draft, { isNewHousehold: isNew, currentYear: new Date().getFullYear() });
    setTried(true);
    if (Object.keys(found).length > 0) {
      requestAnimationFrame(() => document.querySelector('[aria-invalid="true"], .f-error')?.scrollIntoView({ block: 'center' }));
      return;
    }
    setSaving(true);
    setSaveError(null);
    try {
      const visit = buildVisit(draft, household, { clientVisitId: newId(), visitedAt: isoWithOffset(new Date()) });
      const row: OutboxRow = { ...waitingFields({ id: visit.clientVisitId, householdId: visit.householdId, label: household?.address ?? draft.address.trim() }), visit };
      await db.outbox.add(row);
      props.onSaved(navigator.onLine ? 'Đã lưu phiếu; đang gửi…' : 'Đã lưu phiếu trên máy; sẽ tự gửi khi có mạng.');
    } catch {
      setSaveError('Không lưu được phiếu trên máy (bộ nhớ đầy?). Đừng đóng trang; hãy thử lại.');
      setSaving(false);
    }
  }

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
      <div className="f-card">
        {isNew ? (
          <>
            <h2>Hộ mới tìm thấy</h2>
            <label className="f-field">
              <span>Địa chỉ</span>
              <input id="f-address" className="f-input" value={draft.address} onChange={(e) => set({ address: e.target.value })} placeholder="Số nhà, hẻm, đường, khu phố" aria-invalid={Boolean(errors.address)} />
              {errors.address ? <span className="f-error">{errors.address}</span> : null}
            </label>
          </>
        ) : (
          <>
            <h2>{household.address}</h2>
            <p className="f-hint">
              {household.neighbourhoodName ? `${household.neighbourhoodName} · ` : ''}
              {household.members.length} người
              {household.lastVisit ? ` · Lần thăm trước: ${OUTCOME_LABELS[household.lastVisit.outcome] ?? household.lastVisit.outcome}, ${day(household.lastVisit.at)}` : ''}
            </p>
          </>
        )}
        {props.earlier.length > 0 ? (
          <p className="f-hint">
            Máy này đã ghi {props.earlier.length} phiếu cho hộ này ({props.earlier.filter((r) => r.status === 'waiting').length} chờ gửi).
          </p>
        ) : null}
      </div>

      {household?.handovers?.map((due) => (
        <div className="f-card f-handover-due" key={due.allocationId}>
          <p>
            <strong>Thiết bị chờ bàn giao:</strong> {due.model ?? 'điện thoại'} cho {due.recipient.fullName}
            {due.scheduledFor ? `, hẹn ngày ${day(due.scheduledFor)}` : ''}.
          </p>
          <a
            className="f-btn block"
            data-open-handover={due.allocationId}
            href={paths.handover(household.id, due.allocationId)}
            onClick={(e) => {
              e.preventDefault();
              navigate(paths.handover(household.id, due.allocationId));
            }}
          >
            Bàn giao thiết bị
          </a>
        </div>
      ))}

      {errorCount > 0 ? (
        <div className="f-banner bad" role="alert">
          Còn {errorCount} chỗ cần sửa trước khi lưu.
        </div>
      ) : null}

      <section className="f-card" aria-labelledby="f-outcome-title">
        <h3 id="f-outcome-title">Kết quả lần thăm</h3>
        <div className="f-choices" role="group" aria-labelledby="f-outcome-title">
          {OUTCOMES.map((o) => (
            <button key={o} type="button" className="f-choice" aria-pressed={draft.outcome === o} onClick={() => set({ outcome: o })} data-outcome={o}>
              {OUTCOME_LABELS[o]}
            </button>
          ))}
        </div>
        {errors.outcome ? <span className="f-error">{errors.outcome}</span> : null}
        {draft.outcome === 'done' ? (
          <label className="f-check" style={{ marginTop: 8 }}>
            <input id="f-consent" type="checkbox" checked={draft.consent} onChange={(e) => set({ consent: e.target.checked })} />
            <span>Hộ đồng ý cho ghi thông tin cá nhân (người có ở nhà, bốn yếu tố, người mới)</span>
          </label>
        ) : null}
        {draft.outcome === 'done' && !draft.consent ? <p className="f-banner warn">Chưa có sự đồng ý: phiếu chỉ ghi kết quả lần thăm, không ghi thông tin cá nhân.</p> : null}
        {draft.outcome && draft.outcome !== 'moved_away' ? (
          <label className="f-check">
            <input type="checkbox" checked={draft.needReturn || draft.outcome === 'nobody_home'} disabled={draft.outcome === 'nobody_home'} onChange={(e) => set({ needReturn: e.target.checked })} data-need="return_visit" />
            <span>Cần quay lại lần sau</span>
          </label>
        ) : null}
      </section>

      {personal ? (
        <>
          {!isNew ? (
            <section className="f-section" aria-labelledby="f-members-title">
              <h3 id="f-members-title">Ai có ở nhà? Xác nhận bốn yếu tố</h3>
              {errors.present ? <span className="f-error">{errors.present}</span> : null}
              {household.members.map((member, i) => {
                const memberDraft = draft.members[i];
                if (!memberDraft) return null;
                return (
                  <MemberCard
                    key={member.residentId}
                    member={member}
                    draft={memberDraft}
                    errors={errors}
                    onChange={(next) => setDraft((d) => ({ ...d, members: d.members.map((m, j) => (j === i ? next : m)) }))}
                  />
                );
              })}
            </section>
          ) : errors.present ? (
            <span className="f-error">{errors.present}</span>
          ) : null}

          <section className="f-section" aria-labelledby="f-new-title">
            <h3 id="f-new-title">Người chưa có trong danh sách</h3>
            {draft.newPeople.map((person, i) => (
              <NewPersonCard
                key={person.clientPersonId}
                index={i}
                person={person}
                errors={errors}
                onChange={(next) => setDraft((d) => ({ ...d, newPeople: d.newPeople.map((p, j) => (j === i ? next : p)) }))}
                onRemove={() => setDraft((d) => ({ ...d, newPeople: d.newPeople.filter((_, j) => j !== i) }))}
              />
            ))}
            <button type="button" className="f-btn secondary block" id="f-add-person" onClick={() => set({ newPeople: [...draft.newPeople, newPersonDraft(newId())] })}>
              + Thêm người mới
            </button>
          </section>

          <section className="f-card f-section" aria-labelledby="f-needs-title">
            <h3 id="f-needs-title">Nhu cầu</h3>
            <label className="f-check">
              <input type="checkbox" checked={draft.needDevice} onChange={(e) => set({ needDevice: e.target.checked })} data-need="device" />
              <span>Cần hỗ trợ thiết bị (điện thoại thông minh)</span>
            </label>
            <label className="f-check">
              <input type="checkbox" checked={draft.needHelp} onChange={(e) => set({ needHelp: e.target.checked })} data-need="help" />
              <span>Cần giúp việc khác</span>
            </label>
            {draft.needHelp ? (
              <label className="f-field">
                <span>Cần giúp việc gì?</span>
                <input id="f-help" className="f-input" value={draft.helpDetail} onChange={(e) => set({ helpDetail: e.target.value })} aria-invalid={Boolean(errors.helpDetail)} />
                {errors.helpDetail ? <span className="f-error">{errors.helpDetail}</span> : null}
              </label>
            ) : null}
          </section>
        </>
      ) : null}

      <label className="f-field f-section">
        <span>Ghi chú (không ghi số giấy tờ)</span>
        <textarea id="f-note" className="f-input" value={draft.note} onChange={(e) => set({ note: e.target.value })} aria-invalid={Boolean(errors.note)} />
        {errors.note ? <span className="f-error">{errors.note}</span> : null}
      </label>

      {saveError ? (
        <div className="f-banner bad" role="alert">
          {saveError}
        </div>
      ) : null}
      <div className="f-sticky-save f-row">
        <button type="button" className="f-btn secondary" style={{ flex: '0 0 auto' }} onClick={props.onCancel}>
          Hủy
        </button>
        <button type="submit" className="f-btn" id="f-save" disabled={saving}>
          {saving ? 'Đang lưu…' : 'Lưu phiếu'}
        </button>
      </div>
    </form>
  );
}
