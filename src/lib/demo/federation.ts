// A deterministic demo federation as plain data: every person, site and VO is fictional, every
// address is on an example domain. Used to seed a demo instance and in tests that need a
// realistic registry with every role held somewhere.
import type { Role } from '../../core/roles.js';
import type { GocdbEndpoint, GocdbNgi, GocdbSite } from '../gocdb/types.js';

/** A virtual organisation, as its Operations Portal ID card would describe it. */
export interface DemoVo {
  name: string;
  description: string;
  homeUrl: string;
  /** The ID card's MailingList/Security: a list, not a person (Operations Portal VO ID card). */
  securityEmail: string;
  status: 'Production' | 'Pending';
}

export interface DemoPerson {
  key: string;
  forename: string;
  surname: string;
  email: string;
  certDn: string;
  /** EGI Check-in `voperson_id`, for those who have one. */
  checkinSubject?: string;
}

export type DemoScope = { type: 'federation' } | { type: 'ngi'; name: string } | { type: 'site'; name: string } | { type: 'vo'; name: string };

export interface DemoRoleAssignment {
  personKey: string;
  role: Role;
  scope: DemoScope;
}

/** A sign-in account of the demo: its holder holds this one role and no other, so a browser
 *  test signed in as `csirt` proves what the CSIRT role may do, not what an administrator may. */
export interface DemoAccount extends DemoRoleAssignment {
  username: string;
}

export interface DemoFederation {
  name: string;
  ngis: GocdbNgi[];
  sites: GocdbSite[];
  endpoints: GocdbEndpoint[];
  vos: DemoVo[];
  people: DemoPerson[];
  roles: DemoRoleAssignment[];
  /** One account per role but federation-admin, whose account (`admin`) the seed makes apart. */
  accounts: DemoAccount[];
}

const NGIS = [
  {
    name: 'NGI_NORDICA',
    domain: 'nordica.example.net',
    prefix: 'NOR',
    countries: [
      ['NO', 'Norway', 'Europe/Oslo'],
      ['SE', 'Sweden', 'Europe/Stockholm'],
      ['FI', 'Finland', 'Europe/Helsinki'],
    ],
  },
  {
    name: 'NGI_ALPINA',
    domain: 'alpina.example.org',
    prefix: 'ALP',
    countries: [
      ['CH', 'Switzerland', 'Europe/Zurich'],
      ['AT', 'Austria', 'Europe/Vienna'],
    ],
  },
  {
    name: 'NGI_IBERICA',
    domain: 'iberica.example.org',
    prefix: 'IBE',
    countries: [
      ['ES', 'Spain', 'Europe/Madrid'],
      ['PT', 'Portugal', 'Europe/Lisbon'],
    ],
  },
  {
    name: 'NGI_DANUBIA',
    domain: 'danubia.example.net',
    prefix: 'DAN',
    countries: [
      ['HU', 'Hungary', 'Europe/Budapest'],
      ['SK', 'Slovakia', 'Europe/Bratislava'],
      ['RO', 'Romania', 'Europe/Bucharest'],
    ],
  },
] as const;

const SITE_STEMS = [
  'TROMSO-GRID',
  'UPPSALA-CLOUD',
  'OULU-TEST',
  'BERGEN-HPC',
  'LUND-T2',
  'TURKU-CE',
  'UMEA-LAB',
  'TRONDHEIM-CLOUD',
  'UNIBERN-HPC',
  'INNSBRUCK-CE',
  'LUGANO-OLD',
  'GRAZ-T2',
  'BASEL-CLOUD',
  'LINZ-GRID',
  'CHUR-TEST',
  'MESETA-CLOUD',
  'PORTO-GRID',
  'VALENCIA-HPC',
  'COIMBRA-T2',
  'SEVILLA-CE',
  'BRAGA-LAB',
  'ZARAGOZA-TEST',
  'BUDA-GRID',
  'KOSICE-T2',
  'CLUJ-CLOUD',
  'SZEGED-HPC',
  'IASI-CE',
  'NITRA-LAB',
  'DEBRECEN-TEST',
  'TIMIS-GRID',
];
// Index in SITE_STEMS of the first site of each NGI (8 + 7 + 7 + 8 = 30 sites).
const NGI_FIRST_SITE = [0, 8, 15, 22, 30];

