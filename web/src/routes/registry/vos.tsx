// VOs: list, detail (managers and endorsers), register and edit.
import type { FormEvent } from 'react';
import { Link, navigate } from '../../lib/router';
import { useCan } from '../../lib/session';
import { dash, formatTime } from '../../lib/format';
import type { Vo, VoDetail } from '../../lib/types';
import { PageHeader } from '../../components/page';
import { SearchBox } from '../../components/search-box';
import { FieldList, MailLink } from '../../components/fields';
import { FormError, TextArea, TextField, fieldErrors } from '../../components/form';
import { Empty, ErrorState, Loading, QueryView } from '../../components/states';
import { Pager, SortHeader } from '../../components/table';
import { AuditHistory } from '../audit/audit-history';
import { ContactsTable } from './contacts';
import { bodyOf, str, useFormValues } from './form-state';
import { useSaveVo, useVo, useVos } from './hooks';
import { useListState } from './list-state';

export function VoListPage() {
  const can = useCan();
  const list = useListState([], { sort: 'name' });
  const vos = useVos(list.query);
  return (
    <>
      <PageHeader
        title="Virtual organisations"
        crumbs={[{ label: 'Registry', to: '/registry/sites' }]}
        actions={
          can('vo:create') && (
            <Link className="btn btn-primary" to="/registry/vos/new">
              Register VO
            </Link>
          )
        }
      />
      <div className="toolbar">
        <SearchBox label="Filter VOs" value={list.q} onChange={list.setQ} />
      </div>
      {vos.isPending ? (
        <Loading label="VOs" />
      ) : vos.isError ? (
        <ErrorState label="VOs" error={vos.error} onRetry={() => void vos.refetch()} />
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption>Virtual organisations ({vos.data.total})</caption>
            <thead>
              <tr>
                <SortHeader column="name" state={{ sort: list.sort, order: list.order }} onSort={list.setSort}>
                  Name
                </SortHeader>
                <th scope="col">Description</th>
                <th scope="col">Security e-mail</th>
                <th scope="col">Home page</th>
                <SortHeader column="updatedAt" state={{ sort: list.sort, order: list.order }} onSort={list.setSort}>
                  Updated
                </SortHeader>
              </tr>
            </thead>
            <tbody>
              {vos.data.items.map((v) => (
                <tr key={v.voId}>
                  <th scope="row" className="mono">
                    <Link to={`/registry/vos/${v.voId}`}>{v.name}</Link>
                  </th>
                  <td className="wrap">{dash(v.description)}</td>
                  <td>
                    <MailLink email={v.securityEmail} />
                  </td>
                  <td className="truncate">
                    {v.homepageUrl ? (
                      <a href={v.homepageUrl} target="_blank" rel="noreferrer noopener">
                        {v.homepageUrl}
                      </a>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td className="mono muted nowrap">{formatTime(v.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {vos.data.items.length === 0 && <Empty>No VOs match.</Empty>}
          <Pager label="VOs" total={vos.data.total} limit={list.limit} offset={list.offset} onChange={list.setPage} />
        </div>
      )}
    </>
  );
}

export function VoDetailPage({ voId }: { voId: string }) {
  const vo = useVo(voId);
  return (
    <QueryView query={vo} label="VO" notFound="VO">
      {(v) => <VoView vo={v} />}
    </QueryView>
  );
}

function VoView({ vo }: { vo: VoDetail }) {
  return (
    <>
      <PageHeader
        title={vo.name}
        crumbs={[{ label: 'VOs', to: '/registry/vos' }]}
        subtitle={dash(vo.description)}
        actions={
          vo.abilities.includes('vo:write') && (
            <Link className="btn" to={`/registry/vos/${vo.voId}/edit`}>
              Edit VO
            </Link>
          )
        }
      />
      <section className="panel" aria-labelledby="vo-fields">
        <h2 id="vo-fields">Details</h2>
        <FieldList
          items={[
            ['Security e-mail', <MailLink email={vo.securityEmail} />],
            [
              'Home page',
              vo.homepageUrl ? (
                <a href={vo.homepageUrl} target="_blank" rel="noreferrer noopener">
                  {vo.homepageUrl}
                </a>
              ) : (
                '—'
              ),
            ],
            ['VO id', <span className="mono">{vo.voId}</span>],
            ['Updated', formatTime(vo.updatedAt)],
          ]}
        />
      </section>
      <section className="panel" aria-labelledby="vo-contacts">
        <h2 id="vo-contacts">Managers, endorsers and other contacts</h2>
        <ContactsTable contacts={vo.contacts} of={vo.name} />
      </section>
      <AuditHistory objectType="vo" objectId={vo.voId} label={vo.name} />
    </>
  );
}

export function VoEditPage({ voId }: { voId: string }) {
  const vo = useVo(voId);
  return (
    <QueryView query={vo} label="VO" notFound="VO">
      {(v) => <VoForm vo={v} />}
    </QueryView>
  );
}

export function VoForm({ vo }: { vo?: Vo }) {
  const initial = { name: str(vo?.name), description: str(vo?.description), securityEmail: str(vo?.securityEmail), homepageUrl: str(vo?.homepageUrl) };
  const form = useFormValues(initial);
  const save = useSaveVo();
  const errors = fieldErrors(save.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = bodyOf(form.values, ['description', 'securityEmail', 'homepageUrl'], vo ? initial : undefined);
    if (vo && Object.keys(body).length === 0) return navigate(`/registry/vos/${vo.voId}`);
    save.mutate({ id: vo?.voId, body }, { onSuccess: (saved) => navigate(`/registry/vos/${saved.voId}`) });
  };
  return (
    <>
      <PageHeader title={vo ? `Edit ${vo.name}` : 'Register a VO'} crumbs={[{ label: 'VOs', to: '/registry/vos' }]} />
      <form className="panel form-grid" onSubmit={submit} noValidate>
        <TextField label="Name" required className="mono" {...form.text('name')} error={errors.name} placeholder="vo.example.org" />
        <TextField label="Security e-mail" type="email" {...form.text('securityEmail')} error={errors.securityEmail} />
        <TextField label="Home page URL" type="url" {...form.text('homepageUrl')} error={errors.homepageUrl} />
        <TextArea label="Description" {...form.text('description')} error={errors.description} />
        <FormError error={save.error} />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={save.isPending}>
            {vo ? 'Save changes' : 'Register VO'}
          </button>
          <button type="button" className="btn" onClick={() => history.back()}>
            Cancel
          </button>
        </div>
      </form>
    </>
  );
}
