// The one place errors become HTTP: RFC 9457 problem+json. Domain errors map by code; request
// errors keep their 4xx status; anything else is a bare 500 with the request id to quote.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, RateLimitedError, UnavailableError, type ErrorCode } from '../core/errors.js';

const STATUS = {
  invalid: 422,
  not_found: 404,
  conflict: 409,
  forbidden: 403,
  unauthenticated: 401,
  too_large: 413,
  rate_limited: 429,
  storage_full: 507,
  unavailable: 503,
} satisfies Record<ErrorCode, number>;

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Authentication required',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Content too large',
  415: 'Unsupported media type',
  422: 'Invalid input',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
  507: 'Insufficient storage',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId?: string;
  [extra: string]: unknown;
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, status: number, detail?: string, extra: Record<string, unknown> = {}) {
  const title = TITLES[status] ?? 'Error';
  const problem: Problem = {
    type: `about:blank#${title.toLowerCase().replace(/ /g, '-')}`,
    title,
    status,
    ...(detail ? { detail } : {}),
    instance: request.url.split('?')[0],
    requestId: request.id,
    ...extra,
  };
  return reply.code(status).type('application/problem+json').send(problem);
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof DomainError) {
      if (error instanceof RateLimitedError || error instanceof UnavailableError) reply.header('retry-after', String(error.retryAfterSeconds));
      return sendProblem(reply, request, STATUS[error.code], error.message, error.details ?? {});
    }
    if (error.validation) {
      const errors = error.validation.slice(0, 20).map((v) => ({ path: v.instancePath || '/', message: v.message }));
      return sendProblem(reply, request, 400, `${error.validationContext ?? 'request'} ${errors[0]?.path ?? ''} ${errors[0]?.message ?? 'is invalid'}`.trim(), {
        errors,
      });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return sendProblem(reply, request, status, error.message);
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, request, 500, `internal error; quote request id ${request.id}`);
  });
}
