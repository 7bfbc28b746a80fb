import { useQuery } from '@tanstack/react-query';
import type { ElementStatus } from '@cds/contract';
import { PageHeader } from '../../shared/components/page-header';
import { EmptyState, QueryState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { useMe } from '../access/session-context';
import { FactSource } from '../registry/element-badges';
import { valueLabelPrefix } from '../registry/indicators';
import { MaskedValue } from '../registry/masked-value';
import { fetchResident, registryKeys } from '../registry/registry-api';

/** A resident's own checklist of the four core elements, with where each answer came from. */
export function MyElementsPage() {
  const me = useMe();
  const { t } = useI18n();
  const residentId = me.residentId;
  const resident = useQuery({
    queryKey: registryKeys.resident(residentId ?? 0),
    queryFn: () => fetchResident(residentId ?? 0),
    enabled: residentId !== null,
  });

  if (residentId === null) {
    return (
      <>
        <PageHeader title={t('mine.title')} />
        <EmptyState>{t('mine.noRecord')}</EmptyState>
      </>
    );
  }

  return (
    <>
      <PageHeader title={t('mine.title')} subtitle={t('mine.subtitle')} />
      <QueryState query={resident}>
        {(r) => {
          const applicable = r.elements.filter((e) => e.state !== 'not_applicable');
          const met = applicable.filter((e) => e.state === 'met').length;
          const pct = applicable.length === 0 ? 0 : Math.round((met / applicable.length) * 100);
          return (
            <>
              <section className="card mine-summary" aria-labelledby="mine-hello">
                <div>
                  <h2 id="mine-hello" className="card-title">
                    {t('mine.hello', { name: r.fullName })}
                  </h2>
                  <p className="muted">{t('mine.progress', { met, total: applicable.length })}</p>
                  <dl className="kv kv-inline">
                    <div>
                      <dt>{t('resident.citizenId')}</dt>
                      <dd>
                        <MaskedValue residentId={r.id} field="citizenId" value={r.citizenId} canReveal={r.canReveal.citizenId} />
                      </dd>
                    </div>
                    <div>
                      <dt>{t('resident.phone')}</dt>
                      <dd>
                        <MaskedValue residentId={r.id} field="phone" value={r.phone} canReveal={r.canReveal.phone} />
                      </dd>
                    </div>
                  </dl>
                </div>
                <div
                  className="progress-ring"
                  role="img"
                  aria-label={t('mine.progress', { met, total: applicable.length })}
                  style={{ ['--pct' as string]: `${pct}` }}
                >
                  <span>{pct}%</span>
                </div>
              </section>
              <div className="element-cards">
                {r.elements.map((e) => (
                  <ElementCard key={e.element} element={e} />
                ))}
              </div>
              <p className="muted small">{t('mine.wrongInfo')}</p>
              {/* The residents' learning site is its own page (learn.html), so a plain link, not a router link. */}
              <p>
                <a className="btn btn-primary" href="/learn/me">
                  {t('mine.learn')}
                </a>
              </p>
            </>
          );
        }}
      </QueryState>
    </>
  );
}

function ElementCard({ element }: { element: ElementStatus }) {
  const { t, label } = useI18n();
  return (
    <section className={`card element-card state-${element.state}`} aria-labelledby={`el-${element.element}`}>
      <header className="element-card-head">
        <h2 id={`el-${element.element}`} className="card-title">
          {label('element', element.element)}
        </h2>
        <span className={`element-badge static state-${element.state}`}>
          <span className="state-dot" aria-hidden="true" />
          <span className="element-state">{label('state', element.state)}</span>
        </span>
      </header>
      <p className="muted small">{label('elementHelp', element.element)}</p>
      <ul className="checklist">
        {element.indicators.map((ind) => (
          <li key={ind.indicator}>
            <span className="check-label">{label('indicator', ind.indicator)}</span>
            <span className="check-value">
              {ind.value === null ? <span className="muted">{t('fact.noValue')}</span> : label(valueLabelPrefix(ind.indicator), ind.value)}
            </span>
            {ind.fact && <FactSource fact={ind.fact} withWho={false} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
