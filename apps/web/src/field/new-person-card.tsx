import { RELATION_LABELS } from './indicators';
import type { DraftErrors, NewPersonDraft } from './visit-draft';

/** Someone the registry does not know, met at the door ("rà từng người"). */
export function NewPersonCard(props: { index: number; person: NewPersonDraft; errors: DraftErrors; onChange: (next: NewPersonDraft) => void; onRemove: () => void }) {
  const { person, index } = props;
  const key = `new.${index}`;
  const set = (patch: Partial<NewPersonDraft>) => props.onChange({ ...person, ...patch });
  const err = (field: string) => props.errors[`${key}.${field}`];
  return (
    <div className="f-card" data-new-person={index}>
      <div className="f-row">
        <h3>Người mới {index + 1}</h3>
        <button type="button" className="f-btn ghost small" style={{ flex: 'none' }} onClick={props.onRemove}>
          Bỏ
        </button>
      </div>
      <label className="f-field">
        <span>Họ và tên</span>
        <input className="f-input" autoCapitalize="words" value={person.fullName} onChange={(e) => set({ fullName: e.target.value })} aria-invalid={Boolean(err('fullName'))} data-np="fullName" />
        {err('fullName') ? <span className="f-error">{err('fullName')}</span> : null}
      </label>
      <div className="f-row top">
        <label className="f-field" style={{ flexBasis: '40%' }}>
          <span>Năm sinh</span>
          <input className="f-input" inputMode="numeric" maxLength={4} value={person.birthYear} onChange={(e) => set({ birthYear: e.target.value.replace(/\D/g, '') })} aria-invalid={Boolean(err('birthYear'))} data-np="birthYear" />
          {err('birthYear') ? <span className="f-error">{err('birthYear')}</span> : null}
        </label>
        <label className="f-field" style={{ flexBasis: '40%' }}>
          <span>Giới tính</span>
          <select className="f-input" value={person.sex} onChange={(e) => set({ sex: e.target.value as NewPersonDraft['sex'] })} data-np="sex">
            <option value="">Không rõ</option>
            <option value="male">Nam</option>
            <option value="female">Nữ</option>
          </select>
        </label>
      </div>
      <label className="f-field">
        <span>Quan hệ với chủ hộ</span>
        <select className="f-input" value={person.relationToHead} onChange={(e) => set({ relationToHead: e.target.value as NewPersonDraft['relationToHead'] })} aria-invalid={Boolean(err('relationToHead'))} data-np="relationToHead">
          <option value="">Chọn…</option>
          {Object.entries(RELATION_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        {err('relationToHead') ? <span className="f-error">{err('relationToHead')}</span> : null}
      </label>
      <label className="f-field">
        <span>Số điện thoại (không bắt buộc)</span>
        <input className="f-input" type="tel" inputMode="tel" value={person.phone} onChange={(e) => set({ phone: e.target.value })} aria-invalid={Boolean(err('phone'))} data-np="phone" />
        {err('phone') ? <span className="f-error">{err('phone')}</span> : null}
      </label>
    </div>
  );
}
