import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormError } from '../../shared/components/form-error';
import { EmptyState, ErrorState, LoadingState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { can } from '../access/permissions';
import { useMe } from '../access/session-context';
import { ConfirmAction } from './campaign-ui';
import { fetchDevices, fieldKeys, revokeDevice, type TeamDetail } from './field-api';

export function TeamDevices({ team }: { team: TeamDetail }) {
  const { t, dateTime } = useI18n();
  const me = useMe();
  const queryClient = useQueryClient();
  const mayRevoke = can(me.role, 'leadTeam') && !team.archived;
  const [done, setDone] = useState('');
  const devices = useQuery({ queryKey: fieldKeys.devices(team.id, undefined), queryFn: () => fetchDevices(team.id, undefined) });
  const revoke = useMutation({
    mutationFn: revokeDevice,
    onSuccess: (d) => {
      setDone(t('devices.revoked', { label: d.label }));
      void queryClient.invalidateQueries({ queryKey: ['field', 'devices'] });
      void queryClient.invalidateQueries({ queryKey: fieldKeys.team(team.id) });
    },
  });
  // Devices in use first, then the most recently seen.
  const rows = [...(devices.data ?? [])].sort(
    (a, b) => Number(a.revokedAt !== null) - Number(b.revokedAt !== null) || (b.lastSyncAt ?? b.enrolledAt).localeCompare(a.lastSyncAt ?? a.enrolledAt),
  );

  return (
    <section className="card table-card" aria-labelledby="devices-title">
      <div className="card-intro">
        <h2 id="devices-title" className="card-title">
          {t('devices.caption')}
        </h2>
        <p className="muted small">{t('devices.intro')}</p>
      </div>
      {devices.isPending ? (
        <LoadingState />
      ) : devices.isError ? (
        <ErrorState error={devices.error} onRetry={() => void devices.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState>{t('devices.empty')}</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">{t('devices.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('devices.colMember')}</th>
                <th scope="col">{t('devices.colLabel')}</th>
                <th scope="col" className="col-optional">
                  {t('devices.colEnrolled')}
                </th>
                <th scope="col" className="col-optional">
                  {t('devices.colLastSync')}
                </th>
                <th scope="col">{t('devices.colStatus')}</th>
                {mayRevoke && <th scope="col">
                    <span className="sr-only">{t('devices.revoke')}</span>
                  </th>}
              </tr>
            </thead>
            <tbody>
              {rows.slice(0, 200).map((d) => (
                <tr key={d.id}>
                  <th scope="row">{d.displayName}</th>
                  <td>
                    {d.label}
                    {d.appVersion && <span className="cell-sub">{`${t('devices.colVersion')} ${d.appVersion}`}</span>}
                  </td>
                  <td className="col-optional">{dateTime(d.enrolledAt)}</td>
                  <td className="col-optional">{d.lastSyncAt ? dateTime(d.lastSyncAt) : <span className="muted">{t('devices.neverSynced')}</span>}</td>
                  <td>
                    {d.revokedAt ? (
                      <span className="badge chip-bad">{t('devices.revokedStatus', { at: dateTime(d.revokedAt) })}</span>
                    ) : (
                      <span className="badge chip-good">{t('devices.activeStatus')}</span>
                    )}
                  </td>
                  {mayRevoke && (
                    <td>
                      {!d.revokedAt && (
                        <ConfirmAction
                          label={t('devices.revoke')}
                          question={t('devices.revokeConfirm', { label: d.label, name: d.displayName })}
                          pending={revoke.isPending}
                          onConfirm={() => revoke.mutate(d.id)}
                        />
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="card-intro">
        {done && <p className="form-success">{done}</p>}
        <FormError error={revoke.error} />
      </div>
    </section>
  );
}
