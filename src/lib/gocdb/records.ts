// Turns one record tree (a child of `<results>`) into GOCDB entities. Element names follow the
// PI renderers (GOCDB PI documentation); every element is optional because GOCDB omits empty ones.
import { canonicalKey, certificationStatus, clean, cleanEmail, countryFields, parseFlag, productionFlag, scopeList } from './normalize.js';
import type { GocdbContact, GocdbEndpoint, GocdbNgi, GocdbSite } from './types.js';
import type { XmlNode } from './xml-reader.js';

/** Where record readers put what they find. */
export interface RecordOut {
  ngi(ngi: GocdbNgi): void;
  site(site: GocdbSite): void;
  endpoint(endpoint: GocdbEndpoint): void;
  contact(contact: GocdbContact): void;
  skip(element: string, reason: string): void;
  warn(message: string): void;
  meta(meta: { nextCursor?: string; count?: number; maxPageSize?: number }): void;
}

/** Children of `<results>` this parser understands; anything else is counted as ignored. */
export const RECORD_ELEMENTS: ReadonlySet<string> = new Set(['NGI', 'ROC', 'SITE', 'SERVICE_ENDPOINT', 'EGEE_USER', 'meta']);

// A get_site_contacts SITE carries only these; a get_site SITE carries much more.
const SITE_CONTACTS_CHILDREN = new Set(['PRIMARY_KEY', 'SHORT_NAME', 'CONTACT']);

const child = (n: XmlNode, name: string) => n.children.find((c) => c.name === name);
const text = (n: XmlNode, name: string) => clean(child(n, name)?.text);
const attr = (n: XmlNode, name: string) => clean(n.attrs[name]);
const at = (n: XmlNode) => `line ${n.line}`;

/** Copies without undefined members, so that records compare and merge cleanly. */
export function compact<T extends object>(value: T): T {
  const out: Partial<T> = {};
  for (const k in value) if (value[k] !== undefined) out[k] = value[k];
  return out as T;
}

function scopesOf(n: XmlNode): string[] {
  const direct = n.children.filter((c) => c.name === 'SCOPE');
  const nested = n.children.filter((c) => c.name === 'SCOPES').flatMap((s) => s.children.filter((c) => c.name === 'SCOPE'));
  return scopeList([...direct, ...nested].map((s) => s.text));
}

function flagOf(n: XmlNode, name: string, what: string, out: RecordOut): boolean | undefined {
  const raw = text(n, name);
  const value = parseFlag(raw);
  if (raw !== undefined && value === undefined) out.warn(`${what}: unrecognised ${name} value "${raw}"`);
  return value;
}

function readContact(n: XmlNode, entity: Pick<GocdbContact, 'entityType' | 'entityKey' | 'entityName'>, out: RecordOut): void {
  const roleName = text(n, 'ROLE_NAME');
  const contact = compact<GocdbContact>({
    ...entity,
    userKey: canonicalKey(attr(n, 'USER_ID') ?? attr(n, 'PRIMARY_KEY')),
    forename: text(n, 'FORENAME'),
    surname: text(n, 'SURNAME'),
    email: cleanEmail(text(n, 'EMAIL')),
    certDn: text(n, 'CERTDN'),
    checkinSubject: text(n, 'EGICHECKIN'),
    roleName: roleName ?? '',
  });
  if (!roleName) return out.skip('CONTACT', `contact on ${entity.entityName} has no ROLE_NAME (${at(n)})`);
  if (!contact.userKey && !contact.email && !contact.certDn) {
    return out.skip('CONTACT', `contact on ${entity.entityName} has no USER_ID, EMAIL or CERTDN (${at(n)})`);
  }
  out.contact(contact);
}

