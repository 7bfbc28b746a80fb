import type { ElementStatus, LearnerProfile, ResidentDetail } from '@cds/contract';
import { valueCounts } from '@cds/domain/elements';
import type { Indicator } from '@cds/domain';
import { useState, type FormEvent } from 'react';
import { maskDayText, parseDayText } from '../shared/components/day-text';
import * as api from './api';
import type { SessionState } from './app';
import { GUIDES, SCAM_ALERTS } from './guides';
import { paths } from './routes';
import { Link, PageTitle, ProgressBar, Show, errorText } from './ui';
import { useLoad } from './use-load';

const ELEMENT_NAMES: Record<string, string> = { identity: 'Định danh số', device: 'Thiết bị số', accounts: 'Tài khoản số', skills: 'Kỹ năng số' };
const STATE_NAMES: Record<string, string> = { met: 'Đã đủ', partial: 'Còn thiếu một phần', missing: 'Chưa có', unknown: 'Chưa có thông tin', not_applicable: 'Chưa áp dụng' };

/** "Công dân số của tôi": the resident's own four elements, what is missing and how to get it, requests for help, certificates. */
export function MeScreen(props: { session: SessionState }) {
  const { me } = props.session;
  if (!me) {
    return (
      <>
        <PageTitle>Công dân số của tôi</PageTitle>
        <p>Đăng nhập để xem bạn đã có đủ 4 yếu tố của công dân số chưa, còn thiếu gì và làm thế nào.</p>
        <Link to={paths.signIn(paths.me)} className="l-btn big">
          Đăng nhập bằng số điện thoại
        </Link>
        <ScamAlerts />
      </>
    );
  }
  return <SignedInMe session={props.session} />;
}

function SignedInMe({ session }: { session: SessionState }) {
  const me = session.me!;
  const profile = useLoad(api.profile, `profile:${me.id}:${me.residentId ?? 0}`);
  const record = useLoad(() => (me.residentId === null ? Promise.resolve(null) : api.ownRecord(me.residentId)), `record:${me.residentId ?? 0}`);
  const certificates = useLoad(api.myCertificates, `certs:${me.id}`);
  return (
    <>
      <PageTitle sub="Bốn yếu tố cốt lõi: định danh số, thiết bị số, tài khoản số, kỹ năng số.">Công dân số của tôi</PageTitle>
      <Show loaded={profile}>{(p) => (p.linked ? null : <LinkRecord profile={p} session={session} />)}</Show>
      <Show loaded={record}>{(r) => (r ? <Elements record={r} /> : null)}</Show>
      <section aria-labelledby="certs-title">
        <h2 id="certs-title">Giấy chứng nhận</h2>
        <Show loaded={certificates}>
          {({ certificates: list }) =>
            list.length === 0 ? (
              <p className="l-muted">
                Chưa có. <Link to={paths.courses}>Học một khoá</Link> và làm bài kiểm tra để nhận giấy chứng nhận.
              </p>
            ) : (
              <ul className="l-cert-list">
                {list.map((c) => (
                  <li key={c.code} className="l-card">
                    <strong>{c.title}</strong>
                    <span className="l-meta">
                      {c.kind === 'basic_path' ? 'Lộ trình cơ bản · ' : ''}cấp ngày {c.issuedOn.split('-').reverse().join('/')} · mã <span className="l-code">{c.code}</span>
                    </span>
                    <span className="l-actions">
                      <a className="l-btn small" href={`/api/certificates/${c.code}/pdf`} download>
                        Tải PDF
                      </a>
                      <Link to={paths.verify(c.code)} className="l-btn small secondary">
                        Trang xác minh
                      </Link>
                    </span>
                  </li>
                ))}
              </ul>
            )
          }
        </Show>
      </section>
      <ScamAlerts />
    </>
  );
}

function Elements({ record }: { record: ResidentDetail }) {
  const applicable = record.elements.filter((e) => e.state !== 'not_applicable');
  const met = applicable.filter((e) => e.state === 'met').length;
  return (
    <section aria-labelledby="elements-title">
      <h2 id="elements-title">Xin chào {record.fullName}</h2>
      <p>
        Bạn đã đủ <strong>{met}/{applicable.length}</strong> yếu tố.
      </p>
      <ProgressBar done={met} total={applicable.length} label="Số yếu tố đã đủ" />
      <div className="l-elements">
        {record.elements.map((e) => (
          <ElementCard key={e.element} element={e} />
        ))}
      </div>
      <p className="l-muted">Thông tin chưa đúng? Bấm "Đề nghị cán bộ đến nhà hỗ trợ" để được kiểm tra lại.</p>
      <HelpRequests record={record} />
    </section>
  );
}

