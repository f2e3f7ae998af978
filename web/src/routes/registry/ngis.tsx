// NGIs: list, detail (with contacts and sites link), create and edit.
import type { FormEvent } from 'react';
import { Link, navigate } from '../../lib/router';
import { useCan } from '../../lib/session';
import { dash, formatTime } from '../../lib/format';
import type { Ngi, NgiDetail } from '../../lib/types';
import { PageHeader } from '../../components/page';
import { SearchBox } from '../../components/search-box';
import { FieldList, MailLink } from '../../components/fields';
import { FormError, TextArea, TextField, fieldErrors } from '../../components/form';
import { Empty, ErrorState, Loading, QueryView } from '../../components/states';
import { Pager, SortHeader } from '../../components/table';
import { AuditHistory } from '../audit/audit-history';
import { ContactsTable } from './contacts';
import { bodyOf, str, useFormValues } from './form-state';
import { useNgi, useNgis, useSaveNgi } from './hooks';
import { useListState } from './list-state';

export function NgiListPage() {
  const can = useCan();
  const list = useListState([], { sort: 'name' });
  const ngis = useNgis(list.query);
  return (
    <>
      <PageHeader
        title="NGIs"
        crumbs={[{ label: 'Registry', to: '/registry/sites' }]}
        actions={
          can('ngi:write') && (
            <Link className="btn btn-primary" to="/registry/ngis/new">
              New NGI
            </Link>
          )
        }
      />
      <div className="toolbar">
        <SearchBox label="Filter NGIs" value={list.q} onChange={list.setQ} />
      </div>
      {ngis.isPending ? (
        <Loading label="NGIs" />
      ) : ngis.isError ? (
        <ErrorState label="NGIs" error={ngis.error} onRetry={() => void ngis.refetch()} />
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption>National grid initiatives ({ngis.data.total})</caption>
            <thead>
              <tr>
                <SortHeader column="name" state={{ sort: list.sort, order: list.order }} onSort={list.setSort}>
                  Name
                </SortHeader>
                <th scope="col">Description</th>
                <th scope="col">Security e-mail</th>
                <th scope="col">E-mail</th>
                <th scope="col" className="num">
                  Sites
                </th>
                <th scope="col">GOCDB key</th>
              </tr>
            </thead>
            <tbody>
              {ngis.data.items.map((n) => (
                <tr key={n.ngiId}>
                  <th scope="row" className="mono">
                    <Link to={`/registry/ngis/${n.ngiId}`}>{n.name}</Link>
                  </th>
                  <td className="wrap">{dash(n.description)}</td>
                  <td>
                    <MailLink email={n.securityEmail} />
                  </td>
                  <td>
                    <MailLink email={n.email} />
                  </td>
                  <td className="num">
                    <Link to={`/registry/sites?ngiId=${n.ngiId}`} aria-label={`${n.siteCount ?? 0} sites of ${n.name}`}>
                      {n.siteCount ?? '—'}
                    </Link>
                  </td>
                  <td className="mono muted">{dash(n.gocdbKey)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {ngis.data.items.length === 0 && <Empty>No NGIs match.</Empty>}
          <Pager label="NGIs" total={ngis.data.total} limit={list.limit} offset={list.offset} onChange={list.setPage} />
        </div>
      )}
    </>
  );
}

export function NgiDetailPage({ ngiId }: { ngiId: string }) {
  const ngi = useNgi(ngiId);
  return (
    <QueryView query={ngi} label="NGI" notFound="NGI">
      {(n) => <NgiView ngi={n} />}
    </QueryView>
  );
}

function NgiView({ ngi }: { ngi: NgiDetail }) {
  return (
    <>
      <PageHeader
        title={ngi.name}
        crumbs={[{ label: 'NGIs', to: '/registry/ngis' }]}
        subtitle={dash(ngi.description)}
        actions={
          <>
            <Link className="btn" to={`/registry/sites?ngiId=${ngi.ngiId}`}>
              Sites of {ngi.name}
            </Link>
            {ngi.abilities.includes('ngi:write') && (
              <Link className="btn" to={`/registry/ngis/${ngi.ngiId}/edit`}>
                Edit NGI
              </Link>
            )}
          </>
        }
      />
      <section className="panel" aria-labelledby="ngi-fields">
        <h2 id="ngi-fields">Details</h2>
        <FieldList
          items={[
            ['Security e-mail', <MailLink email={ngi.securityEmail} />],
            ['E-mail', <MailLink email={ngi.email} />],
            ['Sites', String(ngi.siteCount ?? '—')],
            ['GOCDB key', <span className="mono">{dash(ngi.gocdbKey)}</span>],
            ['NGI id', <span className="mono">{ngi.ngiId}</span>],
            ['Updated', formatTime(ngi.updatedAt)],
          ]}
        />
      </section>
      <section className="panel" aria-labelledby="ngi-contacts">
        <h2 id="ngi-contacts">Contacts</h2>
        <ContactsTable contacts={ngi.contacts} of={ngi.name} />
      </section>
      <AuditHistory objectType="ngi" objectId={ngi.ngiId} label={ngi.name} />
    </>
  );
}

export function NgiEditPage({ ngiId }: { ngiId: string }) {
  const ngi = useNgi(ngiId);
  return (
    <QueryView query={ngi} label="NGI" notFound="NGI">
      {(n) => <NgiForm ngi={n} />}
    </QueryView>
  );
}

export function NgiForm({ ngi }: { ngi?: Ngi }) {
  const initial = { name: str(ngi?.name), description: str(ngi?.description), email: str(ngi?.email), securityEmail: str(ngi?.securityEmail) };
  const form = useFormValues(initial);
  const save = useSaveNgi();
  const errors = fieldErrors(save.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = bodyOf(form.values, ['description', 'email', 'securityEmail'], ngi ? initial : undefined);
    if (ngi && Object.keys(body).length === 0) return navigate(`/registry/ngis/${ngi.ngiId}`);
    save.mutate({ id: ngi?.ngiId, body }, { onSuccess: (saved) => navigate(`/registry/ngis/${saved.ngiId}`) });
  };
  return (
    <>
      <PageHeader title={ngi ? `Edit ${ngi.name}` : 'New NGI'} crumbs={[{ label: 'NGIs', to: '/registry/ngis' }]} />
      <form className="panel form-grid" onSubmit={submit} noValidate>
        <TextField label="Name" required className="mono" {...form.text('name')} error={errors.name} />
        <TextField label="Security e-mail" type="email" {...form.text('securityEmail')} error={errors.securityEmail} />
        <TextField label="E-mail" type="email" {...form.text('email')} error={errors.email} />
        <TextArea label="Description" {...form.text('description')} error={errors.description} />
        <FormError error={save.error} />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={save.isPending}>
            {ngi ? 'Save changes' : 'Create NGI'}
          </button>
          <button type="button" className="btn" onClick={() => history.back()}>
            Cancel
          </button>
        </div>
      </form>
    </>
  );
}
