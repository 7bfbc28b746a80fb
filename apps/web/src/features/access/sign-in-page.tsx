import { useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { FormError } from '../../shared/components/form-error';
import { useFieldProblems } from '../../shared/light/use-field-problems';
import { useI18n } from '../../shared/i18n/i18n-context';
import { LanguageSwitch } from '../../shared/layout/language-switch';
import { sessionKey, signIn } from './access-api';
import { homePath } from './permissions';
import { useSession } from './session-context';

/** Only paths inside this app are followed after sign-in, never another site. */
function safeNext(next: string | null): string | null {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : null;
}

type Missing = { username?: true; password?: true };

export function SignInPage() {
  const { t } = useI18n();
  const { user } = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { problems: missing, report, onChange } = useFieldProblems<Missing>();

  const login = useMutation({
    mutationFn: signIn,
    onSuccess: (session) => {
      // Nothing read under another account may show through; the session entry itself is replaced
      // in place (clearing it too would leave the session observer briefly on a removed query).
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
      queryClient.setQueryData(sessionKey, session);
      navigate(safeNext(params.get('next')) ?? homePath(session.user.role), { replace: true });
    },
  });

  if (user && !login.isPending && !login.isSuccess) return <Navigate to={homePath(user.role)} replace />;

  function handleSubmit(event: FormEvent) {
    event.preventDefault();
    const found: Missing = {};
    if (username.trim() === '') found.username = true;
    if (password === '') found.password = true;
    report(found);
    if (found.username || found.password) return;
    login.mutate({ username: username.trim(), password });
  }

  return (
    <div className="signin-shell">
      <div className="signin-top">
        <LanguageSwitch />
      </div>
      <main className="signin-card" id="main">
        <div className="signin-brand">
          <span className="brand-mark brand-mark-lg" aria-hidden="true">
            CD
          </span>
          <div>
            <p className="signin-app">{t('app.name')}</p>
            <p className="muted">{t('app.city')}</p>
          </div>
        </div>
        <h1>{t('signIn.title')}</h1>
        <p className="muted">{t('signIn.intro')}</p>
        <form onSubmit={handleSubmit} onChange={onChange} noValidate className="form-stack">
          <div className="field">
            <label htmlFor="username">{t('signIn.username')}</label>
            <input
              id="username"
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              aria-invalid={Boolean(missing.username)}
              aria-describedby={missing.username ? 'username-error' : undefined}
            />
            {missing.username && (
              <p className="field-error" id="username-error">
                {t('signIn.usernameRequired')}
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor="password">{t('signIn.password')}</label>
            <input
              id="password"
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-invalid={Boolean(missing.password)}
              aria-describedby={missing.password ? 'password-error' : undefined}
            />
            {missing.password && (
              <p className="field-error" id="password-error">
                {t('signIn.passwordRequired')}
              </p>
            )}
          </div>
          <FormError error={login.error} />
          <button type="submit" className="btn btn-primary btn-block" disabled={login.isPending}>
            {login.isPending ? t('signIn.submitting') : t('signIn.submit')}
          </button>
        </form>
        <p className="signin-note">{t('signIn.privacy')}</p>
        <p className="signin-note">
          <Link to="/cong-khai/thiet-bi">{t('signIn.publicDevices')}</Link>
        </p>
      </main>
    </div>
  );
}
