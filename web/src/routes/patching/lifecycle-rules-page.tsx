// Lifecycle rules (issue 11, item 5): end-of-life software and minimum versions, with the hosts
// each flags in the reader's reach. Holders of lifecycle:manage add, edit, enable and disable them.
import { useState } from 'react';
import { Link } from '../../lib/router';
import { useCan } from '../../lib/session';
import { errorMessage } from '../../lib/api';
import { formatTime } from '../../lib/format';
import { PageHeader } from '../../components/page';
import { Empty, QueryView } from '../../components/states';
import { useLifecycleRules, useSetLifecycleRuleEnabled } from './hooks';
import { PatchingTabs } from './parts';
import { KIND_LABELS, LifecycleRuleForm } from './lifecycle-rule-form';
import type { LifecycleRule } from './types';

export const notYetInForce = (r: Pick<LifecycleRule, 'effectiveFrom'>, now = Date.now()) => Date.parse(r.effectiveFrom) > now;

export function LifecycleRulesPage() {
  const rules = useLifecycleRules();
  const manages = useCan()('lifecycle:manage');
  return (
    <>
      <PageHeader
        title="Lifecycle rules"
        crumbs={[{ label: 'Patch monitoring', to: '/patch-monitoring' }]}
        subtitle="Software at end of life, and packages below a minimum version (trust anchors, middleware). A rule flags the hosts that run them, whatever the feeds say."
      />
      <PatchingTabs />
      <QueryView query={rules} label="lifecycle rules">
        {(data) => <RuleList rules={data.items} manages={manages} />}
      </QueryView>
    </>
  );
}

function RuleList({ rules, manages }: { rules: LifecycleRule[]; manages: boolean }) {
  const setEnabled = useSetLifecycleRuleEnabled();
  const [editing, setEditing] = useState<string | null>(null);
  const edited = rules.find((r) => r.ruleId === editing);
  return (
    <>
      {setEnabled.isError && (
        <p className="form-error" role="alert">
          Could not change the rule: {errorMessage(setEnabled.error)}
        </p>
      )}
      <section className="panel" aria-labelledby="lifecycle-rules-title">
        <h2 id="lifecycle-rules-title">Rules</h2>
        {rules.length === 0 ? (
          <Empty>No lifecycle rule yet.{manages ? ' Add one below.' : ''}</Empty>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <caption>Lifecycle rules ({rules.length})</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Rule</th>
                  <th scope="col">Message</th>
                  <th scope="col" className="num">
                    Hosts
                  </th>
                  <th scope="col">Status</th>
                  {manages && (
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {rules.map((r) => (
                  <tr key={r.ruleId}>
                    <th scope="row">
                      {r.name}
                      <span className="cell-sub">by {r.createdBy}</span>
                    </th>
                    <td>
                      <span className="mono">{r.packagePattern}</span>
                      <span className="cell-sub">
                        {KIND_LABELS[r.kind] ?? r.kind}
                        {r.version ? `: below ${r.version}` : ', any version'}
                      </span>
                    </td>
                    <td className="wrap lifecycle-message">{r.message}</td>
                    <td className="num">
                      <Link
                        to={`/patch-monitoring/lifecycle-rules/${r.ruleId}`}
                        aria-label={`Hosts flagged by ${r.name}: ${r.isEnabled ? (r.hosts ?? 0) : 'none, disabled'}`}
                      >
                        {r.isEnabled ? (r.hosts ?? 0) : '—'}
                      </Link>
                    </td>
                    <td>
                      {r.isEnabled ? <span className="badge badge-ok">enabled</span> : <span className="badge badge-muted">disabled</span>}
                      <span className="cell-sub nowrap" title={formatTime(r.effectiveFrom)}>
                        {r.isEnabled && notYetInForce(r) ? 'not yet in force: ' : ''}from {r.effectiveFrom.slice(0, 10)}
                      </span>
                    </td>
                    {manages && (
                      <td className="row-actions">
                        <button type="button" className="btn btn-small" onClick={() => setEditing(r.ruleId)} aria-label={`Edit rule ${r.name}`}>
                          Edit
                        </button>
                        <button
                          type="button"
                          className="btn btn-small"
                          disabled={setEnabled.isPending}
                          onClick={() => setEnabled.mutate({ ruleId: r.ruleId, enabled: !r.isEnabled })}
                          aria-label={`${r.isEnabled ? 'Disable' : 'Enable'} rule ${r.name}`}
                        >
                          {r.isEnabled ? 'Disable' : 'Enable'}
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {manages && (edited ? <LifecycleRuleForm key={edited.ruleId} rule={edited} onDone={() => setEditing(null)} /> : <LifecycleRuleForm key="new" />)}
    </>
  );
}
