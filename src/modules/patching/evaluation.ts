// Findings are a function of (OS release, package set, running kernel): computed once per
// distinct triple and shared by every host that reports it. An evaluation made under an older
// feed generation is recomputed on next use or by the re-evaluation job.
import { createHash } from 'node:crypto';
import type { Executor } from '../../db/database.js';
import type { FindingTable } from '../../db/schema.js';
import type { CurrentEvaluator, EvaluatorCache } from './evaluator-cache.js';
import { setMembers } from './package-sets.js';
import type { InstalledPackage } from '../../lib/evaluate/index.js';

export interface EvaluationTarget {
  osKey: string;
  setId: string;
  kernel: string;
}

const evalKeyOf = (t: EvaluationTarget) => createHash('sha256').update(`${t.osKey}\n${t.setId}\n${t.kernel}`).digest('hex');

/**
 * Judges a (release, set, kernel) never evaluated under the current feed before the caller's
 * transaction, in slices that leave the event loop free between them (a new list of 15,000
 * packages is 30-60 ms of work); `ensureEvaluation` then finds the result in the evaluator's
 * cache. Costs one indexed read when the evaluation is already current. Returns the packages
 * it judged (for `ensureEvaluation`), or undefined when there was nothing to do.
 */
export async function prepareEvaluation(
  ex: Executor,
  current: CurrentEvaluator,
  target: EvaluationTarget,
  knownPackages?: readonly InstalledPackage[],
): Promise<readonly InstalledPackage[] | undefined> {
  const existing = await ex.selectFrom('evaluation').select('feed_generation').where('eval_key', '=', evalKeyOf(target)).executeTakeFirst();
  if (existing && existing.feed_generation >= current.generation) return undefined;
  const packages = knownPackages ?? (await setMembers(ex, target.setId));
  await current.evaluator.evaluateInSlices(hostInput(target, packages));
  return packages;
}

// One spelling of the evaluator's input, so that a prepared result is found again by its set id.
const hostInput = (target: EvaluationTarget, packages: readonly InstalledPackage[]) => ({
  os: target.osKey,
  packages,
  runningKernel: target.kernel || undefined,
  packageSetId: `${target.setId}:${target.kernel}`,
});

/** Returns the evaluation key, computing and storing the findings when missing or stale.
 *  Take `current` from the cache before opening the transaction: SQLite has one connection.
 *  `knownPackages`: the set's packages when the caller has them (saves decoding the set). */
export async function ensureEvaluation(
  ex: Executor,
  current: CurrentEvaluator,
  target: EvaluationTarget,
  now: string,
  knownPackages?: readonly InstalledPackage[],
): Promise<{ evalKey: string; recomputed: boolean }> {
  const evalKey = evalKeyOf(target);
  const { generation, evaluator } = current;
  const existing = await ex.selectFrom('evaluation').select('feed_generation').where('eval_key', '=', evalKey).executeTakeFirst();
  if (existing && existing.feed_generation >= generation) return { evalKey, recomputed: false };

  const packages = knownPackages ?? (await setMembers(ex, target.setId));
  const result = evaluator.evaluate(hostInput(target, packages));
  const rows = new Map<string, FindingTable>();
  for (const f of result.findings) {
    // A definition without CVE ids (rare advisories) is listed under its advisory or definition id.
    const ids = f.cves.length > 0 ? f.cves : [f.advisoryId ?? f.definitionId];
    for (const cve of ids) {
      const row: FindingTable = {
        eval_key: evalKey,
        cve_id: cve,
        package_name: f.package,
        installed_version: f.installedVersion,
        arch: f.arch,
        fixed_version: f.fixedVersion,
        is_fix_available: f.fixAvailable ? 1 : 0,
        severity: f.severity,
        definition_id: f.definitionId,
        advisory_id: f.advisoryId ?? null,
        notes_json: JSON.stringify(f.notes),
      };
      rows.set(`${cve}\t${f.package}\t${f.installedVersion}\t${f.arch}\t${f.definitionId}`, row);
    }
  }
  const evaluation = {
    eval_key: evalKey,
    os_key: target.osKey,
    set_id: target.setId,
    kernel: target.kernel,
    feed_generation: generation,
    feed_release: result.feedRelease ?? null,
    finding_count: rows.size,
    notes_json: JSON.stringify(result.notes),
    evaluated_at: now,
  };
  await ex
    .insertInto('evaluation')
    .values(evaluation)
    .onConflict((oc) =>
      oc.column('eval_key').doUpdateSet({
        feed_generation: generation,
        feed_release: evaluation.feed_release,
        finding_count: evaluation.finding_count,
        notes_json: evaluation.notes_json,
        evaluated_at: now,
      }),
    )
    .execute();
  await ex.deleteFrom('finding').where('eval_key', '=', evalKey).execute();
  const list = [...rows.values()];
  for (let i = 0; i < list.length; i += 500)
    await ex
      .insertInto('finding')
      .values(list.slice(i, i + 500))
      .onConflict((oc) => oc.doNothing())
      .execute();
  return { evalKey, recomputed: true };
}

/**
 * Brings a host's finding history in line with its current evaluation: a (CVE, package) pair
 * newly present opens a row; one no longer present is marked fixed now. `isNewHost`: the host
 * was just inserted, so it has no history yet.
 */
