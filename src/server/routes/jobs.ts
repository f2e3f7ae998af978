// Background jobs, for operators: what ran, what failed, what is running and how far along.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { JobQueue } from '../../core/jobs.js';
import { errorResponses, Nullable } from '../schema-helpers.js';

const Job = Type.Object({
  jobId: Type.String(),
  kind: Type.String(),
  status: Type.String(),
  attempts: Type.Integer(),
  maxAttempts: Type.Integer(),
  runAt: Type.String(),
  progress: Type.Number(),
  progressMessage: Nullable(Type.String()),
  lastError: Nullable(Type.String()),
  createdAt: Type.String(),
  finishedAt: Nullable(Type.String()),
});

export const jobRoutes =
  (jobs: JobQueue): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/v1/jobs',
      {
        schema: {
          tags: ['operations'],
          summary: 'Recent background jobs with progress',
          querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }) }),
          response: { 200: Type.Object({ items: Type.Array(Job) }), ...errorResponses },
        },
        config: { permission: 'job:read' },
      },
      async (req) => ({
        items: (await jobs.list(req.query.limit)).map((j) => ({
          jobId: j.job_id,
          kind: j.kind,
          status: j.status,
          attempts: j.attempts,
          maxAttempts: j.max_attempts,
          runAt: j.run_at,
          progress: j.progress,
          progressMessage: j.progress_message,
          lastError: j.last_error,
          createdAt: j.created_at,
          finishedAt: j.finished_at,
        })),
      }),
    );
  };
