import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import { ApiError } from '../../shared/api/api-client';
import { FieldError, FormError } from '../../shared/components/form-error';
import { useFieldProblems } from '../../shared/light/use-field-problems';
import { useI18n } from '../../shared/i18n/i18n-context';
import { registerSponsor } from './devices-api';
import type { SponsorKind } from './devices-api';
import { PublicShell } from './public-shell';
import { emptyRegistration, registrationBody, validateRegistration, type RegistrationField, type RegistrationForm } from './sponsor-rules';

const KINDS: readonly SponsorKind[] = ['business', 'union', 'organisation', 'individual'];

/**
 * A business, union, organisation or person offers to sponsor devices. What they send waits for
 * the city: the login they choose opens when it is approved, and then they pledge in their portal.
 */
export function SponsorRegisterPage() {
  const { t, label } = useI18n();
  const [form, setForm] = useState<RegistrationForm>(emptyRegistration);
  const { problems: shown, report, onChange, changed, isChanged } = useFieldProblems<ReturnType<typeof validateRegistration>>();
  const send = useMutation({
    mutationFn: () => registerSponsor(registrationBody(form)),
    // A field the server refused (a username already taken) gets the focus, as the form's own checks do.
    onError: (error) => {
      const field = error instanceof ApiError ? error.issues[0]?.path.replace(/^body\./, '') : undefined;
      if (field) document.getElementById(`reg-${field}`)?.focus();
    },
  });
  const doneHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (send.isSuccess) doneHeading.current?.focus();
  }, [send.isSuccess]);
  const set = <K extends keyof RegistrationForm>(key: K, value: RegistrationForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  function submit(e: FormEvent) {
    e.preventDefault();
    const problems = validateRegistration(form);
    report(problems);
    const first = Object.keys(problems).find((k) => k !== 'phoneMessage');
    if (first) document.getElementById(`reg-${first}`)?.focus();
    else send.mutate();
  }

  if (send.isSuccess) {
    return (
      <PublicShell>
        <section className="card form-stack register-done" aria-labelledby="register-done-title">
          <h1 id="register-done-title" ref={doneHeading} tabIndex={-1}>
            {t('dsRegister.doneTitle')}
          </h1>
          <p role="status">{t('dsRegister.doneText', { name: form.name.trim(), username: form.username.trim() })}</p>
          <Link to="/cong-khai/thiet-bi">{t('dsRegister.backToFigures')}</Link>
        </section>
      </PublicShell>
    );
  }

  const serverIssues = (field: RegistrationField) => (send.error instanceof ApiError && !isChanged(field) ? send.error.issuesFor(field) : []);
  const problem = (field: RegistrationField) => {
    const p = shown[field];
    const own = !p ? [] : field === 'contactPhone' && shown.phoneMessage ? [shown.phoneMessage] : [t(p.key, p.params)];
    return [...own, ...serverIssues(field)];
  };
  const text = (field: RegistrationField, input: ReactNode, hint?: string, optional = false) => (
    <div className="field">
      <label htmlFor={`reg-${field}`}>
        {t(`dsRegister.${field}`)} {optional && <span className="muted">{t('form.optional')}</span>}
      </label>
      {input}
      {hint && (
        <p className="hint" id={`reg-${field}-hint`}>
          {hint}
        </p>
      )}
      <FieldError id={`reg-${field}-error`} messages={problem(field)} />
    </div>
  );
  const inputProps = (field: RegistrationField) => {
    const wrong = problem(field).length > 0;
    return {
      id: `reg-${field}`,
      name: field,
      'aria-invalid': wrong ? true : undefined,
      'aria-describedby': [wrong ? `reg-${field}-error` : '', ['taxCode', 'username', 'contactPhone', 'password'].includes(field) ? `reg-${field}-hint` : ''].filter(Boolean).join(' ') || undefined,
    };
  };

  return (
    <PublicShell>
      <header className="page-header">
        <h1>{t('dsRegister.title')}</h1>
        <p className="page-subtitle">{t('dsRegister.subtitle')}</p>
      </header>
      <form className="card form-stack register-form" onSubmit={submit} onChange={onChange} noValidate aria-labelledby="reg-about">
        <h2 id="reg-about" className="form-title">
          {t('dsRegister.about')}
        </h2>
        <fieldset className="field">
          <legend>{t('dsRegister.kind')}</legend>
          <div className="choice-row">
            {KINDS.map((k) => (
              <label key={k} className="choice">
                <input
                  type="radio"
                  name="reg-kind"
                  value={k}
                  checked={form.kind === k}
                  onChange={() => {
                    set('kind', k);
                    // Only a business must give a tax code: the kind answers that message too.
                    changed('taxCode', (p) => p?.key === 'dsRegister.taxRequired');
                  }}
                />{' '}
                {label('sponsorKind', k)}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="form-grid wide-form-grid">
          {text('name', <input {...inputProps('name')} value={form.name} maxLength={200} onChange={(e) => set('name', e.target.value)} autoComplete="organization" />)}
          {text(
            'taxCode',
            <input {...inputProps('taxCode')} value={form.taxCode} inputMode="numeric" maxLength={14} onChange={(e) => set('taxCode', e.target.value)} />,
            t('dsRegister.taxHint'),
            form.kind !== 'business',
          )}
          {text('contactName', <input {...inputProps('contactName')} value={form.contactName} maxLength={120} onChange={(e) => set('contactName', e.target.value)} autoComplete="name" />)}
          {text(
            'contactPhone',
            <input {...inputProps('contactPhone')} type="tel" value={form.contactPhone} maxLength={20} onChange={(e) => set('contactPhone', e.target.value)} autoComplete="tel" />,
            t('dsRegister.phoneHint'),
          )}
          {text(
            'contactEmail',
            <input {...inputProps('contactEmail')} type="email" value={form.contactEmail} maxLength={200} onChange={(e) => set('contactEmail', e.target.value)} autoComplete="email" />,
            undefined,
            true,
          )}
        </div>
        {text(
          'intent',
          <textarea {...inputProps('intent')} rows={3} maxLength={500} value={form.intent} onChange={(e) => set('intent', e.target.value)} placeholder={t('dsRegister.intentPlaceholder')} />,
          undefined,
          true,
        )}
        <label className="choice">
          <input type="checkbox" checked={form.showPublicly} onChange={(e) => set('showPublicly', e.target.checked)} /> {t('dsRegister.showPublicly')}
        </label>

        <h2 className="form-title">{t('dsRegister.account')}</h2>
        <div className="form-grid wide-form-grid">
          {text(
            'username',
            <input {...inputProps('username')} value={form.username} maxLength={60} onChange={(e) => set('username', e.target.value)} autoComplete="username" autoCapitalize="none" />,
            t('dsRegister.usernameHint'),
          )}
          {text(
            'password',
            <input
              {...inputProps('password')}
              type="password"
              value={form.password}
              onChange={(e) => {
                set('password', e.target.value);
                // "The passwords differ" stands under the second box but is about this one too.
                changed('passwordAgain', (p) => p?.key === 'dsRegister.passwordMismatch');
              }}
              autoComplete="new-password"
            />,
            t('dsRegister.passwordHint'),
          )}
          {text(
            'passwordAgain',
            <input {...inputProps('passwordAgain')} type="password" value={form.passwordAgain} onChange={(e) => set('passwordAgain', e.target.value)} autoComplete="new-password" />,
          )}
        </div>
        <p className="hint">{t('dsRegister.privacy')}</p>
        <FormError error={send.error} />
        <div className="btn-row">
          <button type="submit" className="btn btn-primary" disabled={send.isPending}>
            {send.isPending ? t('dsRegister.sending') : t('dsRegister.send')}
          </button>
          <Link className="btn btn-secondary" to="/cong-khai/thiet-bi">
            {t('action.cancel')}
          </Link>
        </div>
      </form>
    </PublicShell>
  );
}
