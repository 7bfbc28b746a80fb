import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../shared/api/api-client';
import { FieldError, FormError } from '../../shared/components/form-error';
import { useFieldProblems } from '../../shared/light/use-field-problems';
import { useI18n } from '../../shared/i18n/i18n-context';
import { useMe } from '../access/session-context';
import { fetchUnits, unitKeys } from '../units/units-api';
import { createCompetition, fetchCourses, learningKeys, updateCompetition, type CompetitionBody, type CompetitionView } from './learning-api';
import { DayInput } from '../../shared/components/day-input';

type Errors = Partial<Record<'title' | 'startsOn' | 'endsOn' | 'courseSlugs' | 'unitCodes', string>>;

/** Checks in the browser what the server checks too, so most mistakes show beside their field at once. */
export function validateCompetition(body: CompetitionBody, t: (key: 'lrnForm.titleShort' | 'lrnForm.dateMissing' | 'lrnForm.endBeforeStart' | 'lrnForm.courseMissing' | 'lrnForm.unitMissing') => string): Errors {
  const errors: Errors = {};
  if (body.title.trim().length < 3) errors.title = t('lrnForm.titleShort');
  if (!body.startsOn) errors.startsOn = t('lrnForm.dateMissing');
  if (!body.endsOn) errors.endsOn = t('lrnForm.dateMissing');
  else if (body.startsOn && body.endsOn < body.startsOn) errors.endsOn = t('lrnForm.endBeforeStart');
  if (body.courseSlugs.length === 0) errors.courseSlugs = t('lrnForm.courseMissing');
  if (body.audience === 'units' && (body.unitCodes?.length ?? 0) === 0) errors.unitCodes = t('lrnForm.unitMissing');
  return errors;
}

/**
 * A new competition, or a change to one (`editing`): then who takes part is shown, not changed;
 * units are what the audience was promised, and a list grows by upload.
 */
