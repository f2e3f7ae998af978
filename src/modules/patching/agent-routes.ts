// The host agent and its systemd/cron files, served for download so a site installs them with
// one curl (no Node.js on the host).
import { readFile } from 'node:fs/promises';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NotFoundError } from '../../core/errors.js';

const FILES: Record<string, string> = {
  'vigil-agent': 'text/x-shellscript; charset=utf-8',
  'vigil-agent.service': 'text/plain; charset=utf-8',
  'vigil-agent.timer': 'text/plain; charset=utf-8',
  'vigil-agent.cron': 'text/plain; charset=utf-8',
  'README.md': 'text/markdown; charset=utf-8',
};
const agentDir = new URL('../../../agent/', import.meta.url);

export const agentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/agent/:file',
    {
      schema: {
        tags: ['patching'],
        summary: 'Download the host agent (POSIX sh) and its systemd timer / cron example',
        params: Type.Object({ file: Type.Union(Object.keys(FILES).map((f) => Type.Literal(f))) }),
      },
      config: { permission: 'public' },
    },
    async (req, reply) => {
      const type = FILES[req.params.file];
      if (!type) throw new NotFoundError('agent file', req.params.file);
      return reply.type(type).send(await readFile(new URL(req.params.file, agentDir)));
    },
  );
};
