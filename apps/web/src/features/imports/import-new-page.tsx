import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { FieldError, FormError } from '../../shared/components/form-error';
import { useFieldProblems } from '../../shared/light/use-field-problems';
import { PageHeader } from '../../shared/components/page-header';
import { useI18n } from '../../shared/i18n/i18n-context';
import { useMe } from '../access/session-context';
import { ColumnMapping } from './column-mapping';
import { SOURCE_TYPES } from './import-fields';
import { templateUrl, uploadForPreview, type ImportPreview, type SourceType } from './imports-api';

type Problems = { source?: string; file?: string; unit?: string };

/** What was sent for the preview; the mapping step re-sends the same file for a saved mapping. */
export type UploadChoice = { file: File; source: SourceType; defaultUnitCode: string };

/** Step 1 (source type, file, default unit) and step 2 (column matching) of a new import. */
export function ImportNewPage() {
  const { t } = useI18n();
  const [choice, setChoice] = useState<UploadChoice | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);

  return (
    <>
      <PageHeader
        title={t('importNew.title')}
        subtitle={t('importNew.subtitle')}
        crumbs={[{ label: t('imports.title'), to: '/imports' }, { label: t('importNew.title') }]}
      />
      <ol className="steps" aria-label={t('importNew.title')}>
        <li className={preview ? 'done' : 'current'} aria-current={preview ? undefined : 'step'}>
          {t('importNew.step1')}
        </li>
        <li className={preview ? 'current' : ''} aria-current={preview ? 'step' : undefined}>
          {t('importNew.step2')}
        </li>
      </ol>
      {choice && preview ? (
        <ColumnMapping
          choice={choice}
          preview={preview}
          onPreview={setPreview}
          onBack={() => {
            setPreview(null);
          }}
        />
      ) : (
        <UploadForm
          initial={choice}
          onPreview={(c, p) => {
            setChoice(c);
            setPreview(p);
          }}
        />
      )}
    </>
  );
}

function UploadForm({ initial, onPreview }: { initial: UploadChoice | null; onPreview: (choice: UploadChoice, preview: ImportPreview) => void }) {
  const { t, label } = useI18n();
  const me = useMe();
  const [source, setSource] = useState<SourceType | ''>(initial?.source ?? '');
  // A file input cannot be filled in again, so coming back from step 2 asks for the file anew.
  const [file, setFile] = useState<File | null>(null);
  const [unit, setUnit] = useState(initial?.defaultUnitCode ?? '');
  const { problems, report, onChange } = useFieldProblems<Problems>();
  const upload = useMutation({ mutationFn: uploadForPreview });
  // Officials pick among their units; a city-wide admin types a code.
  const pickUnit = me.units.length > 0;

  function submit(e: FormEvent) {
    e.preventDefault();
    const found: Problems = {};
    if (!source) found.source = t('importNew.sourceRequired');
    if (!file) found.file = t('importNew.fileRequired');
    else if (!/\.(csv|xlsx)$/i.test(file.name)) found.file = t('importNew.fileType');
    if (unit.trim() && !/^\d{5}$/.test(unit.trim())) found.unit = t('importNew.unitCodeInvalid');
    report(found);
    if (Object.keys(found).length > 0 || !source || !file) return;
    const c: UploadChoice = { file, source, defaultUnitCode: unit.trim() };
    upload.mutate({ file, source }, { onSuccess: (p) => onPreview(c, p) });
  }

  return (
    <form className="card form-stack upload-form" onSubmit={submit} onChange={onChange} noValidate>
      <h2 className="card-title">{t('importNew.step1')}</h2>
      <div className="field">
        <label htmlFor="import-source">{t('importNew.sourceType')}</label>
        <select
          id="import-source"
          name="source"
          value={source}
          onChange={(e) => setSource(e.target.value as SourceType | '')}
          aria-invalid={Boolean(problems.source)}
          aria-describedby={problems.source ? 'import-source-error' : undefined}
        >
          <option value="">{t('importNew.chooseSource')}</option>
          {SOURCE_TYPES.map((s) => (
            <option key={s} value={s}>
              {label('sourceType', s)}
            </option>
          ))}
        </select>
        <FieldError id="import-source-error" messages={problems.source ? [problems.source] : []} />
        {source && (
          <p className="hint">
            <a href={templateUrl(source)} download>
              {t('importNew.template')}
            </a>{' '}
            {t('importNew.templateHint')}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor="import-file">{t('importNew.file')}</label>
        {/* The browser's own file button speaks the browser's language; ours speaks the reader's. */}
        <div className="file-pick">
          <input
            id="import-file"
            name="file"
            type="file"
            className="file-input"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            aria-invalid={Boolean(problems.file)}
            aria-describedby={problems.file ? 'import-file-error' : 'import-file-hint'}
          />
          <label htmlFor="import-file" className={`btn btn-secondary${problems.file ? ' is-invalid' : ''}`} aria-hidden="true">
            {t('importNew.chooseFile')}
          </label>
          <span className={`file-name${file ? '' : ' muted'}`}>{file ? file.name : t('importNew.noFile')}</span>
        </div>
        <p className="hint" id="import-file-hint">
          {t('importNew.fileHint')}
        </p>
        <FieldError id="import-file-error" messages={problems.file ? [problems.file] : []} />
      </div>
      <div className="field">
        <label htmlFor="import-unit">
          {t('importNew.defaultUnit')} <span className="muted">{t('form.optional')}</span>
        </label>
        {pickUnit ? (
          <select
            id="import-unit"
            name="unit"
            value={unit}
            onChange={(e) => setUnit(e.target.value)}
          >
            <option value="">{t('importNew.defaultUnitNone')}</option>
            {me.units.map((u) => (
              <option key={u.code} value={u.code}>
                {u.name} ({u.code})
              </option>
            ))}
          </select>
        ) : (
          <input
            id="import-unit"
            name="unit"
            inputMode="numeric"
            maxLength={5}
            value={unit}
            placeholder={t('importNew.defaultUnitPlaceholder')}
            onChange={(e) => setUnit(e.target.value)}
            aria-invalid={Boolean(problems.unit)}
            aria-describedby={problems.unit ? 'import-unit-error' : 'import-unit-hint'}
          />
        )}
        <p className="hint" id="import-unit-hint">
          {t('importNew.defaultUnitHint')}
        </p>
        <FieldError id="import-unit-error" messages={problems.unit ? [problems.unit] : []} />
      </div>
      <FormError error={upload.error} />
      <div className="btn-row">
        <button type="submit" className="btn btn-primary" disabled={upload.isPending}>
          {upload.isPending ? t('importNew.uploading') : t('importNew.upload')}
        </button>
      </div>
    </form>
  );
}
