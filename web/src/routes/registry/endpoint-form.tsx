// Add a service endpoint to a site, or edit one (found through its site's detail).
import type { FormEvent } from 'react';
import { navigate, useLocation } from '../../lib/router';
import type { Endpoint, SiteDetail } from '../../lib/types';
import { PageHeader } from '../../components/page';
import { CheckboxField, FormError, TextField, fieldErrors } from '../../components/form';
import { NotFound, QueryView } from '../../components/states';
import { bodyOf, str, useFormValues } from './form-state';
import { useSaveEndpoint, useSite } from './hooks';

const OPTIONAL = ['url', 'hostDn'];

export function EndpointNewPage() {
  const siteId = useLocation().search.get('siteId') ?? '';
  const site = useSite(siteId);
  if (!siteId) return <NotFound what="site" detail="Add endpoints from a site's page." />;
  return (
    <QueryView query={site} label="site" notFound="site">
      {(s) => <EndpointForm site={s} />}
    </QueryView>
  );
}

export function EndpointEditPage({ siteId, endpointId }: { siteId: string; endpointId: string }) {
  const site = useSite(siteId);
  return (
    <QueryView query={site} label="site" notFound="site">
      {(s) => {
        const endpoint = s.endpoints.find((e) => e.endpointId === endpointId);
        return endpoint ? <EndpointForm site={s} endpoint={endpoint} /> : <NotFound what="service endpoint" />;
      }}
    </QueryView>
  );
}

function EndpointForm({ site, endpoint }: { site: SiteDetail; endpoint?: Endpoint }) {
  const initial = {
    hostname: str(endpoint?.hostname),
    serviceType: str(endpoint?.serviceType),
    url: str(endpoint?.url),
    hostDn: str(endpoint?.hostDn),
    isInProduction: endpoint?.isInProduction ?? true,
    isMonitored: endpoint?.isMonitored ?? true,
  };
  const form = useFormValues(initial);
  const save = useSaveEndpoint();
  const errors = fieldErrors(save.error);
  const back = `/registry/sites/${site.siteId}`;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = bodyOf(form.values, OPTIONAL, endpoint ? initial : undefined);
    if (endpoint && Object.keys(body).length === 0) return navigate(back);
    save.mutate({ id: endpoint?.endpointId, body: endpoint ? body : { siteId: site.siteId, ...body } }, { onSuccess: () => navigate(back) });
  };
  return (
    <>
      <PageHeader
        title={endpoint ? `Edit endpoint ${endpoint.hostname}` : `Add a service endpoint to ${site.name}`}
        crumbs={[
          { label: 'Sites', to: '/registry/sites' },
          { label: site.name, to: back },
        ]}
      />
      <form className="panel form-grid" onSubmit={submit} noValidate>
        <TextField label="Host name" required className="mono" {...form.text('hostname')} error={errors.hostname} />
        <TextField label="Service type" required className="mono" {...form.text('serviceType')} error={errors.serviceType} placeholder="e.g. ARC-CE" />
        <TextField label="URL" type="url" className="mono" {...form.text('url')} error={errors.url} />
        <TextField label="Host certificate DN" className="mono" {...form.text('hostDn')} error={errors.hostDn} placeholder="/DC=org/…/CN=host.example.org" />
        <CheckboxField label="In production" {...form.check('isInProduction')} />
        <CheckboxField label="Monitored" {...form.check('isMonitored')} />
        <FormError error={save.error} />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={save.isPending}>
            {endpoint ? 'Save changes' : 'Add endpoint'}
          </button>
          <button type="button" className="btn" onClick={() => navigate(back)}>
            Cancel
          </button>
        </div>
      </form>
    </>
  );
}
