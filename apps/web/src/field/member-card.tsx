import type { FieldAction, FieldMember } from '@cds/contract';
import { useState } from 'react';
import { ACTION_LABELS, ELEMENT_STATE_LABELS, FIELD_ACTIONS, FIELD_ELEMENTS, FIELD_INDICATOR_VALUES, INDICATOR_LABELS, RELATION_LABELS, VALUE_LABELS, elementStateOf } from './indicators';
import type { DraftErrors, MemberDraft } from './visit-draft';

const STATE_TAG = { met: 'ok', partial: 'warn', missing: 'bad', unknown: '' } as const;

/** One member at the door: at home or not, the four elements confirmed or corrected, what was done for them. */
export function MemberCard(props: { member: FieldMember; draft: MemberDraft; errors: DraftErrors; onChange: (next: MemberDraft) => void }) {
  const { member, draft } = props;
  const [open, setOpen] = useState(false);
  const id = member.residentId;
  const set = (patch: Partial<MemberDraft>) => props.onChange({ ...draft, ...patch });
  const setValue = (indicator: string, value: string) => set({ values: { ...draft.values, [indicator]: value } });
  const toggleAction = (action: FieldAction) =>
    set({ actions: draft.actions.includes(action) ? draft.actions.filter((a) => a !== action) : [...draft.actions, action] });
  const presentError = props.errors[`member.${id}.present`];
  const topicError = props.errors[`member.${id}.trainingTopic`];
  const expanded = open || Boolean(topicError);

  return (
    <div className="f-member" data-member={id}>
      <div className="f-member-head">
        <label className="f-check">
          <input type="checkbox" checked={draft.present} onChange={(e) => set({ present: e.target.checked })} data-present={id} />
          <span>
            <strong>{member.fullName}</strong>
            <br />
            <span className="f-hint">
              {RELATION_LABELS[member.relationToHead] ?? member.relationToHead} · {member.birthYear}
              {member.sex ? ` · ${member.sex === 'male' ? 'Nam' : 'Nữ'}` : ''}
              {member.citizenIdMasked ? ` · CCCD ${member.citizenIdMasked}` : ''}
            </span>
          </span>
        </label>
      </div>
      <div className="f-tags" style={{ padding: '0 10px 8px' }}>
        {FIELD_ELEMENTS.map((el) => {
          const state = elementStateOf(el.required, draft.values);
          return (
            <span key={el.key} className={`f-tag ${STATE_TAG[state]}`}>
              {el.label}: {ELEMENT_STATE_LABELS[state]}
            </span>
          );
        })}
      </div>
      <div style={{ padding: '0 10px 10px' }}>
        <button type="button" className="f-btn secondary small block" aria-expanded={expanded} onClick={() => setOpen(!expanded)} data-expand={id}>
          {expanded ? 'Thu gọn' : 'Xác nhận bốn yếu tố, ghi việc đã làm'}
        </button>
      </div>
      {presentError ? <span className="f-error" style={{ padding: '0 10px 8px' }}>{presentError}</span> : null}
      {expanded ? (
        <div className="f-member-body">
          {FIELD_ELEMENTS.map((el) => (
            <div className="f-element" key={el.key}>
              <h4>{el.label}</h4>
              {el.indicators.map((indicator) => {
                const value = draft.values[indicator];
                const changed = value !== member.current[indicator];
                const allowed = FIELD_INDICATOR_VALUES[indicator] ?? [];
                const label = INDICATOR_LABELS[indicator] ?? indicator;
                return (
                  <div key={indicator} className={`f-ind${changed ? ' changed' : ''}`}>
                    <span id={`ind-${id}-${indicator}`}>
                      {label}
                      {changed ? ' (đã sửa)' : ''}
                    </span>
                    {allowed.length === 2 ? (
                      <span className="f-yn" role="group" aria-labelledby={`ind-${id}-${indicator}`}>
                        {allowed.map((v) => (
                          <button key={v} type="button" aria-pressed={value === v} onClick={() => setValue(indicator, v)} data-ind={`${id}.${indicator}.${v}`}>
                            {VALUE_LABELS[v] ?? v}
                          </button>
                        ))}
                      </span>
                    ) : (
                      <select aria-labelledby={`ind-${id}-${indicator}`} value={value ?? ''} onChange={(e) => setValue(indicator, e.target.value)} data-ind={`${id}.${indicator}`}>
                        {value === undefined ? <option value="">Chưa rõ</option> : null}
                        {allowed.map((v) => (
                          <option key={v} value={v}>
                            {VALUE_LABELS[v] ?? v}
                          </option>
                        ))}
                      </select>
                    )}
                  </div>
                );
              })}
            </div>
          ))}
          <h4>Đã làm tại chỗ</h4>
          {!draft.present ? <p className="f-hint">Đánh dấu "có ở nhà" để ghi việc đã làm cho người này.</p> : null}
          <div className="f-actions">
            {FIELD_ACTIONS.map((action) => (
              <label key={action} className="f-check">
                <input type="checkbox" disabled={!draft.present} checked={draft.actions.includes(action)} onChange={() => toggleAction(action)} data-action={`${id}.${action}`} />
                <span>{ACTION_LABELS[action]}</span>
              </label>
            ))}
          </div>
          {draft.actions.includes('trained') ? (
            <label className="f-field">
              <span>Nội dung đã hướng dẫn</span>
              <input className="f-input" value={draft.trainingTopic} onChange={(e) => set({ trainingTopic: e.target.value })} placeholder="Ví dụ: nộp hồ sơ trên Cổng DVC" aria-invalid={Boolean(topicError)} data-topic={id} />
              {topicError ? <span className="f-error">{topicError}</span> : null}
            </label>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
