// The hosts one lifecycle rule flags, in the reader's reach, with the package that breaks it:
// server-side paging and sorting, kept in the address.
import { Link } from '../../lib/router';
import { formatTime } from '../../lib/format';
import { PageHeader } from '../../components/page';
import { Empty, QueryView } from '../../components/states';
import { Pager, SortHeader } from '../../components/table';
import { useListState } from '../registry/list-state';
import { useLifecycleRuleHosts, useLifecycleRules } from './hooks';
import { PatchingTabs } from './parts';
import { KIND_LABELS } from './lifecycle-rule-form';
import { notYetInForce } from './lifecycle-rules-page';
import type { LifecycleRule } from './types';

function RuleSummary({ rule }: { rule: LifecycleRule }) {
  return (
    <>
      <p className="page-subtitle">
        {KIND_LABELS[rule.kind] ?? rule.kind}: <span className="mono">{rule.packagePattern}</span>
        {rule.version ? (
          <>
            {' '}
            below <span className="mono">{rule.version}</span>
          </>
        ) : null}
        . {rule.message}
      </p>
      {!rule.isEnabled && (
        <p className="notice notice-warn" role="status">
          This rule is disabled: the overview does not count these hosts. They are the hosts it would flag.
        </p>
      )}
      {notYetInForce(rule) && (
        <p className="notice notice-info" role="status">
          This rule is in effect from {formatTime(rule.effectiveFrom)}: until then it flags no host.
        </p>
      )}
    </>
  );
}

export function LifecycleRuleHostsPage({ ruleId }: { ruleId: string }) {
  const list = useListState([], { sort: 'hostname' });
  const hosts = useLifecycleRuleHosts(ruleId, { limit: list.limit, offset: list.offset, sort: list.sort, order: list.order });
  const rule = useLifecycleRules().data?.items.find((r) => r.ruleId === ruleId);
  const sortState = { sort: list.sort, order: list.order };
  return (
    <>
      <PageHeader
        title={rule ? `Hosts flagged by ${rule.name}` : 'Hosts flagged by a lifecycle rule'}
        crumbs={[
          { label: 'Patch monitoring', to: '/patch-monitoring' },
          { label: 'Lifecycle rules', to: '/patch-monitoring/lifecycle-rules' },
        ]}
      />
      <PatchingTabs />
      {rule && <RuleSummary rule={rule} />}
      <QueryView query={hosts} label="flagged hosts" notFound="lifecycle rule">
        {(data) => (
          <div className={`table-wrap ${hosts.isPlaceholderData ? 'is-stale' : ''}`} aria-busy={hosts.isFetching}>
            <table className="data">
              <caption>{hosts.isPlaceholderData ? 'Flagged hosts (updating…)' : `Flagged hosts (${data.total})`}</caption>
              <thead>
                <tr>
                  <SortHeader column="hostname" state={sortState} onSort={list.setSort}>
                    Host
                  </SortHeader>
                  <SortHeader column="siteName" state={sortState} onSort={list.setSort}>
                    Site
                  </SortHeader>
                  <th scope="col">Offending package</th>
                  <SortHeader column="lastReportAt" state={sortState} onSort={list.setSort}>
                    Last report
                  </SortHeader>
                </tr>
              </thead>
              <tbody>
                {data.items.map((h) => (
                  <tr key={h.hostId}>
                    <th scope="row" className="mono">
                      <Link to={`/patch-monitoring/hosts/${h.hostId}`}>{h.hostname}</Link>
                    </th>
                    <td className="mono">
                      <Link to={`/registry/sites/${h.siteId}`}>{h.siteName}</Link>
                    </td>
                    <td className="mono">{h.package}</td>
                    <td className="mono muted nowrap">{formatTime(h.lastReportAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {data.items.length === 0 && !hosts.isPlaceholderData && <Empty>The rule flags no host within your reach.</Empty>}
            <Pager label="Flagged hosts" total={data.total} limit={list.limit} offset={list.offset} onChange={list.setPage} />
          </div>
        )}
      </QueryView>
    </>
  );
}
