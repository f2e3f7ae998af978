// Every CSIRT risk tag, newest first, with the reason and who set it.
import { Link } from '../../lib/router';
import { formatTime } from '../../lib/format';
import { PageHeader } from '../../components/page';
import { Empty, QueryView } from '../../components/states';
import { useCveTags } from './hooks';
import { CveSearch, PatchingTabs, TagBadge } from './parts';

export function RiskTagsPage() {
  const tags = useCveTags();
  return (
    <>
      <PageHeader
        title="Risk tags"
        crumbs={[{ label: 'Patch monitoring', to: '/patch-monitoring' }]}
        subtitle="CVEs the CSIRT has rated with a federation risk level. Open a CVE to tag it."
        actions={<CveSearch />}
      />
      <PatchingTabs />
      <QueryView query={tags} label="risk tags">
        {(data) => (
          <section className="panel" aria-labelledby="tags-title">
            <h2 id="tags-title">Tagged CVEs</h2>
            {data.items.length === 0 ? (
              <Empty>No CVE is tagged yet. Allowed tags: {data.allowedTags.join(', ')}.</Empty>
            ) : (
              <table className="data">
                <caption>Risk tags ({data.items.length})</caption>
                <thead>
                  <tr>
                    <th scope="col">CVE</th>
                    <th scope="col">Tag</th>
                    <th scope="col">Architecture</th>
                    <th scope="col">Reason</th>
                    <th scope="col">Tagged by</th>
                    <th scope="col">Tagged</th>
                    <th scope="col">Hosts</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((t) => (
                    <tr key={`${t.cve}-${t.tag}-${t.arch ?? ''}`}>
                      <th scope="row" className="mono">
                        <Link to={`/patch-monitoring/cves/${encodeURIComponent(t.cve)}`}>{t.cve}</Link>
                      </th>
                      <td>
                        <TagBadge tag={t.tag} />
                      </td>
                      <td className="mono">{t.arch ?? <span className="muted">all</span>}</td>
                      <td className="wrap">{t.reason}</td>
                      <td>{t.taggedBy}</td>
                      <td className="mono muted nowrap">{formatTime(t.taggedAt)}</td>
                      <td>
                        <Link to={`/patch-monitoring/hosts?cve=${encodeURIComponent(t.cve)}`} aria-label={`Hosts affected by ${t.cve}`}>
                          affected hosts
                        </Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        )}
      </QueryView>
    </>
  );
}
