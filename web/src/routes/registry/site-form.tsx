// Create or edit a site.
import type { FormEvent } from 'react';
import { navigate } from '../../lib/router';
import { CERTIFICATION_STATUSES, type Site } from '../../lib/types';
import { PageHeader } from '../../components/page';
import { CheckboxField, FormError, SelectField, TextArea, TextField, fieldErrors } from '../../components/form';
import { QueryView } from '../../components/states';
import { bodyOf, str, useFormValues, type Values } from './form-state';
import { useAllNgis, useSaveSite, useSite } from './hooks';

const OPTIONAL = ['officialName', 'description', 'countryCode', 'country', 'securityEmail', 'contactEmail', 'homeUrl', 'timezone'];

function initialOf(site?: Site): Values {
  return {
    name: str(site?.name),
    ngiId: str(site?.ngiId),
    officialName: str(site?.officialName),
    description: str(site?.description),
    countryCode: str(site?.countryCode),
    country: str(site?.country),
    certificationStatus: site?.certificationStatus ?? 'candidate',
    isProduction: site?.isProduction ?? true,
    securityEmail: str(site?.securityEmail),
    contactEmail: str(site?.contactEmail),
    isNotified: site?.isNotified ?? true,
    homeUrl: str(site?.homeUrl),
    timezone: str(site?.timezone),
  };
}

export function SiteEditPage({ siteId }: { siteId: string }) {
  const site = useSite(siteId);
  return (
    <QueryView query={site} label="site" notFound="site">
      {(s) => <SiteForm site={s} />}
    </QueryView>
  );
}

export function SiteForm({ site }: { site?: Site }) {
  const initial = initialOf(site);
  const form = useFormValues(initial);
  const save = useSaveSite();
  const ngis = useAllNgis();
  const errors = fieldErrors(save.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = bodyOf(form.values, OPTIONAL, site ? initial : undefined);
    if (site && Object.keys(body).length === 0) return navigate(`/registry/sites/${site.siteId}`);
    save.mutate({ id: site?.siteId, body }, { onSuccess: (saved) => navigate(`/registry/sites/${saved.siteId}`) });
  };
  const title = site ? `Edit ${site.name}` : 'New site';
  return (
    <>
      <PageHeader
        title={title}
        crumbs={[{ label: 'Sites', to: '/registry/sites' }, ...(site ? [{ label: site.name, to: `/registry/sites/${site.siteId}` }] : [])]}
      />
      <form className="panel form-grid" onSubmit={submit} noValidate>
        <TextField
          label="Short name"
          required
          className="mono"
          autoComplete="off"
          {...form.text('name')}
          error={errors.name}
          hint="GOCDB short name: letters, digits, _ . -"
        />
        <SelectField label="NGI" required {...form.text('ngiId')} error={errors.ngiId}>
          <option value="">Choose an NGI</option>
          {ngis.data?.items.map((n) => (
            <option key={n.ngiId} value={n.ngiId}>
              {n.name}
            </option>
          ))}
        </SelectField>
        <TextField label="Official name" {...form.text('officialName')} error={errors.officialName} />
        <SelectField label="Certification status" {...form.text('certificationStatus')} error={errors.certificationStatus}>
          {CERTIFICATION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Country code"
          className="mono"
          maxLength={2}
          {...form.text('countryCode')}
          error={errors.countryCode}
          hint="Two capital letters, e.g. NO"
        />
        <TextField label="Country" {...form.text('country')} error={errors.country} />
        <TextField label="Security e-mail" type="email" {...form.text('securityEmail')} error={errors.securityEmail} />
        <TextField label="Contact e-mail" type="email" {...form.text('contactEmail')} error={errors.contactEmail} />
        <TextField label="Home page URL" type="url" {...form.text('homeUrl')} error={errors.homeUrl} />
        <TextField label="Time zone" {...form.text('timezone')} error={errors.timezone} placeholder="Europe/Oslo" />
        <CheckboxField label="Production infrastructure" {...form.check('isProduction')} />
        <CheckboxField label="Notify contacts by e-mail" {...form.check('isNotified')} />
        <TextArea label="Description" {...form.text('description')} error={errors.description} />
        <FormError error={save.error} />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={save.isPending}>
            {site ? 'Save changes' : 'Create site'}
          </button>
          <button type="button" className="btn" onClick={() => history.back()}>
            Cancel
          </button>
        </div>
      </form>
    </>
  );
}
