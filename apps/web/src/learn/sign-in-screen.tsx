import { useEffect, useState, type FormEvent } from 'react';
import * as api from './api';
import type { SessionState } from './app';
import { navigate, paths } from './routes';
import { PageTitle, errorText } from './ui';
import { useLoad } from './use-load';

/** Only a path on this site may be the next page after signing in. */
function nextPath(): string {
  const next = new URLSearchParams(location.search).get('next');
  return next && /^\/learn(\/|$)/.test(next) ? next : paths.me;
}

export function SignInScreen(props: { session: SessionState }) {
  const providers = useLoad(api.providers, 'providers');
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [sent, setSent] = useState<{ sentTo: string; resendAt: number } | null>(null);
  const [now, setNow] = useState(Date.now());
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (!sent) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [sent]);

  if (props.session.me) {
    return (
      <>
        <PageTitle>Bạn đã đăng nhập</PageTitle>
        <button type="button" className="l-btn" onClick={() => navigate(nextPath())}>
          Tiếp tục
        </button>
      </>
    );
  }

  const ask = async (e?: FormEvent) => {
    e?.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const answer = await api.requestCode(phone);
      setSent({ sentTo: answer.sentTo, resendAt: Date.now() + answer.resendInSeconds * 1000 });
      setCode('');
    } catch (error) {
      setProblem(errorText(error));
    } finally {
      setBusy(false);
    }
  };
  const confirm = async (e: FormEvent) => {
    e.preventDefault();
    if (!/^\d{6}$/.test(code.trim())) {
      setProblem('Mã gồm 6 chữ số trong tin nhắn vừa gửi.');
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await api.verifyCode(phone, code.trim());
      await props.session.refresh();
      navigate(nextPath(), { replace: true });
    } catch (error) {
      setProblem(errorText(error));
    } finally {
      setBusy(false);
    }
  };
  const wait = sent ? Math.max(0, Math.ceil((sent.resendAt - now) / 1000)) : 0;
  const oidc = providers.state === 'ready' ? providers.data.oidc : null;

  return (
    <>
      <PageTitle sub="Không cần mật khẩu: chúng tôi gửi một mã 6 số qua tin nhắn.">Đăng nhập</PageTitle>
      {!sent ? (
        <form className="l-card l-form" onSubmit={(e) => void ask(e)} noValidate>
          <label htmlFor="phone">Số điện thoại di động</label>
          <input id="phone" type="tel" inputMode="tel" autoComplete="tel" value={phone} onChange={(e) => setPhone(e.target.value)} placeholder="Ví dụ: 0912 345 678" aria-describedby={problem ? 'signin-problem' : undefined} required />
          <button type="submit" className="l-btn big" disabled={busy || phone.trim() === ''}>
            {busy ? 'Đang gửi…' : 'Gửi mã đăng nhập'}
          </button>
        </form>
      ) : (
        <form className="l-card l-form" onSubmit={(e) => void confirm(e)} noValidate>
          <p>
            Đã gửi mã tới số <strong>{sent.sentTo}</strong>. Mã có hiệu lực trong vài phút.
          </p>
          <label htmlFor="code">Mã 6 số trong tin nhắn</label>
          <input id="code" type="text" inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={code} onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))} aria-describedby={problem ? 'signin-problem' : undefined} required />
          <button type="submit" className="l-btn big" disabled={busy}>
            {busy ? 'Đang kiểm tra…' : 'Đăng nhập'}
          </button>
          <p className="l-actions">
            <button type="button" className="l-linkish" disabled={wait > 0 || busy} onClick={() => void ask()}>
              {wait > 0 ? `Gửi lại mã sau ${wait} giây` : 'Gửi lại mã'}
            </button>
            <button type="button" className="l-linkish" onClick={() => setSent(null)}>
              Đổi số điện thoại
            </button>
          </p>
        </form>
      )}
      {problem && (
        <p id="signin-problem" className="l-alert bad" role="alert">
          {problem}
        </p>
      )}
      <p className="l-alert warn">
        <strong>Lưu ý:</strong> chỉ nhập mã vào trang này. Cán bộ và nhân viên <strong>không bao giờ</strong> hỏi mã của bạn.
      </p>
      {oidc && (
        <p>
          <a className="l-btn secondary big" href={`${oidc.startUrl}?returnTo=${encodeURIComponent(nextPath())}`}>
            {oidc.label}
          </a>
        </p>
      )}
    </>
  );
}
