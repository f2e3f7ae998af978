// Loading, error (with retry), not-found and empty states: every view draws all of them.
import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { errorMessage, isNotFound } from '../lib/api';

export function Loading({ label }: { label: string }) {
  return (
    <p className="state state-loading" role="status">
      <span className="spinner" aria-hidden="true" />
      Loading {label}…
    </p>
  );
}

export function ErrorState({ label, error, onRetry }: { label: string; error: unknown; onRetry?: () => void }) {
  return (
    <div className="state state-error" role="alert">
      <p>
        <strong>Could not load {label}.</strong> {errorMessage(error)}
      </p>
      {onRetry && (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function NotFound({ what, detail }: { what: string; detail?: string }) {
  return (
    <section className="state state-notfound" aria-labelledby="not-found-title">
      <h1 id="not-found-title">Not found</h1>
      <p>{detail ?? `This ${what} does not exist, or it is outside the scopes you can see.`}</p>
    </section>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state state-empty">{children}</p>;
}

/** Draws a query's loading, error and not-found states, then the data. */
export function QueryView<T>({
  query,
  label,
  notFound,
  children,
}: {
  query: UseQueryResult<T>;
  label: string;
  notFound?: string;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading label={label} />;
  if (query.isError) {
    if (notFound && isNotFound(query.error)) return <NotFound what={notFound} detail={errorMessage(query.error)} />;
    return <ErrorState label={label} error={query.error} onRetry={() => void query.refetch()} />;
  }
  return <>{children(query.data)}</>;
}
