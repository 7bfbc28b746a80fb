import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FieldError, FormError } from '../../shared/components/form-error';
import { useFieldProblems } from '../../shared/light/use-field-problems';
import { useI18n } from '../../shared/i18n/i18n-context';
import { fetchUnits, unitKeys } from '../units/units-api';
import { createTeam, fieldKeys, TEAM_KINDS, type TeamKind } from './field-api';
import { validateTeam, type FieldProblems } from './field-forms';

type Errors = FieldProblems<'unit' | 'name'>;

/** A new team of one of the reader's units; on success the team's page opens to add members. */
export function TeamCreateForm({ defaultUnit, onClose }: { defaultUnit: string; onClose: () => void }) {
  const { t, label } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const units = useQuery({ queryKey: unitKeys.list(''), queryFn: () => fetchUnits(''), staleTime: 5 * 60_000 });
  const [unitCode, setUnitCode] = useState(defaultUnit);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<TeamKind>('community_tech');
  const { problems: errors, report, onChange } = useFieldProblems<Errors>();
  const create = useMutation({
    mutationFn: createTeam,
    onSuccess: (team) => {
      void queryClient.invalidateQueries({ queryKey: ['field', 'teams'] });
      queryClient.setQueryData(fieldKeys.team(team.id), team);
      navigate(`/teams/${team.id}?tab=members`);
    },
  });
  // A unit official with one unit has nothing to choose.
  const onlyUnit = units.data?.items.length === 1 ? units.data.items[0]?.code : undefined;
  const chosenUnit = unitCode || onlyUnit || '';

  function submit(e: FormEvent) {
    e.preventDefault();
    const found = validateTeam(chosenUnit, name);
    report(found);
    if (Object.keys(found).length > 0) return;
    create.mutate({ unitCode: chosenUnit, name: name.trim(), kind });
  }

  return (
    <form className="card form-stack" onSubmit={submit} onChange={onChange} noValidate aria-labelledby="team-form-title">
      <h2 id="team-form-title" className="form-title">
        {t('teamForm.title')}
      </h2>
      <div className="form-grid wide-form-grid">
        <div className="field">
          <label htmlFor="team-unit">{t('teamForm.unit')}</label>
          <select
            id="team-unit"
            name="unit"
            value={chosenUnit}
            onChange={(e) => setUnitCode(e.target.value)}
            aria-invalid={errors.unit ? true : undefined}
            aria-describedby={errors.unit ? 'team-unit-error' : undefined}
            disabled={units.isPending}
          >
            <option value="">{units.isPending ? t('state.loading') : t('teamForm.chooseUnit')}</option>
            {units.data?.items.map((u) => (
              <option key={u.code} value={u.code}>
                {u.fullName}
              </option>
            ))}
          </select>
          <FieldError id="team-unit-error" messages={errors.unit ? [t(errors.unit.key)] : []} />
        </div>
        <div className="field">
          <label htmlFor="team-name">{t('teamForm.name')}</label>
          <input
            id="team-name"
            name="name"
            value={name}
            maxLength={140}
            placeholder={t('teamForm.namePlaceholder')}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={errors.name ? 'team-name-error' : undefined}
          />
          <FieldError id="team-name-error" messages={errors.name ? [t(errors.name.key)] : []} />
        </div>
        <div className="field">
          <label htmlFor="team-kind">{t('teamForm.kind')}</label>
          <select id="team-kind" value={kind} onChange={(e) => setKind(e.target.value as TeamKind)}>
            {TEAM_KINDS.map((k) => (
              <option key={k} value={k}>
                {label('teamKind', k)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p className="hint">{t('teamForm.leaderHint')}</p>
      <FormError error={create.error} />
      <div className="btn-row">
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          {create.isPending ? t('state.saving') : t('teamForm.submit')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onClose}>
          {t('action.cancel')}
        </button>
      </div>
    </form>
  );
}