function readSite(n: XmlNode, out: RecordOut): void {
  const key = canonicalKey(text(n, 'PRIMARY_KEY') ?? attr(n, 'PRIMARY_KEY') ?? attr(n, 'ID'));
  // SHORT_NAME is the site's name everywhere else; the older dialect put the long name in NAME.
  const name = text(n, 'SHORT_NAME') ?? attr(n, 'NAME');
  if (!name) return out.skip('SITE', `no SHORT_NAME or NAME (${at(n)})`);
  for (const c of n.children) if (c.name === 'CONTACT') readContact(c, { entityType: 'site', entityKey: key, entityName: name }, out);
  // get_site_contacts: the SITE only frames contacts and must not blank out site fields.
  if (n.children.length > 0 && n.children.every((c) => SITE_CONTACTS_CHILDREN.has(c.name))) return;
  if (!key) return out.skip('SITE', `site ${name} has no PRIMARY_KEY or ID (${at(n)})`);

  const certRaw = text(n, 'CERTIFICATION_STATUS');
  const cert = certificationStatus(certRaw);
  if (certRaw && !cert) out.warn(`site ${name}: unknown CERTIFICATION_STATUS "${certRaw}"`);
  const prodRaw = text(n, 'PRODUCTION_INFRASTRUCTURE');
  const isProduction = productionFlag(prodRaw);
  if (prodRaw && isProduction === undefined) out.warn(`site ${name}: unknown PRODUCTION_INFRASTRUCTURE "${prodRaw}"`);
  const codes = countryFields(text(n, 'COUNTRY_CODE') ?? attr(n, 'COUNTRY_CODE'));

  out.site(
    compact<GocdbSite>({
      key,
      name,
      officialName: text(n, 'OFFICIAL_NAME'),
      description: text(n, 'SITE_DESCRIPTION'),
      ngiName: text(n, 'ROC') ?? attr(n, 'ROC'),
      countryCode: codes.countryCode,
      country: text(n, 'COUNTRY') ?? attr(n, 'COUNTRY') ?? codes.country,
      certificationStatus: cert,
      certificationStatusRaw: cert ? undefined : certRaw,
      isProduction,
      contactEmail: cleanEmail(text(n, 'CONTACT_EMAIL')),
      csirtEmail: cleanEmail(text(n, 'CSIRT_EMAIL')),
      notifications: flagOf(n, 'NOTIFICATIONS', `site ${name}`, out),
      homeUrl: text(n, 'HOME_URL'),
      timezone: text(n, 'TIMEZONE'),
      tier: text(n, 'TIER'),
      scopes: scopesOf(n),
    }),
  );
}

function readEndpoint(n: XmlNode, out: RecordOut): void {
  const key = canonicalKey(text(n, 'PRIMARY_KEY') ?? attr(n, 'PRIMARY_KEY'));
  const hostname = text(n, 'HOSTNAME')?.toLowerCase();
  const serviceType = text(n, 'SERVICE_TYPE');
  const siteName = text(n, 'SITENAME');
  const missing = [
    ['PRIMARY_KEY', key],
    ['HOSTNAME', hostname],
    ['SERVICE_TYPE', serviceType],
    ['SITENAME', siteName],
  ]
    .filter(([, v]) => !v)
    .map(([k]) => k);
  if (!key || !hostname || !serviceType || !siteName) {
    return out.skip('SERVICE_ENDPOINT', `${hostname ?? key ?? 'endpoint'} has no ${missing.join(', ')} (${at(n)})`);
  }
  const what = `endpoint ${hostname} ${serviceType}`;
  // GOCDB always renders these two; if absent, assume the conservative "not production, not monitored".
  const isInProduction = flagOf(n, 'IN_PRODUCTION', what, out);
  const isMonitored = flagOf(n, 'NODE_MONITORED', what, out);
  if (isInProduction === undefined || isMonitored === undefined) out.warn(`${what}: IN_PRODUCTION or NODE_MONITORED missing, taken as N`);
  out.endpoint(
    compact<GocdbEndpoint>({
      key,
      hostname,
      serviceType,
      url: text(n, 'URL'),
      siteName,
      isInProduction: isInProduction ?? false,
      isMonitored: isMonitored ?? false,
      isBeta: flagOf(n, 'BETA', what, out),
      notifications: flagOf(n, 'NOTIFICATIONS', what, out),
      hostDn: text(n, 'HOSTDN'),
      hostOs: text(n, 'HOST_OS'),
      hostArch: text(n, 'HOST_ARCH'),
      scopes: scopesOf(n),
    }),
  );
}

function readNgi(n: XmlNode, out: RecordOut): void {
  const key = canonicalKey(text(n, 'PRIMARY_KEY') ?? attr(n, 'PRIMARY_KEY') ?? attr(n, 'ID'));
  const name = text(n, 'NAME') ?? attr(n, 'NAME');
  if (!key || !name) return out.skip('NGI', `${name ?? 'NGI'} has no ${key ? 'NAME' : 'PRIMARY_KEY or ID'} (${at(n)})`);
  out.ngi(
    compact<GocdbNgi>({
      key,
      name,
      description: text(n, 'DESCRIPTION'),
      email: cleanEmail(text(n, 'EMAIL')),
      securityEmail: cleanEmail(text(n, 'SECURITY_EMAIL')),
      rodEmail: cleanEmail(text(n, 'ROD_EMAIL')),
      helpdeskEmail: cleanEmail(text(n, 'HELPDESK_EMAIL')),
    }),
  );
}

