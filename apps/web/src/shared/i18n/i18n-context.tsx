import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError } from '../api/api-client';
import { en } from './dictionary-en';
import { dateText, dateTimeText, percentFormatter } from './formats';
import { vi, type MessageKey } from './dictionary-vi';

export type Lang = 'vi' | 'en';
type Params = Record<string, string | number>;

const STORAGE_KEY = 'cds.lang';
const dictionaries: Record<Lang, Record<MessageKey, string>> = { vi, en };

export type I18n = {
  lang: Lang;
  setLang: (lang: Lang) => void;
  /** A message from the dictionary, with {name} placeholders filled in. */
  t: (key: MessageKey, params?: Params) => string;
  /** A label for a value coming from the server (`indicator.vneid`); the raw value when the dictionary has none. */
  label: (prefix: string, value: string) => string;
  number: (n: number | null | undefined) => string;
  /** A calendar date (YYYY-MM-DD or an ISO timestamp) as the reader writes dates. */
  /** A share in per cent, "87,5%"; one short of the whole never reads as 100%, nor a little as 0%. */
  percent: (value: number | null | undefined) => string;
  date: (value: string | null | undefined) => string;
  dateTime: (value: string | null | undefined) => string;
  /** The server's message in the reader's language; our own words for failures that are not API errors. */
  errorMessage: (error: unknown) => string;
};

const I18nContext = createContext<I18n | null>(null);

function initialLang(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'en' || stored === 'vi') return stored;
  } catch {
    // Private mode or storage disabled: Vietnamese, the city's language.
  }
  return 'vi';
}

function fill(message: string, params?: Params): string {
  if (!params) return message;
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not remembered, still switched.
    }
  }, []);

  const value = useMemo<I18n>(() => {
    const dict = dictionaries[lang];
    const locale = lang === 'vi' ? 'vi-VN' : 'en-GB';
    const numberFormat = new Intl.NumberFormat(locale);
    const t = (key: MessageKey, params?: Params) => fill(dict[key], params);
    return {
      lang,
      setLang,
      t,
      label: (prefix, raw) => {
        const key = `${prefix}.${raw}`;
        return key in dict ? dict[key as MessageKey] : raw;
      },
      number: (n) => (n === null || n === undefined ? '—' : numberFormat.format(n)),
      percent: percentFormatter(locale),
      date: dateText,
      dateTime: dateTimeText,
      errorMessage: (error) => {
        if (error instanceof ApiError) return lang === 'vi' ? error.message : error.messageEn || error.message;
        return t('error.unexpected');
      },
    };
  }, [lang, setLang]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
