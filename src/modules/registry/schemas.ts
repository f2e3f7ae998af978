// Wire shapes of the registry API; OpenAPI is generated from these.
import { Type } from '@sinclair/typebox';
import { Email, Id, Name, Nullable, Text, Timestamp, Url } from '../../server/schema-helpers.js';
import { ROLES } from '../../core/roles.js';
import { CERTIFICATION_STATUSES } from './rules.js';

const Stamps = { createdAt: Timestamp, updatedAt: Timestamp };
const CertStatus = Type.Union(CERTIFICATION_STATUSES.map((s) => Type.Literal(s)));
const Hostname = Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.-]+$' });
const Dn = Type.String({ minLength: 3, maxLength: 1000, pattern: '^/' });

export const RoleAssignment = Type.Object(
  {
    roleAssignmentId: Id,
    personId: Id,
    personName: Type.String(),
    personEmail: Nullable(Type.String()),
    role: Type.String(),
    scopeType: Type.String(),
    scopeId: Type.String(),
    scopeName: Nullable(Type.String()),
    source: Type.String(),
    createdAt: Timestamp,
  },
  { $id: 'RoleAssignment' },
);

export const Ngi = Type.Object(
  {
    ngiId: Id,
    gocdbKey: Nullable(Type.String()),
    name: Type.String(),
    description: Nullable(Type.String()),
    email: Nullable(Type.String()),
    securityEmail: Nullable(Type.String()),
    siteCount: Type.Optional(Type.Integer()),
    removedAt: Nullable(Timestamp),
    ...Stamps,
  },
  { $id: 'Ngi' },
);
/** What the reader may do on the object, as the server decided it (the web offers only these). */
export const Abilities = Type.Array(Type.String(), { description: 'permissions the reader holds on this object' });
export const NgiDetail = Type.Composite([Ngi, Type.Object({ contacts: Type.Array(Type.Ref('RoleAssignment')), abilities: Abilities })]);
export const NgiInput = Type.Object(
  { name: Name, description: Type.Optional(Nullable(Text)), email: Type.Optional(Nullable(Email)), securityEmail: Type.Optional(Nullable(Email)) },
  { additionalProperties: false },
);

export const Site = Type.Object(
  {
    siteId: Id,
    gocdbKey: Nullable(Type.String()),
    name: Type.String(),
    officialName: Nullable(Type.String()),
    description: Nullable(Type.String()),
    ngiId: Id,
    ngiName: Type.String(),
    countryCode: Nullable(Type.String()),
    country: Nullable(Type.String()),
    certificationStatus: Type.String(),
    isProduction: Type.Boolean(),
    securityEmail: Nullable(Type.String()),
    contactEmail: Nullable(Type.String()),
    isNotified: Type.Boolean(),
    homeUrl: Nullable(Type.String()),
    timezone: Nullable(Type.String()),
    removedAt: Nullable(Timestamp),
    ...Stamps,
  },
  { $id: 'Site' },
);
export const Endpoint = Type.Object(
  {
    endpointId: Id,
    gocdbKey: Nullable(Type.String()),
    siteId: Id,
    siteName: Type.String(),
    hostname: Type.String(),
    serviceType: Type.String(),
    url: Nullable(Type.String()),
    isInProduction: Type.Boolean(),
    isMonitored: Type.Boolean(),
    hostDn: Nullable(Type.String()),
    ...Stamps,
  },
  { $id: 'Endpoint' },
);
export const SiteDetail = Type.Composite([
  Site,
  Type.Object({ endpoints: Type.Array(Type.Ref('Endpoint')), contacts: Type.Array(Type.Ref('RoleAssignment')), abilities: Abilities }),
]);
const siteFields = {
  name: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.-]+$' }),
  ngiId: Id,
  officialName: Type.Optional(Nullable(Name)),
  description: Type.Optional(Nullable(Text)),
  countryCode: Type.Optional(Nullable(Type.String({ pattern: '^[A-Z]{2}$' }))),
  country: Type.Optional(Nullable(Name)),
  certificationStatus: Type.Optional(CertStatus),
  isProduction: Type.Optional(Type.Boolean()),
  securityEmail: Type.Optional(Nullable(Email)),
  contactEmail: Type.Optional(Nullable(Email)),
  isNotified: Type.Optional(Type.Boolean()),
  homeUrl: Type.Optional(Nullable(Url)),
  timezone: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
};
export const SiteInput = Type.Object(siteFields, { additionalProperties: false });
export const SitePatch = Type.Partial(Type.Object(siteFields), { additionalProperties: false, minProperties: 1 });
export const SiteFilter = Type.Object({
  ngiId: Type.Optional(Id),
  certificationStatus: Type.Optional(CertStatus),
  isProduction: Type.Optional(Type.Boolean()),
  includeRemoved: Type.Optional(Type.Boolean()),
});