/** `get_roc_list` (attributes only) gives an NGI; `get_roc_contacts` (children) gives contacts. */
function readRoc(n: XmlNode, out: RecordOut): void {
  const key = canonicalKey(attr(n, 'PRIMARY_KEY') ?? attr(n, 'ID'));
  const name = attr(n, 'ROC_NAME') ?? text(n, 'ROCNAME') ?? attr(n, 'NAME');
  if (!name) return out.skip('ROC', `no ROC_NAME (${at(n)})`);
  if (n.children.length > 0) {
    for (const c of n.children) if (c.name === 'CONTACT') readContact(c, { entityType: 'ngi', entityKey: key, entityName: name }, out);
    return;
  }
  if (!key) return out.skip('ROC', `NGI ${name} has no PRIMARY_KEY or ID (${at(n)})`);
  out.ngi({ key, name });
}

/** `get_user`: each USER_ROLE on a site or an NGI becomes a contact. */
function readUser(n: XmlNode, out: RecordOut): void {
  const person = {
    userKey: canonicalKey(text(n, 'PRIMARY_KEY') ?? attr(n, 'PRIMARY_KEY') ?? attr(n, 'ID')),
    forename: text(n, 'FORENAME'),
    surname: text(n, 'SURNAME'),
    email: cleanEmail(text(n, 'EMAIL')),
    certDn: text(n, 'CERTDN'),
    checkinSubject: text(n, 'EGICHECKIN'),
  };
  const who = [person.forename, person.surname].filter(Boolean).join(' ') || person.userKey || 'user';
  if (!person.userKey && !person.email && !person.certDn) {
    return out.skip('EGEE_USER', `${who} has no PRIMARY_KEY, EMAIL or CERTDN (${at(n)})`);
  }
  for (const role of n.children.filter((c) => c.name === 'USER_ROLE')) {
    const roleName = text(role, 'USER_ROLE');
    const entityName = text(role, 'ON_ENTITY');
    const type = text(role, 'ENTITY_TYPE')?.toLowerCase();
    if (!roleName || !entityName) {
      out.skip('USER_ROLE', `role of ${who} has no USER_ROLE or ON_ENTITY (${at(role)})`);
    } else if (type !== 'site' && type !== 'ngi') {
      out.skip('USER_ROLE', `${roleName} of ${who} on ${type ?? 'unknown'} ${entityName} is not a site or NGI role`);
    } else {
      // In get_user the role's PRIMARY_KEY is that of the entity it is held on.
      out.contact(compact<GocdbContact>({ entityType: type, entityKey: canonicalKey(text(role, 'PRIMARY_KEY')), entityName, ...person, roleName }));
    }
  }
}

function cursorOf(href: string | undefined): string | undefined {
  if (!href) return undefined;
  try {
    return clean(new URL(href, 'https://gocdb.invalid/').searchParams.get('next_cursor') ?? undefined);
  } catch {
    return undefined;
  }
}

function readMeta(n: XmlNode, out: RecordOut): void {
  const integer = (name: string) => {
    const raw = text(n, name);
    if (raw === undefined) return undefined;
    if (/^\d{1,9}$/.test(raw)) return Number(raw);
    out.warn(`meta: ${name} "${raw}" is not a count`);
    return undefined;
  };
  const next = n.children.find((c) => c.name === 'link' && c.attrs.rel === 'next');
  out.meta(compact({ nextCursor: cursorOf(next?.attrs.href), count: integer('count'), maxPageSize: integer('max_page_size') }));
}

/** Reads one child of `<results>`; `node.name` must be in RECORD_ELEMENTS. */
export function readRecord(node: XmlNode, out: RecordOut): void {
  switch (node.name) {
    case 'SITE':
      return readSite(node, out);
    case 'SERVICE_ENDPOINT':
      return readEndpoint(node, out);
    case 'NGI':
      return readNgi(node, out);
    case 'ROC':
      return readRoc(node, out);
    case 'EGEE_USER':
      return readUser(node, out);
    case 'meta':
      return readMeta(node, out);
  }
}
