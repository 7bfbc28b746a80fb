import { lazy, Suspense, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FieldError, FormError } from '../../shared/components/form-error';
import { useFieldProblems } from '../../shared/light/use-field-problems';
import { EmptyState, ErrorState, LoadingState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import type { MessageKey } from '../../shared/i18n/dictionary-vi';
import { can } from '../access/permissions';
import { useMe } from '../access/session-context';
import { ConfirmAction, StatusChip } from './campaign-ui';
import { createInvite, fetchInvites, fieldKeys, revokeInvite, type InviteCreatedT, type TeamDetail } from './field-api';
import { absoluteInviteUrl, validInviteUses } from './field-forms';

// The encoder loads only when a code is shown: most officials never make one.
const QrCode = lazy(() => import('./qr-code'));

const VALIDITY: ReadonlyArray<{ hours: number; label: MessageKey }> = [
  { hours: 24, label: 'invites.hours24' },
  { hours: 72, label: 'invites.hours72' },
  { hours: 168, label: 'invites.hours168' },
  { hours: 720, label: 'invites.hours720' },
];

export function TeamInvites({ team }: { team: TeamDetail }) {
  const { t, number, dateTime } = useI18n();
  const me = useMe();
  const queryClient = useQueryClient();
  const mayInvite = can(me.role, 'leadTeam') && !team.archived;
  const invites = useQuery({ queryKey: fieldKeys.invites(team.id), queryFn: () => fetchInvites(team.id) });
  const [hours, setHours] = useState(72);
  const [uses, setUses] = useState('1');
  const { problems, report, onChange } = useFieldProblems<{ maxUses?: true }>();
  const [created, setCreated] = useState<InviteCreatedT | null>(null);
  const create = useMutation({
    mutationFn: () => createInvite(team.id, { expiresInHours: hours, maxUses: Number(uses) }),
    onSuccess: (invite) => {
      setCreated(invite);
      void queryClient.invalidateQueries({ queryKey: fieldKeys.invites(team.id) });
    },
  });
  const revoke = useMutation({
    mutationFn: revokeInvite,
    onSuccess: (invite) => {
      if (created?.id === invite.id) setCreated(null);
      void queryClient.invalidateQueries({ queryKey: fieldKeys.invites(team.id) });
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    const bad = !validInviteUses(uses);
    report(bad ? { maxUses: true } : {});
    if (!bad) create.mutate();
  }

  return (
    <div className="campaign-page">
      {mayInvite && (
        <form className="card form-stack" onSubmit={submit} onChange={onChange} noValidate aria-labelledby="invite-form-title">
          <h2 id="invite-form-title" className="form-title">
            {t('invites.create')}
          </h2>
          <p className="muted small">{t('invites.intro')}</p>
          <div className="inline-form">
            <div className="field">
              <label htmlFor="invite-hours">{t('invites.validFor')}</label>
              <select id="invite-hours" value={hours} onChange={(e) => setHours(Number(e.target.value))}>
                {VALIDITY.map((v) => (
                  <option key={v.hours} value={v.hours}>
                    {t(v.label)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="invite-uses">{t('invites.maxUses')}</label>
              <input
                id="invite-uses"
                name="maxUses"
                inputMode="numeric"
                value={uses}
                style={{ maxWidth: 120 }}
                onChange={(e) => setUses(e.target.value)}
                aria-invalid={problems.maxUses}
                aria-describedby={problems.maxUses ? 'invite-uses-error' : undefined}
              />
              <FieldError id="invite-uses-error" messages={problems.maxUses ? [t('invites.maxUsesInvalid')] : []} />
            </div>
            <button type="submit" className="btn btn-primary" disabled={create.isPending}>
              {create.isPending ? t('state.saving') : t('invites.create')}
            </button>
          </div>
          <FormError error={create.error} />
        </form>
      )}
      {created && <CreatedInvite invite={created} onClose={() => setCreated(null)} />}
      <section className="card table-card" aria-labelledby="invites-title">
        <h2 id="invites-title" className="sr-only">
          {t('invites.caption')}
        </h2>
        {invites.isPending ? (
          <LoadingState />
        ) : invites.isError ? (
          <ErrorState error={invites.error} onRetry={() => void invites.refetch()} />
        ) : invites.data.length === 0 ? (
          <EmptyState>{t('invites.empty')}</EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <caption className="sr-only">{t('invites.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('invites.colCreated')}</th>
                  <th scope="col" className="col-optional">
                    {t('invites.colExpires')}
                  </th>
                  <th scope="col" className="num">
                    {t('invites.colUses')}
                  </th>
                  <th scope="col">{t('invites.colStatus')}</th>
                  {mayInvite && <th scope="col">
                    <span className="sr-only">{t('invites.revoke')}</span>
                  </th>}
                </tr>
              </thead>
              <tbody>
                {/* Newest first, and at most the last 50: older ones are history. */}
                {[...invites.data]
                  .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
                  .slice(0, 50)
                  .map((inv) => (
                    <tr key={inv.id}>
                      <td>{dateTime(inv.createdAt)}</td>
                      <td className="col-optional">{dateTime(inv.expiresAt)}</td>
                      <td className="num">
                        {number(inv.usedCount)}/{number(inv.maxUses)}
                      </td>
                      <td>
                        <StatusChip prefix="inviteStatus" value={inv.status} />
                      </td>
                      {mayInvite && (
                        <td>
                          {inv.status === 'active' && (
                            <ConfirmAction label={t('invites.revoke')} question={t('invites.revokeConfirm')} pending={revoke.isPending} onConfirm={() => revoke.mutate(inv.id)} />
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
          <FormError error={revoke.error} />
        </div>
      </section>
    </div>
  );
}

function CreatedInvite({ invite, onClose }: { invite: InviteCreatedT; onClose: () => void }) {
  const { t, dateTime } = useI18n();
  const [copied, setCopied] = useState<'' | 'ok' | 'failed'>('');
  const url = absoluteInviteUrl(invite.url, window.location.origin);
  return (
    <section className="invite-created" aria-labelledby="invite-created-title">
      <div className="invite-qr">
        <Suspense fallback={<LoadingState />}>
          <QrCode text={url} label={t('invites.qrLabel')} />
        </Suspense>
      </div>
      <div className="form-stack" style={{ gap: 10 }}>
        <h2 id="invite-created-title" className="card-title">
          {t('invites.createdTitle')}
        </h2>
        <p className="small">{t('invites.createdHint')}</p>
        <div>
          <p className="small" style={{ fontWeight: 600, marginBottom: 4 }}>
            {t('invites.link')}
          </p>
          <p className="invite-url">{url}</p>
        </div>
        <p className="small muted">{t('invites.expiresAt', { at: dateTime(invite.expiresAt) })}</p>
        <div className="btn-row">
          <button
            type="button"
            className="btn btn-primary btn-sm"
            onClick={() => {
              // The clipboard is there only on https (or localhost); elsewhere the link is selected by hand.
              if (!navigator.clipboard) return setCopied('failed');
              navigator.clipboard.writeText(url).then(
                () => setCopied('ok'),
                () => setCopied('failed'),
              );
            }}
          >
            {t('invites.copy')}
          </button>
          <button type="button" className="btn btn-ghost btn-sm" onClick={onClose}>
            {t('campaign.close')}
          </button>
          <span role="status" className="small">
            {copied === 'ok' ? t('invites.copied') : copied === 'failed' ? t('invites.copyFailed') : ''}
          </span>
        </div>
      </div>
    </section>
  );
}
