// The demo's site tasks: the CSIRT has asked the Nordica sites to patch for a critical advisory
// (two have acknowledged, one resolved), and one site is integrating a cloud platform (PROC19).
// Made through the services, so deadlines, history, audit and the outbox are as in production.
import { systemActor } from '../core/access.js';
import type { Services } from './services.js';

export async function seedDemoTasks(s: Services): Promise<void> {
  const csirt = systemActor('EGI CSIRT (demo)');
  const sites = (await s.registry.listSites(csirt, { limit: 200, offset: 0, order: 'asc' }, {})).items.filter((site) => site.ngiName === 'NGI_NORDICA');
  if (sites.length === 0) return;
  const { items } = await s.tasks.create(csirt, {
    targets: sites.map((site) => ({ type: 'site' as const, id: site.siteId })),
    taskType: 'critical-advisory',
    priority: 'very urgent',
    title: 'Patch CVE-2024-6387 (regreSSHion) on every host running sshd',
    description: 'Upgrade openssh to the fixed release and restart sshd, or set LoginGraceTime 0 until you can. Hosts still vulnerable show on the CVE page.',
    tlp: 'AMBER',
    subject: { type: 'cve', id: 'CVE-2024-6387' },
  });
  const answering = systemActor('site security officer (demo)');
  if (items[1]) await s.tasks.acknowledge(answering, items[1].taskId, 'Upgrading tonight in the maintenance window.', 'ui');
  if (items[2]) await s.tasks.resolve(answering, items[2].taskId, 'All hosts upgraded and sshd restarted.', 'ui');
  const proc19 = (await s.checklists.listTemplates()).find((t) => t.name.startsWith('PROC19'));
  const cloud = sites.find((site) => site.name !== 'NOR-TROMSO-GRID') ?? sites[0]!;
  if (proc19)
    await s.checklists.start(csirt, { templateId: proc19.templateId, title: `OpenStack at ${cloud.name}`, target: { type: 'site', id: cloud.siteId } });
}
