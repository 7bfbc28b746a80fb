import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { FieldError, FormError } from '../../shared/components/form-error';
import { useFieldProblems } from '../../shared/light/use-field-problems';
import { useI18n } from '../../shared/i18n/i18n-context';
import { duplicateFields, missingFields, sourceFields } from './import-fields';
import { importKeys, startImport, uploadForPreview, type ImportField, type ImportPreview } from './imports-api';
import type { UploadChoice } from './import-new-page';

const SAMPLE_COUNT = 5;

/** Step 2: which field each column of the file holds, then the start of the import. */
export function ColumnMapping({
  choice,
  preview,
  onPreview,
  onBack,
}: {
  choice: UploadChoice;
  preview: ImportPreview;
  onPreview: (preview: ImportPreview) => void;
  onBack: () => void;
}) {
  const { t, label } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [columns, setColumns] = useState<(ImportField | null)[]>(preview.columns);
  const [savedName, setSavedName] = useState('');
  const [save, setSave] = useState(false);
  const [saveAs, setSaveAs] = useState('');
  const { problems, report, onChange, changed } = useFieldProblems<{ saveAs?: string }>();
  const [shownPreview, setShownPreview] = useState(preview);

  // A new preview (another saved mapping) replaces the choices made so far.
  if (shownPreview !== preview) {
    setShownPreview(preview);
    setColumns(preview.columns);
  }

  const reread = useMutation({ mutationFn: uploadForPreview, onSuccess: onPreview });
  const start = useMutation({
    mutationFn: startImport,
    onSuccess: (batch) => {
      void queryClient.invalidateQueries({ queryKey: importKeys.list() });
      queryClient.setQueryData(importKeys.batch(batch.id), batch);
      navigate(`/imports/${batch.id}`);
    },
  });

  const offered = sourceFields(choice.source);
  const missing = missingFields(choice.source, columns);
  const twice = duplicateFields(columns);
  const fieldNames = (fields: readonly ImportField[]) => fields.map((f) => label('importField', f)).join(', ');

  function chooseSaved(name: string) {
    setSavedName(name);
    reread.mutate({ file: choice.file, source: choice.source, sheet: preview.sheetName ?? undefined, mapping: name || undefined });
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (missing.length > 0) return;
    const name = saveAs.trim();
    if (save && !name) {
      report({ saveAs: t('mapping.saveNameRequired') });
      return;
    }
    report({});
    start.mutate({
      fileId: preview.fileId,
      sourceType: choice.source,
      sheet: preview.sheetName ?? undefined,
      columns,
      defaultUnitCode: choice.defaultUnitCode || undefined,
      saveMappingAs: save ? name : undefined,
    });
  }

  const facts = [
    t('facts.format', { v: preview.format.toUpperCase() }),
    preview.encoding ? t('facts.encoding', { v: preview.encoding.toUpperCase() }) : null,
    preview.legacyEncoding ? t('facts.legacy', { v: preview.legacyEncoding.toUpperCase() }) : null,
    preview.sheetName ? t('facts.sheet', { v: preview.sheetName }) : null,
    t('facts.headerRow', { n: preview.headerRow }),
    t('facts.columns', { n: preview.headers.length }),
  ].filter((f): f is string => f !== null);

  return (
    <form className="card form-stack mapping-form" onSubmit={submit} onChange={onChange} noValidate>
      <div className="card-head mapping-head">
        <div>
          <h2 className="card-title">{t('importNew.step2')}</h2>
          <p className="mapping-file">
            <strong>{preview.fileName}</strong> · {label('sourceType', choice.source)}
          </p>
          <p className="small muted" aria-label={t('facts.label')}>
            {facts.join(' · ')}
          </p>
        </div>
        {preview.savedMappings.length > 0 && (
          <div className="field field-inline">
            <label htmlFor="mapping-saved">{t('mapping.saved')}</label>
            <select id="mapping-saved" value={savedName} onChange={(e) => chooseSaved(e.target.value)} disabled={reread.isPending}>
              <option value="">{t('mapping.savedNone')}</option>
              {preview.savedMappings.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
            {reread.isPending && <span className="hint">{t('mapping.applyingSaved')}</span>}
          </div>
        )}
      </div>
      <FormError error={reread.error} />
      <p className="hint">{t('mapping.intro')}</p>

      <div className="table-wrap mapping-wrap">
        <table className="table table-compact mapping-table">
          <caption className="sr-only">{t('mapping.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('mapping.colHeader')}</th>
              <th scope="col">{t('mapping.colField')}</th>
              <th scope="col">{t('mapping.colSamples')}</th>
            </tr>
          </thead>
          <tbody>
            {preview.headers.map((header, i) => {
              const value = columns[i] ?? null;
              const headerText = header.trim() || t('mapping.noHeader', { n: i + 1 });
              const options = value && !offered.includes(value) ? [...offered, value] : offered;
              const samples = preview.sampleRows.slice(0, SAMPLE_COUNT).map((row) => row[i] ?? '');
              return (
                <tr key={i} className={value === null ? 'is-ignored' : twice.includes(value) ? 'is-duplicate' : ''}>
                  <th scope="row" className="mapping-header">
                    {headerText}
                  </th>
                  <td className="mapping-field">
                    <select
                      aria-label={t('mapping.fieldFor', { header: headerText })}
                      value={value ?? ''}
                      onChange={(e) => {
                        const next = [...columns];
                        next[i] = (e.target.value || null) as ImportField | null;
                        setColumns(next);
                      }}
                    >
                      <option value="">{t('mapping.ignore')}</option>
                      {options.map((f) => (
                        <option key={f} value={f}>
                          {label('importField', f)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="mapping-samples">
                    {samples.length === 0 ? (
                      <span className="muted">—</span>
                    ) : (
                      <ul>
                        {samples.map((s, j) => (
                          <li key={j} title={s}>
                            {s || <span className="muted">—</span>}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {preview.sampleRows.length === 0 && <p className="hint">{t('mapping.noSamples')}</p>}

      {missing.length > 0 ? (
        <div className="notice notice-warn" role="alert">
          {t('mapping.missing', { fields: fieldNames(missing) })}
        </div>
      ) : (
        <p className="form-success">{t('mapping.allGood')}</p>
      )}
      {twice.length > 0 && <div className="notice notice-warn">{t('mapping.duplicate', { fields: fieldNames(twice) })}</div>}

      <div className="save-mapping">
        <label className="check">
          <input
            type="checkbox"
            checked={save}
            onChange={(e) => {
              setSave(e.target.checked);
              // The name is asked for only when saving: not saving answers its message too.
              changed('saveAs');
            }}
          />{' '}
          {t('mapping.saveAs')}
        </label>
        {save && (
          <div className="field">
            <label htmlFor="mapping-save-name">{t('mapping.saveName')}</label>
            <input
              id="mapping-save-name"
              name="saveAs"
              value={saveAs}
              maxLength={100}
              placeholder={t('mapping.saveNamePlaceholder')}
              onChange={(e) => setSaveAs(e.target.value)}
              aria-invalid={Boolean(problems.saveAs)}
              aria-describedby={problems.saveAs ? 'mapping-save-error' : undefined}
            />
            <FieldError id="mapping-save-error" messages={problems.saveAs ? [problems.saveAs] : []} />
          </div>
        )}
      </div>

      <FormError error={start.error} />
      <div className="btn-row">
        <button type="submit" className="btn btn-primary" disabled={missing.length > 0 || start.isPending || reread.isPending}>
          {start.isPending ? t('mapping.starting') : t('mapping.start')}
        </button>
        <button type="button" className="btn btn-secondary" onClick={onBack} disabled={start.isPending}>
          {t('mapping.back')}
        </button>
      </div>
    </form>
  );
}