export async function syncHostFindings(ex: Executor, hostId: string, evalKey: string | null, now: string, isNewHost = false): Promise<void> {
  if (isNewHost) {
    // Nothing to close: the evaluation's pairs are copied in one statement.
    if (evalKey) {
      await ex
        .insertInto('host_finding')
        .columns(['host_id', 'cve_id', 'package_name', 'first_seen_at', 'fixed_at'])
        .expression(
          ex
            .selectFrom('finding')
            .select((eb) => [eb.val(hostId).as('host_id'), 'cve_id', 'package_name', eb.val(now).as('first_seen_at'), eb.val(null).as('fixed_at')])
            .distinct()
            .where('eval_key', '=', evalKey),
        )
        .execute();
    }
    return;
  }
  const current = evalKey ? await ex.selectFrom('finding').select(['cve_id', 'package_name']).distinct().where('eval_key', '=', evalKey).execute() : [];
  const open = await ex
    .selectFrom('host_finding')
    .select(['cve_id', 'package_name', 'first_seen_at'])
    .where('host_id', '=', hostId)
    .where('fixed_at', 'is', null)
    .execute();
  const key = (r: { cve_id: string; package_name: string }) => `${r.cve_id}\t${r.package_name}`;
  const wanted = new Set(current.map(key));
  const have = new Map(open.map((r) => [key(r), r]));
  const added = current
    .filter((r) => !have.has(key(r)))
    .map((r) => ({ host_id: hostId, cve_id: r.cve_id, package_name: r.package_name, first_seen_at: now, fixed_at: null }));
  for (let i = 0; i < added.length; i += 500)
    await ex
      .insertInto('host_finding')
      .values(added.slice(i, i + 500))
      .onConflict((oc) => oc.doNothing())
      .execute();
  for (const [k, r] of have) {
    if (wanted.has(k)) continue;
    await ex
      .updateTable('host_finding')
      .set({ fixed_at: now })
      .where('host_id', '=', hostId)
      .where('cve_id', '=', r.cve_id)
      .where('package_name', '=', r.package_name)
      .where('first_seen_at', '=', r.first_seen_at)
      .execute();
  }
}

/**
 * After a feed change: recomputes every evaluation still used by a host and made under an older
 * generation. Hosts share evaluations, so their finding history is updated per changed
 * (CVE, package) pair with one statement for all the evaluation's hosts, never host by host:
 * the cost follows the distinct evaluations, not the 100,000 hosts. Reports keep flowing
 * meanwhile: each evaluation is its own short transaction.
 */
export async function reevaluateStale(
  db: import('../../db/database.js').Db,
  cache: EvaluatorCache,
  now: () => string,
  progress: (fraction: number, message: string) => Promise<void>,
): Promise<{ evaluations: number; hosts: number }> {
  cache.invalidate(); // the feed generation just moved: do not trust this process's last look
  const current = await cache.get();
  const stale = await db
    .selectFrom('evaluation')
    .select(['eval_key', 'os_key', 'set_id', 'kernel'])
    .where('feed_generation', '<', current.generation)
    .where('eval_key', 'in', (eb) => eb.selectFrom('host').select('host.eval_key').where('host.eval_key', 'is not', null))
    .execute();
  let hosts = 0;
  for (const [i, e] of stale.entries()) {
    const target = { osKey: e.os_key, setId: e.set_id, kernel: e.kernel };
    const packages = await prepareEvaluation(db, current, target);
    await db.transaction().execute(async (trx) => {
      const pairs = async () =>
        new Set(
          (await trx.selectFrom('finding').select(['cve_id', 'package_name']).distinct().where('eval_key', '=', e.eval_key).execute()).map(
            (r) => `${r.cve_id}\t${r.package_name}`,
          ),
        );
      const before = await pairs();
      await ensureEvaluation(trx, current, target, now(), packages);
      const after = await pairs();
      const at = now();
      const users = trx.selectFrom('host').select('host.host_id').where('host.eval_key', '=', e.eval_key);
      for (const pair of after) {
        if (before.has(pair)) continue;
        const [cve, pkg] = pair.split('\t') as [string, string];
        await trx
          .insertInto('host_finding')
          .columns(['host_id', 'cve_id', 'package_name', 'first_seen_at', 'fixed_at'])
          .expression(
            trx
              .selectFrom('host')
              .select((eb) => [
                'host.host_id',
                eb.val(cve).as('cve_id'),
                eb.val(pkg).as('package_name'),
                eb.val(at).as('first_seen_at'),
                eb.val(null).as('fixed_at'),
              ])
              .where('host.eval_key', '=', e.eval_key),
          )
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      for (const pair of before) {
        if (after.has(pair)) continue;
        const [cve, pkg] = pair.split('\t') as [string, string];
        await trx
          .updateTable('host_finding')
          .set({ fixed_at: at })
          .where('cve_id', '=', cve)
          .where('package_name', '=', pkg)
          .where('fixed_at', 'is', null)
          .where('host_id', 'in', users)
          .execute();
      }
      hosts += Number(
        (
          await trx
            .selectFrom('host')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('eval_key', '=', e.eval_key)
            .executeTakeFirstOrThrow()
        ).n,
      );
    });
    if (i % 50 === 0) await progress(i / stale.length, `${i} of ${stale.length} evaluations`);
  }
  return { evaluations: stale.length, hosts };
}
