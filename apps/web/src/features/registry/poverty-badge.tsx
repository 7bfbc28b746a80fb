import { useI18n } from '../../shared/i18n/i18n-context';

export function PovertyBadge({ status, year }: { status: string; year?: number | null }) {
  const { label } = useI18n();
  if (status === 'none') return <span className="muted">{label('poverty', status)}</span>;
  return (
    <span className={`badge badge-poverty-${status}`}>
      {label('poverty', status)}
      {year ? ` ${year}` : ''}
    </span>
  );
}