const SERVICE_SETS = {
  grid: ['ARC-CE', 'Site-BDII', 'APEL', 'emi.ARGUS'],
  cloud: ['org.openstack.nova', 'org.openstack.keystone', 'eu.egi.cloud.accounting', 'eu.egi.cloud.information.bdii'],
  storage: ['webdav', 'Site-BDII', 'eu.egi.storage.accounting', 'ARC-CE'],
} as const;

const VOS: readonly [string, string][] = [
  ['biomed-sim.example.org', 'Biomedical simulation on grid and cloud'],
  ['climate-ens.example.org', 'Climate model ensembles'],
  ['astro-survey.example.net', 'Sky survey image processing'],
  ['neuro-img.example.org', 'Neuro-imaging pipelines'],
  ['hep-training.example.net', 'Particle physics training and tutorials'],
  ['fedcloud-demo.example.org', 'Federated cloud demonstrations'],
];

const FORENAMES = [
  'Ingrid',
  'Erik',
  'Aino',
  'Mikael',
  'Livia',
  'Matthias',
  'Chiara',
  'Lukas',
  'Nina',
  'Sanna',
  'Jonas',
  'Freya',
  'Katharina',
  'Florian',
  'Giulia',
  'Oskar',
  'Astrid',
  'Pablo',
  'Marta',
  'Tomas',
  'Eva',
  'Joana',
  'Andrei',
  'Zsofia',
  'Milan',
  'Ioana',
  'Bence',
  'Lucia',
  'Henrik',
  'Elin',
  'Rui',
  'Ines',
  'Sebastian',
  'Teresa',
  'Mateo',
  'Petra',
  'Viktor',
  'Alba',
  'Nils',
  'Greta',
  'Kari',
  'Ola',
  'Sofia',
  'Emil',
];
const SURNAMES = [
  'Solberg',
  'Haugen',
  'Virtanen',
  'Lindqvist',
  'Brunner',
  'Gruber',
  'Bernasconi',
  'Hofer',
  'Steiner',
  'Koskinen',
  'Keller',
  'Nyberg',
  'Moser',
  'Egger',
  'Rossetti',
  'Nilsson',
  'Berg',
  'Ortega',
  'Sousa',
  'Novak',
  'Varga',
  'Ferreira',
  'Popescu',
  'Horvath',
  'Kovac',
  'Ionescu',
  'Toth',
  'Mendes',
  'Dahl',
  'Lund',
  'Carvalho',
  'Ruiz',
  'Wagner',
  'Pereira',
  'Navarro',
  'Hudak',
  'Szabo',
  'Marin',
  'Aalto',
  'Eriksen',
  'Nordmann',
  'Johansen',
  'Lindholm',
  'Strand',
];
/** People 40–43 exist to hold one demo account each; they are Nordica people. */
const FIRST_ACCOUNT_HOLDER = 40;

/** Who signs in as what: people 40–43 hold nothing else; the CSIRT member, the NGI officer and
 *  the federation reader are people 1, 4 and 8, whose only role this is. */
const ACCOUNTS: ReadonlyArray<{ username: string; person: number; role: Role; scope: DemoScope }> = [
  { username: 'csirt', person: 1, role: 'csirt', scope: { type: 'federation' } },
  { username: 'ngi-officer', person: 4, role: 'ngi-security-officer', scope: { type: 'ngi', name: 'NGI_NORDICA' } },
  { username: 'site-officer', person: FIRST_ACCOUNT_HOLDER, role: 'site-security-officer', scope: { type: 'site', name: 'NOR-TROMSO-GRID' } },
  { username: 'site-admin', person: FIRST_ACCOUNT_HOLDER + 1, role: 'site-admin', scope: { type: 'site', name: 'NOR-TROMSO-GRID' } },
  { username: 'vo-manager', person: FIRST_ACCOUNT_HOLDER + 2, role: 'vo-manager', scope: { type: 'vo', name: 'biomed-sim.example.org' } },
  { username: 'vo-endorser', person: FIRST_ACCOUNT_HOLDER + 3, role: 'vo-endorser', scope: { type: 'vo', name: 'biomed-sim.example.org' } },
  { username: 'read-only', person: 8, role: 'read-only', scope: { type: 'federation' } },
];

