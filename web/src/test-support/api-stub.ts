// The network, and only the network, stubbed: each test says what the API answers, in its own
// JSON shapes (src/modules/*/routes.ts), and the views run for real on top of it. A request
// no test answered fails the test (see setup.ts), so a view cannot quietly call something new.
import { vi } from 'vitest';

export type Answer = { status: number; body?: unknown } | 'pending';
type Handler = (url: URL, init: RequestInit | undefined) => Answer;

/** A 200 (or another status) with a JSON body. */
export const json = (body: unknown, status = 200): Answer => ({ status, body });

/** An RFC 9457 problem, as src/server/errors.ts sends it. */
export function problem(status: number, detail?: string): Answer {
  const title = ({ 403: 'Forbidden', 404: 'Not found', 500: 'Internal error', 503: 'Service unavailable' } as Record<number, string>)[status] ?? 'Error';
  return {
    status,
    body: {
      type: `about:blank#${title.toLowerCase().replace(/ /g, '-')}`,
      title,
      status,
      detail: detail ?? (status === 500 ? 'internal error; quote request id req-1' : title),
    },
  };
}

/** Never answers: the view stays in its loading state. */
export const pending: Answer = 'pending';

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
}

export interface ApiStub {
  /** Answers `METHOD /path` (`:name` matches one segment; the query string is ignored); a later `on` for the same route replaces it. */
  on(route: string, answer: Answer | Handler): ApiStub;
  /** The URLs requested on a route, oldest first. */
  requests(route: string): URL[];
}

let unhandled: string[] = [];

/** Requests no test answered since the last call (setup.ts fails the test on any). */
export function takeUnhandled(): string[] {
  const out = unhandled;
  unhandled = [];
  return out;
}

const split = (path: string) => path.split('/').filter(Boolean);
const matches = (pattern: string[], path: string[]) => pattern.length === path.length && pattern.every((p, i) => p.startsWith(':') || p === path[i]);

function parse(route: string): { method: string; segments: string[] } {
  const [method, path] = route.split(' ');
  if (!method || !path) throw new Error(`route "${route}": write it as "GET /api/v1/hosts"`);
  return { method, segments: split(path) };
}

function toResponse(answer: { status: number; body?: unknown }): Response {
  if (answer.status === 204 || answer.body === undefined) return new Response(null, { status: answer.status });
  const type = answer.status >= 400 ? 'application/problem+json' : 'application/json';
  return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'Content-Type': type } });
}

/** Replaces the global fetch for this test. */
export function stubApi(): ApiStub {
  const routes: Route[] = [];
  const seen: Array<{ method: string; url: URL }> = [];
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, window.location.origin);
    const method = (init?.method ?? 'GET').toUpperCase();
    seen.push({ method, url });
    const route = routes.find((r) => r.method === method && matches(r.segments, split(url.pathname)));
    if (!route) {
      unhandled.push(`${method} ${url.pathname}${url.search}`);
      return toResponse(problem(501, `no stub for ${method} ${url.pathname}`) as { status: number; body: unknown });
    }
    const answer = route.handler(url, init);
    if (answer === 'pending') return new Promise<Response>(() => {});
    return toResponse(answer);
  });
  const stub: ApiStub = {
    on(route, answer) {
      const { method, segments } = parse(route);
      const handler: Handler = typeof answer === 'function' ? answer : () => answer;
      const same = routes.findIndex((r) => r.method === method && r.segments.join('/') === segments.join('/'));
      if (same >= 0) routes.splice(same, 1, { method, segments, handler });
      else routes.push({ method, segments, handler });
      return stub;
    },
    requests(route) {
      const { method, segments } = parse(route);
      return seen.filter((s) => s.method === method && matches(segments, split(s.url.pathname))).map((s) => s.url);
    },
  };
  return stub;
}