export function CompetitionForm({ editing, onClose }: { editing?: CompetitionView; onClose: () => void }) {
  const { t } = useI18n();
  const me = useMe();
  const queryClient = useQueryClient();
  const courses = useQuery({ queryKey: learningKeys.courses(), queryFn: fetchCourses, staleTime: 10 * 60_000 });
  const units = useQuery({ queryKey: unitKeys.list(''), queryFn: () => fetchUnits(''), staleTime: 5 * 60_000 });
  const [body, setBody] = useState<CompetitionBody>(
    editing
      ? { title: editing.title, description: editing.description ?? '', startsOn: editing.startsOn, endsOn: editing.endsOn, courseSlugs: editing.courses.map((c) => c.slug), audience: editing.audience, unitCodes: editing.units.map((u) => u.code) }
      : { title: '', description: '', startsOn: '', endsOn: '', courseSlugs: [], audience: 'units', unitCodes: me.role === 'unit_official' ? me.units.map((u) => u.code) : [] },
  );
  const { problems: errors, report, onChange, changed, isChanged } = useFieldProblems<Errors>();
  const [unitFilter, setUnitFilter] = useState('');
  const save = useMutation({
    mutationFn: () => {
      const description = body.description?.trim() || undefined;
      return editing
        ? updateCompetition(editing.id, { title: body.title, description, startsOn: body.startsOn, endsOn: body.endsOn, courseSlugs: body.courseSlugs })
        : createCompetition({ ...body, description, unitCodes: body.audience === 'units' ? body.unitCodes : undefined });
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: learningKeys.all });
      onClose();
    },
  });
  const serverIssues = (field: keyof Errors) => (save.error instanceof ApiError && !isChanged(field) ? save.error.issuesFor(field) : []);
  const fieldMessages = (field: keyof Errors) => [...(errors[field] ? [errors[field]] : []), ...serverIssues(field)];

  function submit(e: FormEvent) {
    e.preventDefault();
    const found = validateCompetition(body, t);
    report(found);
    if (Object.keys(found).length === 0) save.mutate();
  }
  const toggle = (list: readonly string[] | undefined, value: string) => (list?.includes(value) ? list.filter((v) => v !== value) : [...(list ?? []), value]);
  const shownUnits = (units.data?.items ?? []).filter((u) => !unitFilter || u.fullName.toLowerCase().includes(unitFilter.toLowerCase()) || u.code.includes(unitFilter));
  const describedBy = (field: keyof Errors) => (fieldMessages(field).length > 0 ? `comp-${field}-error` : undefined);

  return (
    <section className="card" aria-labelledby="comp-new-title">
      <h2 id="comp-new-title" className="card-title">
        {t(editing ? 'lrnForm.editTitle' : 'lrnForm.title')}
      </h2>
      <form className="form-stack" onSubmit={submit} onChange={onChange} noValidate>
        <div className="form-grid">
          <div className="field field-wide">
            <label htmlFor="comp-title">{t('lrnForm.name')}</label>
            <input id="comp-title" name="title" value={body.title} onChange={(e) => setBody({ ...body, title: e.target.value })} aria-invalid={errors.title ? true : undefined} aria-describedby={describedBy('title')} maxLength={120} />
            <FieldError id="comp-title-error" messages={fieldMessages('title')} />
          </div>
          <div className="field field-wide">
            <label htmlFor="comp-desc">
              {t('lrnForm.description')} <span className="muted">{t('form.optional')}</span>
            </label>
            <textarea id="comp-desc" rows={2} value={body.description ?? ''} onChange={(e) => setBody({ ...body, description: e.target.value })} maxLength={1000} />
          </div>
          <div className="field">
            <label htmlFor="comp-start">{t('lrnForm.startsOn')}</label>
            <DayInput
              id="comp-start"
              name="startsOn"
              value={body.startsOn}
              onValueChange={(day) => {
                setBody({ ...body, startsOn: day });
                // "Ends before it starts" stands under the end date but is about both.
                changed('endsOn', (message) => message === t('lrnForm.endBeforeStart'));
              }}
              aria-invalid={errors.startsOn ? true : undefined}
              aria-describedby={describedBy('startsOn')}
            />
            <FieldError id="comp-startsOn-error" messages={fieldMessages('startsOn')} />
          </div>
          <div className="field">
            <label htmlFor="comp-end">{t('lrnForm.endsOn')}</label>
            <DayInput id="comp-end" name="endsOn" value={body.endsOn} onValueChange={(day) => setBody({ ...body, endsOn: day })} aria-invalid={errors.endsOn ? true : undefined} aria-describedby={describedBy('endsOn')} />
            <FieldError id="comp-endsOn-error" messages={fieldMessages('endsOn')} />
          </div>
        </div>
        <fieldset className="lrn-fieldset" aria-describedby={describedBy('courseSlugs')}>
          <legend>{t('lrnForm.courses')}</legend>
          <div className="course-pick">
            {courses.data?.courses.map((c) => (
              <label key={c.slug} className="lrn-check">
                <input type="checkbox" name="courseSlugs" value={c.slug} checked={body.courseSlugs.includes(c.slug)} onChange={() => setBody({ ...body, courseSlugs: toggle(body.courseSlugs, c.slug) })} />
                <span>{c.title}</span>
              </label>
            ))}
          </div>
          <FieldError id="comp-courseSlugs-error" messages={fieldMessages('courseSlugs')} />
        </fieldset>
        {editing ? (
          <p className="hint">{t('lrnForm.audienceFixed')}</p>
        ) : (
          <>
            <fieldset className="lrn-fieldset">
              <legend>{t('lrnForm.audience')}</legend>
              <label className="lrn-check">
                <input type="radio" name="comp-audience" checked={body.audience === 'units'} onChange={() => setBody({ ...body, audience: 'units' })} />
                <span>{t('lrnForm.audienceUnits')}</span>
              </label>
              <label className="lrn-check">
                <input type="radio" name="comp-audience" checked={body.audience === 'list'} onChange={() => setBody({ ...body, audience: 'list' })} />
                <span>{t('lrnForm.audienceList')}</span>
              </label>
            </fieldset>
            {body.audience === 'units' && (
              <fieldset className="lrn-fieldset" aria-describedby={describedBy('unitCodes')}>
                <legend>{t('lrnForm.units', { n: String(body.unitCodes?.length ?? 0) })}</legend>
                {(units.data?.items.length ?? 0) > 8 && (
                  <div className="field">
                    <input type="search" placeholder={t('lrnForm.unitSearch')} aria-label={t('lrnForm.unitSearch')} value={unitFilter} onChange={(e) => setUnitFilter(e.target.value)} />
                  </div>
                )}
                <div className="unit-pick">
                  {shownUnits.map((u) => (
                    <label key={u.code} className="lrn-check">
                      <input type="checkbox" name="unitCodes" value={u.code} checked={body.unitCodes?.includes(u.code) ?? false} onChange={() => setBody({ ...body, unitCodes: toggle(body.unitCodes, u.code) })} />
                      <span>{u.fullName}</span>
                    </label>
                  ))}
                </div>
                <FieldError id="comp-unitCodes-error" messages={fieldMessages('unitCodes')} />
              </fieldset>
            )}
            {body.audience === 'list' && <p className="hint">{t('lrnForm.listHint')}</p>}
          </>
        )}
        <FormError error={save.error} />
        <div className="btn-row">
          <button type="submit" className="btn btn-primary" disabled={save.isPending}>
            {save.isPending ? t('state.saving') : t(editing ? 'lrnForm.saveChanges' : 'lrnForm.submit')}
          </button>
          <button type="button" className="btn btn-ghost" onClick={onClose}>
            {t('action.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
