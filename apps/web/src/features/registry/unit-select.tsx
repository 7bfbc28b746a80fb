import { useQuery } from '@tanstack/react-query';
import { useI18n } from '../../shared/i18n/i18n-context';
import { can } from '../access/permissions';
import { useMe } from '../access/session-context';
import { fetchUnits, unitKeys } from '../units/units-api';

/**
 * A choice among the units the reader may see. Roles that may not list units (volunteers work
 * from their assignments) get nothing to choose and the server scopes the list by itself.
 */
export function UnitSelect({
  id,
  name,
  value,
  onChange,
  allowAll = true,
  emptyLabel,
  errorId,
}: {
  id: string;
  /** The field it fills in a form, for the form's own change handling. */
  name?: string;
  value: string;
  onChange: (code: string) => void;
  allowAll?: boolean;
  /** The words of the empty choice when it means "none chosen yet" rather than "all units". */
  emptyLabel?: string;
  /** The id of the field's error message, when the form shows one: the choice is then marked invalid and described by it. */
  errorId?: string | undefined;
}) {
  const { t } = useI18n();
  const me = useMe();
  const mayList = can(me.role, 'units');
  const units = useQuery({
    queryKey: unitKeys.list(''),
    queryFn: () => fetchUnits(''),
    staleTime: 5 * 60_000,
    retry: false,
    enabled: mayList,
  });
  if (!mayList || units.isError) return null;
  return (
    <div className="field field-inline">
      <label htmlFor={id}>{t('filter.unit')}</label>
      <select
        id={id}
        name={name}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        disabled={units.isPending}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={errorId}
      >
        {allowAll ? (
          <option value="">{units.isPending ? t('state.loading') : (emptyLabel ?? t('filter.allUnits'))}</option>
        ) : (
          // Without it, a choice not made yet would show the first unit as if it were chosen.
          value === '' && (
            <option value="" disabled>
              {units.isPending ? t('state.loading') : (emptyLabel ?? t('filter.chooseUnit'))}
            </option>
          )
        )}
        {/* In Vietnamese order by name (the list comes in the database's order: "Bắc" before "Bàn"). */}
        {[...(units.data?.items ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'vi')).map((u) => (
          <option key={u.code} value={u.code}>
            {u.fullName}
          </option>
        ))}
      </select>
    </div>
  );
}