function ElementCard({ element }: { element: ElementStatus }) {
  // A guide for each indicator whose value does not count yet; a 2G-only phone only once someone said it is one.
  const missing = element.indicators.filter((i) => (i.indicator === 'phone_2g_only' ? i.value === 'true' : !valueCounts(i.indicator as Indicator, i.value ?? undefined)));
  return (
    <article className={`l-card l-element state-${element.state}`} aria-labelledby={`el-${element.element}`}>
      <h3 id={`el-${element.element}`}>
        {ELEMENT_NAMES[element.element] ?? element.element} <span className="l-state">{STATE_NAMES[element.state] ?? element.state}</span>
      </h3>
      {element.state !== 'not_applicable' && missing.length > 0 && (
        <ul className="l-guides">
          {missing.map((i) => {
            const guide = GUIDES[i.indicator];
            if (!guide) return null;
            return (
              <li key={i.indicator}>
                <details>
                  <summary>{guide.title}</summary>
                  <ol>
                    {guide.steps.map((s) => (
                      <li key={s}>{s}</li>
                    ))}
                  </ol>
                  {guide.course && (
                    <p>
                      <Link to={paths.course(guide.course)}>Học cách làm ›</Link>
                    </p>
                  )}
                  {guide.action && <p className="l-muted">Dùng nút {guide.action === 'device' ? '"Đề nghị hỗ trợ thiết bị"' : '"Đề nghị cán bộ đến nhà hỗ trợ"'} ở dưới.</p>}
                </details>
              </li>
            );
          })}
        </ul>
      )}
    </article>
  );
}

/** What the registry does not hold but raises a household's priority for a sponsored device. */
const CIRCUMSTANCES: ReadonlyArray<[api.Circumstance, string]> = [
  ['disability', 'Trong hộ có người khuyết tật'],
  ['pupil', 'Có học sinh cần học trực tuyến'],
  ['single_parent', 'Cha hoặc mẹ nuôi con một mình'],
];

