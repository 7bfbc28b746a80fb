import { useEffect, useState, type FormEvent } from 'react';
import { useFieldProblems } from '../shared/light/use-field-problems';
import { FieldApiError, joinTeam, previewInvite } from './api';
import { timeAndDay } from './format';
import { navigate, paths } from './router';
import { establishSession } from './session';

type Preview = { teamName: string; unitName: string; expiresAt: string };
type Errors = Partial<Record<'displayName' | 'username' | 'password', string>>;

/** /field/join#<token>: a QR code or link from a team's official. The token stays in the fragment, never in a server log. */
export function JoinScreen(props: { onDone: () => void }) {
  const token = decodeURIComponent(location.hash.replace(/^#/, ''));
  const [preview, setPreview] = useState<Preview | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [form, setForm] = useState({ displayName: '', username: '', password: '' });
  const { problems: errors, report, onChange } = useFieldProblems<Errors>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (token.length < 20) {
      setLoadError('Đường dẫn mời không đúng. Hãy quét lại mã QR hoặc xin đường dẫn mới.');
      return;
    }
    previewInvite(token).then(setPreview, (e: unknown) => setLoadError(e instanceof FieldApiError ? e.message : 'Không mở được lời mời.'));
  }, [token]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const next: Errors = {};
    if (form.displayName.trim().length < 2) next.displayName = 'Ghi họ và tên (ít nhất 2 ký tự)';
    if (!/^[a-z0-9._-]{3,40}$/.test(form.username.trim())) next.username = 'Từ 3 ký tự: chữ thường không dấu, số, dấu chấm, gạch';
    if (form.password.length < 10) next.password = 'Mật khẩu từ 10 ký tự';
    report(next);
    if (Object.keys(next).length > 0) return;
    setBusy(true);
    setError(null);
    try {
      const login = await joinTeam({ token, displayName: form.displayName.trim(), username: form.username.trim(), password: form.password });
      await establishSession(login);
      navigate(paths.households, { replace: true });
      props.onDone();
    } catch (e) {
      if (e instanceof FieldApiError) {
        const byField: Errors = {};
        for (const issue of e.issues) {
          const key = issue.path.split('.').pop() as keyof Errors;
          if (key === 'displayName' || key === 'username' || key === 'password') byField[key] = issue.message;
        }
        if (e.code === 'USERNAME_TAKEN') byField.username = e.message;
        report(byField);
        setError(e.message);
      } else setError('Đã có lỗi; hãy thử lại.');
    } finally {
      setBusy(false);
    }
  }

  const field = (key: keyof Errors, label: string, type = 'text', autoComplete = 'off') => (
    <label className="f-field">
      <span>{label}</span>
      <input id={`f-join-${key}`} name={key} className="f-input" type={type} autoComplete={autoComplete} autoCapitalize={key === 'displayName' ? 'words' : 'none'} value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} aria-invalid={Boolean(errors[key])} />
      {errors[key] ? <span className="f-error">{errors[key]}</span> : null}
    </label>
  );

  return (
    <main className="f-center">
      <div className="f-logo">
        <img src="/field-icon.svg" alt="" />
        <h1>Tham gia tổ công nghệ số</h1>
      </div>
      {loadError ? (
        <>
          <div className="f-banner bad" role="alert">
            {loadError}
          </div>
          <a className="f-btn secondary block" href="/field/">
            Đã có tài khoản? Đăng nhập
          </a>
        </>
      ) : !preview ? (
        <p className="f-hint">Đang mở lời mời…</p>
      ) : (
        <>
          <div className="f-banner info">
            Bạn được mời vào <strong>{preview.teamName}</strong> ({preview.unitName}). Lời mời dùng được đến {timeAndDay(preview.expiresAt)}/{new Date(preview.expiresAt).getFullYear()}.
          </div>
          <form onSubmit={submit} onChange={onChange} noValidate className="f-card">
            {field('displayName', 'Họ và tên', 'text', 'name')}
            {field('username', 'Tên đăng nhập (chữ thường không dấu)', 'text', 'username')}
            {field('password', 'Mật khẩu (từ 10 ký tự)', 'password', 'new-password')}
            {error ? (
              <p className="f-error" role="alert">
                {error}
              </p>
            ) : null}
            <button type="submit" className="f-btn block" disabled={busy}>
              {busy ? 'Đang tạo tài khoản…' : 'Tham gia tổ'}
            </button>
          </form>
        </>
      )}
    </main>
  );
}
