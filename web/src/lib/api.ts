// The one way the UI talks to the server: JSON (or raw XML, or a file) over fetch with the session cookie,
// the CSRF header on changes, and RFC 9457 problems turned into ApiError.

export interface FieldProblem {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly fieldErrors: FieldProblem[] = [],
  ) {
    super(detail || title);
    this.name = 'ApiError';
  }
}

let csrfToken: string | undefined;
let onUnauthenticated: (() => void) | undefined;

/** The session's CSRF token, sent as X-CSRF-Token on every POST/PATCH/DELETE. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when the server says the session is gone (401), so the shell can show the login page. */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

export type QueryValue = string | number | boolean | undefined | null;

export function toSearch(query: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Record<string, QueryValue>;
  json?: unknown;
  xml?: Blob | string;
  /** A file sent as it is (application/octet-stream). */
  file?: Blob;
  /** Do not treat a 401 as "the session ended" (the login and session calls themselves). */
  quiet401?: boolean;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.xml !== undefined) {
    headers['Content-Type'] = 'application/xml';
    body = options.xml;
  } else if (options.file !== undefined) {
    headers['Content-Type'] = 'application/octet-stream';
    body = options.file;
  }
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(path + toSearch(options.query ?? {}), { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'Network error', 'The server could not be reached. Check your connection and try again.');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!response.ok) {
    const problem = (data ?? {}) as { title?: string; detail?: string; errors?: FieldProblem[] };
    if (response.status === 401 && !options.quiet401) onUnauthenticated?.();
    throw new ApiError(
      response.status,
      problem.title ?? response.statusText,
      problem.detail ?? problem.title ?? `HTTP ${response.status}`,
      Array.isArray(problem.errors) ? problem.errors : [],
    );
  }
  return data as T;
}

/** A message fit for the user, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.detail;
  if (error instanceof Error) return error.message;
  return String(error);
}

export const isNotFound = (error: unknown): boolean => error instanceof ApiError && error.status === 404;

/** For queries: retry transient failures once; a 401, 403 or 404 will not change by asking again. */
export const retryTransientOnce = (count: number, error: Error): boolean => count < 1 && !(error instanceof ApiError && [401, 403, 404].includes(error.status));