const endpointFields = {
  hostname: Hostname,
  serviceType: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.-]+$' }),
  url: Type.Optional(Nullable(Url)),
  isInProduction: Type.Optional(Type.Boolean()),
  isMonitored: Type.Optional(Type.Boolean()),
  hostDn: Type.Optional(Nullable(Dn)),
};
export const EndpointInput = Type.Object({ siteId: Id, ...endpointFields }, { additionalProperties: false });
export const EndpointPatch = Type.Partial(Type.Object(endpointFields), { additionalProperties: false, minProperties: 1 });

export const Vo = Type.Object(
  {
    voId: Id,
    name: Type.String(),
    description: Nullable(Type.String()),
    securityEmail: Nullable(Type.String()),
    homepageUrl: Nullable(Type.String()),
    ...Stamps,
  },
  { $id: 'Vo' },
);
export const VoDetail = Type.Composite([Vo, Type.Object({ contacts: Type.Array(Type.Ref('RoleAssignment')), abilities: Abilities })]);
const voFields = {
  name: Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_.-]+$' }),
  description: Type.Optional(Nullable(Text)),
  securityEmail: Type.Optional(Nullable(Email)),
  homepageUrl: Type.Optional(Nullable(Url)),
};
export const VoInput = Type.Object(voFields, { additionalProperties: false });
export const VoPatch = Type.Partial(Type.Object(voFields), { additionalProperties: false, minProperties: 1 });

export const Person = Type.Object(
  {
    personId: Id,
    gocdbKey: Nullable(Type.String()),
    name: Type.String(),
    email: Nullable(Type.String()),
    dn: Nullable(Type.String()),
    checkinSubject: Nullable(Type.String()),
    identityVerified: Type.Boolean({
      description: 'DN, Check-in subject and e-mail set by a federation administrator or the GOCDB import; false: the e-mail is an unverified contact address',
    }),
    hasAccount: Type.Optional(Type.Boolean()),
    ...Stamps,
  },
  { $id: 'Person' },
);
export const PersonDetail = Type.Composite([Person, Type.Object({ roles: Type.Array(Type.Ref('RoleAssignment')) })]);
const RoleName = Type.Union(ROLES.map((r) => Type.Literal(r)));
const ScopeType = Type.Union(['federation', 'ngi', 'site', 'vo'].map((s) => Type.Literal(s)));
const personFields = {
  name: Name,
  email: Type.Optional(Nullable(Email)),
  dn: Type.Optional(Nullable(Dn)),
  checkinSubject: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
};
export const GrantInput = Type.Object({ personId: Id, role: RoleName, scopeType: ScopeType, scopeId: Type.Optional(Id) }, { additionalProperties: false });
export const PersonInput = Type.Object({ ...personFields, grant: Type.Optional(Type.Omit(GrantInput, ['personId'])) }, { additionalProperties: false });
export const PersonPatch = Type.Partial(Type.Object({ ...personFields, identityVerified: Type.Boolean() }), { additionalProperties: false, minProperties: 1 });
export const PeopleFilter = Type.Object({ role: Type.Optional(RoleName), scopeId: Type.Optional(Id) });
export const RoleFilter = Type.Object({
  personId: Type.Optional(Id),
  scopeType: Type.Optional(ScopeType),
  scopeId: Type.Optional(Id),
  role: Type.Optional(RoleName),
});

const Counts = Type.Object({ ngis: Type.Integer(), sites: Type.Integer(), endpoints: Type.Integer(), people: Type.Integer(), roles: Type.Integer() });
export const ImportSummary = Type.Object(
  {
    dryRun: Type.Boolean(),
    added: Counts,
    changed: Counts,
    removed: Counts,
    unchanged: Counts,
    /** What is (or would be) removed, by name: the first 500; `removed` has the counts. */
    removals: Type.Array(
      Type.Object({
        kind: Type.Union([Type.Literal('sites'), Type.Literal('endpoints'), Type.Literal('roles')]),
        name: Type.String(),
        scope: Type.Optional(Type.String()),
      }),
    ),
    skipped: Type.Array(Type.Object({ element: Type.String(), reason: Type.String() })),
    warnings: Type.Array(Type.String()),
  },
  { $id: 'ImportSummary' },
);