/** A stable 32-hex-digit opaque id, like a Check-in voperson_id local part. */
function opaqueHex(n: number): string {
  let h = (n + 1) * 2654435761;
  let out = '';
  for (let i = 0; i < 4; i++) {
    h = Math.imul(h ^ (h >>> 13), 1597334677) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out;
}

function buildPeople(): DemoPerson[] {
  return FORENAMES.map((forename, i) => {
    const surname = SURNAMES[i]!;
    const ngi = NGIS[i >= FIRST_ACCOUNT_HOLDER ? 0 : i % NGIS.length]!;
    const domain = i < 4 ? 'csirt.example.org' : ngi.domain;
    return {
      key: `${700 + i}G0`,
      forename,
      surname,
      email: `${forename}.${surname}@${domain}`.toLowerCase(),
      certDn: `/DC=org/DC=example/O=${i < 4 ? 'Federation CSIRT' : ngi.name}/CN=${forename} ${surname}`,
      ...(i % 3 === 0 ? { checkinSubject: `${opaqueHex(i)}@egi.eu` } : {}),
    };
  });
}

function buildSites(): GocdbSite[] {
  return SITE_STEMS.map((stem, i) => {
    const n = NGI_FIRST_SITE.findIndex((first, k) => i >= first && i < NGI_FIRST_SITE[k + 1]!);
    const ngi = NGIS[n]!;
    const [countryCode, country, timezone] = ngi.countries[i % ngi.countries.length]!;
    const name = `${ngi.prefix}-${stem}`;
    const domain = `${stem.toLowerCase()}.example.${i % 2 ? 'net' : 'org'}`;
    const closed = stem.endsWith('-OLD');
    const test = stem.endsWith('-TEST');
    const certificationStatus = closed ? 'closed' : test ? 'candidate' : i % 11 === 4 ? 'suspended' : i % 9 === 5 ? 'uncertified' : 'certified';
    return {
      key: `${100 + i}G0`,
      name,
      officialName: `${stem.split('-')[0]![0]}${stem.split('-')[0]!.slice(1).toLowerCase()} research computing centre`,
      ngiName: ngi.name,
      countryCode,
      country,
      certificationStatus,
      isProduction: !test,
      contactEmail: `grid-admins@${domain}`,
      ...(i % 5 === 3 ? {} : { csirtEmail: `security@${domain}` }),
      notifications: i % 4 !== 2,
      homeUrl: `https://www.${domain}/`,
      timezone,
      ...(stem.endsWith('-T2') ? { tier: '2' } : {}),
      scopes: stem.includes('CLOUD') ? ['EGI', 'FedCloud'] : stem.endsWith('-T2') ? ['EGI', 'wlcg', 'tier2'] : ['EGI'],
    } satisfies GocdbSite;
  });
}

function buildEndpoints(sites: GocdbSite[]): GocdbEndpoint[] {
  return sites.flatMap((site, i) => {
    const set = site.name.includes('CLOUD') ? SERVICE_SETS.cloud : site.name.endsWith('-T2') ? SERVICE_SETS.storage : SERVICE_SETS.grid;
    const domain = new URL(site.homeUrl!).hostname.replace(/^www\./, '');
    return set.map((serviceType, j) => {
      const hostname = `${serviceType
        .toLowerCase()
        .replace(/^.*\./, '')
        .replace(/[^a-z0-9]+/g, '-')}${j + 1}.${domain}`;
      const live = site.certificationStatus !== 'closed' && site.isProduction === true;
      // Argus need not be monitored (EGI service-endpoint rules); everything in production is.
      const monitored = live && serviceType !== 'emi.ARGUS';
      return {
        key: `${5000 + i * 10 + j}G0`,
        hostname,
        serviceType,
        url: `https://${hostname}/`,
        siteName: site.name,
        isInProduction: live,
        isMonitored: monitored,
        isBeta: false,
        notifications: site.notifications === true && j % 2 === 0,
        hostDn: `/DC=org/DC=example/DC=grid/O=Demo Host CA/CN=${hostname}`,
        hostOs: j % 2 ? 'Rocky Linux 9' : 'AlmaLinux 9',
        hostArch: 'x86_64',
        scopes: site.scopes,
      };
    });
  });
}

function buildRoles(people: DemoPerson[], sites: GocdbSite[]): DemoRoleAssignment[] {
  const p = (i: number) => people[i]!.key;
  const roles: DemoRoleAssignment[] = [
    { personKey: p(0), role: 'federation-admin', scope: { type: 'federation' } },
    ...[1, 2, 3].map((i) => ({ personKey: p(i), role: 'csirt' as const, scope: { type: 'federation' as const } })),
    ...NGIS.map((ngi, n) => ({ personKey: p(4 + n), role: 'ngi-security-officer' as const, scope: { type: 'ngi' as const, name: ngi.name } })),
    { personKey: p(8), role: 'read-only', scope: { type: 'federation' } },
    { personKey: p(9), role: 'read-only', scope: { type: 'ngi', name: 'NGI_ALPINA' } },
  ];
  // People 10–39 (30 of them) each secure one site and administer another.
  sites.forEach((site, i) => {
    roles.push({ personKey: p(10 + i), role: 'site-security-officer', scope: { type: 'site', name: site.name } });
    roles.push({ personKey: p(10 + ((i + 7) % 30)), role: 'site-admin', scope: { type: 'site', name: site.name } });
  });
  roles.push({ personKey: p(9), role: 'read-only', scope: { type: 'site', name: sites[3]!.name } });
  VOS.forEach(([vo], v) => {
    roles.push({ personKey: p(12 + v * 4), role: 'vo-manager', scope: { type: 'vo', name: vo } });
    roles.push({ personKey: p(13 + v * 4), role: 'vo-endorser', scope: { type: 'vo', name: vo } });
  });
  roles.push({ personKey: p(9), role: 'read-only', scope: { type: 'vo', name: VOS[0]![0] } });
  for (const a of ACCOUNTS.filter((x) => x.person >= FIRST_ACCOUNT_HOLDER)) roles.push({ personKey: p(a.person), role: a.role, scope: a.scope });
  return roles;
}

/**
 * The demo federation "Vigil Demo Federation": 4 NGIs, 30 sites, 120 service endpoints, 6 VOs,
 * 44 people and role assignments covering every Vigil role, and a sign-in account per role.
 * Pure and deterministic.
 *
 * @example
 *   const fed = demoFederation();
 *   fed.sites.find((s) => s.certificationStatus === 'closed')?.name; // 'ALP-LUGANO-OLD'
 */
export function demoFederation(): DemoFederation {
  const people = buildPeople();
  const sites = buildSites();
  return {
    name: 'Vigil Demo Federation',
    ngis: NGIS.map((ngi, n) => ({
      key: `${3 + n}G0`,
      name: ngi.name,
      description: `${ngi.name.slice(4, 5)}${ngi.name.slice(5).toLowerCase()} national e-infrastructure (fictional)`,
      email: `operations@${ngi.domain}`,
      securityEmail: `security@${ngi.domain}`,
      rodEmail: `rod@${ngi.domain}`,
      helpdeskEmail: `helpdesk@${ngi.domain}`,
    })),
    sites,
    endpoints: buildEndpoints(sites),
    vos: VOS.map(([name, description], v) => ({
      name,
      description,
      homeUrl: `https://${name}/`,
      securityEmail: `vo-security@lists.${name}`,
      status: v === 5 ? 'Pending' : 'Production',
    })),
    people,
    roles: buildRoles(people, sites),
    accounts: ACCOUNTS.map(({ username, person, role, scope }) => ({ username, personKey: people[person]!.key, role, scope })),
  };
}
