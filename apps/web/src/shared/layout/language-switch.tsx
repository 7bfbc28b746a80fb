import { useI18n, type Lang } from '../i18n/i18n-context';

const LANGS: readonly { lang: Lang; short: string; name: string }[] = [
  { lang: 'vi', short: 'VI', name: 'Tiếng Việt' },
  { lang: 'en', short: 'EN', name: 'English' },
];

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <div className="lang-switch" role="group" aria-label={t('lang.label')}>
      {LANGS.map((l) => (
        <button
          key={l.lang}
          type="button"
          lang={l.lang}
          aria-pressed={lang === l.lang}
          // The name starts with the code shown (WCAG 2.5.3, label in name): "VI" is what a person says to a voice control.
          aria-label={`${l.short}, ${l.name}`}
          title={l.name}
          onClick={() => setLang(l.lang)}
        >
          {l.short}
        </button>
      ))}
    </div>
  );
}
