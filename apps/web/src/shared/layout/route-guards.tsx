import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { can, homePath, type Capability } from '../../features/access/permissions';
import { useSession } from '../../features/access/session-context';
import { ErrorState, LoadingState } from '../components/state-views';
import { NoAccessPage } from './not-found-page';

/** Pages behind sign-in: wait for the session, send strangers to the sign-in page and back afterwards. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { user, loading, error, retry } = useSession();
  const location = useLocation();
  if (loading) {
    return (
      <div className="boot">
        <LoadingState />
      </div>
    );
  }
  if (error) {
    return (
      <div className="boot">
        <ErrorState error={error} onRetry={retry} />
      </div>
    );
  }
  if (!user) {
    const next = location.pathname + location.search;
    return <Navigate to={next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  return <>{children}</>;
}

export function RequireCapability({ capability, children }: { capability: Capability; children: ReactNode }) {
  const { user } = useSession();
  if (!user || !can(user.role, capability)) return <NoAccessPage />;
  return <>{children}</>;
}

export function HomeRedirect() {
  const { user } = useSession();
  if (!user) return <Navigate to="/sign-in" replace />;
  return <Navigate to={homePath(user.role)} replace />;
}
