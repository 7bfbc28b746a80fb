import { useState, type FormEvent } from 'react';
import { useFieldProblems } from '../shared/light/use-field-problems';
import { FieldApiError, signIn } from './api';
import { establishSession } from './session';

/** Sign-in, then enrolment of this phone and the first download: after this the app works with no network. */
export function SignInScreen(props: { presetUsername?: string | undefined; notice?: string | null; onDone: () => void; onCancel?: (() => void) | undefined }) {
  const [username, setUsername] = useState(props.presetUsername ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { problems: fieldErrors, report, onChange } = useFieldProblems<{ username?: string; password?: string }>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const errors: typeof fieldErrors = {};
    if (!username.trim()) errors.username = 'Nhập tên đăng nhập';
    if (!password) errors.password = 'Nhập mật khẩu';
    report(errors);
    if (errors.username || errors.password) return;
    if (!navigator.onLine) {
      setError('Cần có mạng để đăng nhập lần đầu. Sau đó ứng dụng dùng được khi không có mạng.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const login = await signIn(username.trim(), password);
      await establishSession(login);
      props.onDone();
    } catch (e) {
      setError(e instanceof FieldApiError ? (e.code === 'FORBIDDEN' ? 'Tài khoản này không dùng được ứng dụng hiện trường.' : e.message) : 'Đã có lỗi; hãy thử lại.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="f-center" aria-labelledby="signin-title">
      <div className="f-logo">
        <img src="/field-icon.svg" alt="" />
        <div>
          <h1 id="signin-title">Công dân số – Hiện trường</h1>
          <p className="f-hint">Đi từng ngõ, gõ từng nhà, rà từng người</p>
        </div>
      </div>
      {props.notice ? <div className="f-banner warn" role="status">{props.notice}</div> : null}
      <form onSubmit={submit} onChange={onChange} noValidate className="f-card">
        <label className="f-field">
          <span>Tên đăng nhập</span>
          <input id="f-username" name="username" className="f-input" autoComplete="username" autoCapitalize="none" value={username} onChange={(e) => setUsername(e.target.value)} aria-invalid={Boolean(fieldErrors.username)} />
          {fieldErrors.username ? <span className="f-error">{fieldErrors.username}</span> : null}
        </label>
        <label className="f-field">
          <span>Mật khẩu</span>
          <input id="f-password" name="password" className="f-input" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} aria-invalid={Boolean(fieldErrors.password)} />
          {fieldErrors.password ? <span className="f-error">{fieldErrors.password}</span> : null}
        </label>
        {error ? (
          <p className="f-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="f-btn block" disabled={busy}>
          {busy ? 'Đang đăng nhập và tải danh sách hộ…' : 'Đăng nhập'}
        </button>
      </form>
      {props.onCancel ? (
        <button type="button" className="f-btn secondary block" onClick={props.onCancel} style={{ marginBottom: 12 }}>
          Quay lại danh sách hộ (vẫn ghi phiếu được khi chưa đăng nhập)
        </button>
      ) : null}
      <p className="f-hint">Lần đầu đăng nhập, máy sẽ được đăng ký và tải danh sách hộ được giao. Phiếu ghi khi mất mạng được giữ trên máy và tự gửi khi có mạng.</p>
    </main>
  );
}