function HelpRequests({ record }: { record: ResidentDetail }) {
  const [note, setNote] = useState('');
  const [stated, setStated] = useState<api.Circumstance[]>([]);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (kind: 'visit' | 'device') => {
    setBusy(true);
    setMessage(null);
    try {
      if (kind === 'visit') {
        const answer = await api.requestVisit(note.trim());
        setMessage({ ok: true, text: answer.alreadyOpen ? 'Bạn đã đề nghị trước đó; cán bộ sẽ liên hệ sớm.' : 'Đã gửi đề nghị. Tổ công tác của phường, xã sẽ liên hệ hẹn ngày đến nhà.' });
      } else {
        const answer = await api.requestDevice(record.householdId, record.id, note.trim(), stated);
        setStated([]);
        setMessage({
          ok: true,
          text: answer.alreadyOpen
            ? 'Bạn đã có đề nghị hỗ trợ thiết bị đang chờ xét; những điều vừa ghi đã được bổ sung vào đề nghị đó.'
            : 'Đã gửi đề nghị hỗ trợ thiết bị. Phường, xã sẽ xét theo thứ tự ưu tiên và báo cho bạn.',
        });
      }
      setNote('');
    } catch (error) {
      setMessage({ ok: false, text: errorText(error) });
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => e.preventDefault();
  return (
    <form className="l-card l-form" aria-labelledby="help-title" onSubmit={submit}>
      <h3 id="help-title">Cần giúp đỡ?</h3>
      <label htmlFor="help-note">Ghi chú cho cán bộ (không bắt buộc)</label>
      <textarea id="help-note" rows={2} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} placeholder="Ví dụ: nhà có người cao tuổi, chỉ ở nhà buổi chiều" />
      <fieldset className="l-choices">
        <legend>Khi xin thiết bị, hộ bạn có (không bắt buộc):</legend>
        {CIRCUMSTANCES.map(([code, text]) => (
          <label key={code}>
            <input type="checkbox" checked={stated.includes(code)} onChange={(e) => setStated((s) => (e.target.checked ? [...s, code] : s.filter((c) => c !== code)))} /> {text}
          </label>
        ))}
      </fieldset>
      <div className="l-actions">
        <button type="button" className="l-btn" disabled={busy} onClick={() => void run('visit')}>
          Đề nghị cán bộ đến nhà hỗ trợ
        </button>
        <button type="button" className="l-btn secondary" disabled={busy} onClick={() => void run('device')}>
          Đề nghị hỗ trợ thiết bị
        </button>
      </div>
      {message && (
        <p className={`l-alert ${message.ok ? 'ok' : 'bad'}`} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
    </form>
  );
}

function LinkRecord({ profile, session }: { profile: LearnerProfile; session: SessionState }) {
  const [citizenId, setCitizenId] = useState('');
  // Typed day first (dd/mm/yyyy): a native date field shows mm/dd/yyyy in an English browser,
  // and a birth date decades back is quicker typed than picked on a calendar.
  const [birthDateText, setBirthDateText] = useState('');
  const birthDate = parseDayText(birthDateText);
  const [name, setName] = useState(profile.displayName);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const link = async (e: FormEvent) => {
    e.preventDefault();
    if (!/^\d{12}$/.test(citizenId.trim())) return setMessage({ ok: false, text: 'Số định danh cá nhân gồm 12 chữ số (in trên thẻ căn cước).' });
    if (!birthDate) return setMessage({ ok: false, text: birthDateText ? 'Ngày sinh chưa đúng: nhập theo ngày/tháng/năm, ví dụ 02/09/1985.' : 'Nhập ngày sinh.' });
    if (birthDate > new Date().toISOString().slice(0, 10)) return setMessage({ ok: false, text: 'Ngày sinh không được ở tương lai.' });
    try {
      await api.linkRecord(citizenId.trim(), birthDate);
      await session.refresh();
    } catch (error) {
      setMessage({ ok: false, text: errorText(error) });
    }
  };
  const saveName = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api.rename(name.trim());
      await session.refresh();
      setMessage({ ok: true, text: 'Đã lưu tên in trên giấy chứng nhận.' });
    } catch (error) {
      setMessage({ ok: false, text: errorText(error) });
    }
  };
  return (
    <section className="l-card" aria-labelledby="link-title">
      <h2 id="link-title">Liên kết với hồ sơ của bạn</h2>
      <p>Để xem 4 yếu tố của mình và để kết quả học được ghi vào sổ của Thành phố, nhập số định danh cá nhân và ngày sinh (một lần).</p>
      <form className="l-form" onSubmit={(e) => void link(e)} noValidate>
        <label htmlFor="cid">Số định danh cá nhân (12 số)</label>
        <input id="cid" inputMode="numeric" autoComplete="off" maxLength={12} value={citizenId} onChange={(e) => setCitizenId(e.target.value.replace(/\D/g, ''))} />
        <label htmlFor="dob">Ngày sinh</label>
        <input id="dob" inputMode="numeric" autoComplete="bday" placeholder="dd/mm/yyyy" value={birthDateText} onChange={(e) => setBirthDateText(maskDayText(e.target.value))} />
        <button type="submit" className="l-btn">
          Liên kết hồ sơ
        </button>
      </form>
      <form className="l-form" onSubmit={(e) => void saveName(e)} noValidate>
        <label htmlFor="dname">Hoặc: tên in trên giấy chứng nhận</label>
        <input id="dname" autoComplete="name" maxLength={80} value={name} onChange={(e) => setName(e.target.value)} />
        <button type="submit" className="l-btn secondary">
          Lưu tên
        </button>
      </form>
      {message && (
        <p className={`l-alert ${message.ok ? 'ok' : 'bad'}`} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
    </section>
  );
}

function ScamAlerts() {
  return (
    <section className="l-card l-scams" aria-labelledby="scam-title">
      <h2 id="scam-title">
        <span aria-hidden="true">⚠</span> Cảnh báo lừa đảo
      </h2>
      <ul>
        {SCAM_ALERTS.map((a) => (
          <li key={a.title}>
            <strong>{a.title}.</strong> {a.body}
          </li>
        ))}
      </ul>
      <p>
        <Link to={paths.course('an-toan-lua-dao')}>Học khoá "Phòng tránh lừa đảo trực tuyến" ›</Link>
      </p>
    </section>
  );
}
