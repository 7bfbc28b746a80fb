import { Link } from 'react-router';
import { useI18n } from '../i18n/i18n-context';

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <section className="centered-page">
      <p className="big-code" aria-hidden="true">
        404
      </p>
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.body')}</p>
      <Link className="btn btn-primary" to="/">
        {t('notFound.home')}
      </Link>
    </section>
  );
}

export function NoAccessPage() {
  const { t } = useI18n();
  return (
    <section className="centered-page">
      <p className="big-code" aria-hidden="true">
        403
      </p>
      <h1>{t('noAccess.title')}</h1>
      <p>{t('noAccess.body')}</p>
      <Link className="btn btn-primary" to="/">
        {t('notFound.home')}
      </Link>
    </section>
  );
}

/** For roles with no page yet (sponsors): who they are signed in as, and that nothing is wrong. */
export function WelcomePage() {
  const { t } = useI18n();
  return (
    <section className="centered-page">
      <h1>{t('welcome.title')}</h1>
      <p>{t('welcome.body')}</p>
    </section>
  );
}
