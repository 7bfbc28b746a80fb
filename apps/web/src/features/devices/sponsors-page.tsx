import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FieldError, FormError } from '../../shared/components/form-error';
import { useFieldProblems } from '../../shared/light/use-field-problems';
import { PageHeader } from '../../shared/components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { useMe } from '../access/session-context';
import { StatusChip, type Tone } from '../field/campaign-ui';
import { DeviceTabs } from './device-ui';
import { decideSponsor, deviceKeys, fetchSponsors, type SponsorStatus, type SponsorView } from './devices-api';

const STATUS_TONE: Record<SponsorStatus, Tone> = { pending: 'warn', active: 'good', declined: 'muted' };
const FILTERS: readonly (SponsorStatus | '')[] = ['', 'pending', 'active', 'declined'];

/**
 * The city's sponsors, registrations waiting for a decision first. The city approves one (its
 * login opens and it may pledge) or declines it with a reason; unit officials see the list only.
 */
export function SponsorsPage() {
  const { t, label } = useI18n();
  const [params, setParams] = useSearchParams();
  const raw = params.get('status') ?? '';
  const status = (FILTERS as readonly string[]).includes(raw) ? (raw as SponsorStatus | '') : '';
  const sponsors = useQuery({ queryKey: deviceKeys.sponsors(status), queryFn: () => fetchSponsors(status || undefined) });
  const [done, setDone] = useState('');

  return (
    <div className="device-page">
      <PageHeader title={t('dsSponsors.title')} subtitle={t('dsSponsors.subtitle')} />
      <DeviceTabs />
      <div className="toolbar" role="group" aria-label={t('dsSponsors.filter')}>
        {FILTERS.map((f) => (
          <button
            key={f || 'all'}
            type="button"
            className={`btn btn-sm ${status === f ? 'btn-primary' : 'btn-secondary'}`}
            aria-pressed={status === f}
            onClick={() => {
              const next = new URLSearchParams(params);
              if (f) next.set('status', f);
              else next.delete('status');
              setParams(next, { replace: true });
            }}
          >
            {f ? label('sponsorStatus', f) : t('dsSponsors.all')}
          </button>
        ))}
      </div>
      {done && (
        <p className="form-success" role="status">
          {done}
        </p>
      )}
      {sponsors.isPending ? (
        <LoadingState />
      ) : sponsors.isError ? (
        <ErrorState error={sponsors.error} onRetry={() => void sponsors.refetch()} />
      ) : sponsors.data.length === 0 ? (
        <EmptyState>{t('dsSponsors.empty')}</EmptyState>
      ) : (
        <ul className="plain-list sponsor-list">
          {sponsors.data.map((s) => (
            <li key={s.id}>
              <SponsorCard sponsor={s} onDecided={setDone} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function SponsorCard({ sponsor: s, onDecided }: { sponsor: SponsorView; onDecided: (message: string) => void }) {
  const { t, label, number, date } = useI18n();
  const mayDecide = useMe().role === 'city_admin' && s.status === 'pending';
  return (
    <article className="card form-stack" aria-labelledby={`sponsor-${s.id}`}>
      <div className="card-intro">
        <h2 id={`sponsor-${s.id}`} className="card-title">
          {s.name} <StatusChip prefix="sponsorStatus" value={s.status} tone={STATUS_TONE[s.status]} />
        </h2>
        <p className="muted small">
          {label('sponsorKind', s.kind)} · {t('dsSponsors.since', { date: date(s.createdAt) })}
          {s.status === 'active' && ` · ${t('dsSponsors.pledged', { n: number(s.devicesPledged), pledges: number(s.pledges) })}`}
        </p>
      </div>
      <dl className="sponsor-detail">
        {s.taxCode && (
          <>
            <dt>{t('dsRegister.taxCode')}</dt>
            <dd>{s.taxCode}</dd>
          </>
        )}
        <dt>{t('dsRegister.contactName')}</dt>
        <dd>{[s.contactName, s.contactPhone, s.contactEmail].filter(Boolean).join(' · ') || t('dsSponsors.noContact')}</dd>
        {s.username && (
          <>
            <dt>{t('dsRegister.username')}</dt>
            <dd>{s.username}</dd>
          </>
        )}
        {s.intent && (
          <>
            <dt>{t('dsRegister.intent')}</dt>
            <dd>{s.intent}</dd>
          </>
        )}
        <dt>{t('dsSponsors.publicName')}</dt>
        <dd>{s.showPublicly ? s.name : t('dsSponsors.anonymous')}</dd>
        {s.declineReason && (
          <>
            <dt>{t('dsSponsors.declineReason')}</dt>
            <dd>{s.declineReason}</dd>
          </>
        )}
      </dl>
      {mayDecide && <DecisionForm sponsor={s} onDecided={onDecided} />}
    </article>
  );
}

function DecisionForm({ sponsor, onDecided }: { sponsor: SponsorView; onDecided: (message: string) => void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  const { problems, report, onChange } = useFieldProblems<{ reason?: true }>();
  const reasonBox = useRef<HTMLTextAreaElement>(null);
  // The reason is what declining asks for: the cursor goes there when it opens.
  useEffect(() => {
    if (declining) reasonBox.current?.focus();
  }, [declining]);
  const decide = useMutation({
    mutationFn: (approve: boolean) => decideSponsor(sponsor.id, approve ? { decision: 'approve' } : { decision: 'decline', reason: reason.trim() }),
    onSuccess: (s) => {
      onDecided(t(s.status === 'active' ? 'dsSponsors.approved' : 'dsSponsors.declined', { name: s.name }));
      void queryClient.invalidateQueries({ queryKey: deviceKeys.all });
    },
  });
  function decline(e: FormEvent) {
    e.preventDefault();
    const short = reason.trim().length < 3;
    report(short ? { reason: true } : {});
    if (short) reasonBox.current?.focus();
    else decide.mutate(false);
  }
  const id = `decline-${sponsor.id}`;
  return (
    <form className="form-stack" onSubmit={decline} onChange={onChange} noValidate>
      {declining && (
        <div className="field">
          <label htmlFor={id}>{t('dsSponsors.declineReason')}</label>
          <textarea
            ref={reasonBox}
            id={id}
            name="reason"
            rows={2}
            maxLength={300}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            aria-invalid={problems.reason}
            aria-describedby={problems.reason ? `${id}-error` : undefined}
          />
          <FieldError id={`${id}-error`} messages={problems.reason ? [t('dsSponsors.reasonRequired')] : []} />
        </div>
      )}
      <FormError error={decide.error} />
      <div className="btn-row">
        {declining ? (
          <>
            <button type="submit" className="btn btn-danger" disabled={decide.isPending}>
              {t('dsSponsors.confirmDecline')}
            </button>
            <button type="button" className="btn btn-secondary" onClick={() => setDeclining(false)} disabled={decide.isPending}>
              {t('action.cancel')}
            </button>
          </>
        ) : (
          <>
            <button type="button" className="btn btn-primary" onClick={() => decide.mutate(true)} disabled={decide.isPending}>
              {t('dsSponsors.approve')}
            </button>
            <button type="button" className="btn btn-secondary" onClick={() => setDeclining(true)} disabled={decide.isPending}>
              {t('dsSponsors.decline')}
            </button>
          </>
        )}
      </div>
    </form>
  );
}
