// A site's overdue tasks as a Nagios/ARGO plugin answer: CRITICAL when a task is overdue,
// WARNING when one is past its warning point, OK otherwise; perfdata for the counts.
import type { Actor } from '../../core/access.js';
import { requireAccess } from '../../core/access.js';
import { NotFoundError } from '../../core/errors.js';
import { findSiteByName } from '../registry/index.js';
import type { TaskServices } from './module.js';
import type { Db } from '../../db/database.js';

const STATUS = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;

export async function probeTasks(s: Pick<TaskServices, 'tasks'> & { db: Db }, actor: Actor, siteName: string) {
  const site = await findSiteByName(s.db, siteName);
  // A site out of the reader's reach reads exactly as an unknown one.
  if (!site) throw new NotFoundError('site', siteName);
  await requireAccess(actor, 'task:read', { type: 'site', siteId: site.siteId, ngiId: site.ngiId }).catch(() => {
    throw new NotFoundError('site', siteName);
  });
  const open = await s.tasks.list(actor, { status: 'open', scopeType: 'site', scopeId: site.siteId, limit: 200, offset: 0 });
  const overdue = open.items.filter((t) => t.overdue);
  const dueSoon = open.items.filter((t) => t.dueSoon);
  const code = overdue.length > 0 ? 2 : dueSoon.length > 0 ? 1 : 0;
  // The title only when its label allows it anywhere the probe's output goes (monitoring pages); one line, no perfdata separator.
  const first = overdue[0];
  const title = first && (first.tlp === 'CLEAR' || first.tlp === 'GREEN') ? `: ${first.title.replace(/[\x00-\x1f\x7f|]+/g, ' ').slice(0, 80)}` : '';
  const oldest = first ? `; oldest due ${first.dueAt.slice(0, 16).replace('T', ' ')} UTC${title}` : '';
  return {
    code: code as 0 | 1 | 2 | 3,
    text: `${STATUS[code]}: ${siteName}: ${open.total} open tasks, ${overdue.length} overdue, ${dueSoon.length} due soon${oldest} | 'open'=${open.total};;;0 'overdue'=${overdue.length};;1;0 'due_soon'=${dueSoon.length};1;;0`,
  };
}
