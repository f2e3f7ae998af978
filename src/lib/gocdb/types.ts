// Shapes produced by the GOCDB programmatic-interface (PI) parser. They are wire-neutral: keys are
// canonical (`14` and `14G0` are the same entity, see canonicalKey), e-mails lowercased, flags
// booleans, and every optional element may be absent because GOCDB omits empty elements.

/** GOCDB site certification statuses (GOCDB seed `CertificationStatuses.xml`). */
export type CertificationStatus = 'candidate' | 'uncertified' | 'certified' | 'suspended' | 'closed';

/** An NGI (called ROC in older PI methods), from `get_ngi` or `get_roc_list`. */
export interface GocdbNgi {
  key: string;
  name: string;
  description?: string;
  email?: string;
  securityEmail?: string;
  rodEmail?: string;
  helpdeskEmail?: string;
}

/** A site, from `get_site` (children) or `get_site_list` (attributes only). */
export interface GocdbSite {
  key: string;
  /** GOCDB SHORT_NAME: the name every other record refers to. */
  name: string;
  officialName?: string;
  description?: string;
  ngiName?: string;
  /** ISO 3166 alpha-2, upper case; absent when the document put a country name there. */
  countryCode?: string;
  country?: string;
  certificationStatus?: CertificationStatus;
  /** Set only when CERTIFICATION_STATUS was not one of the five known values. */
  certificationStatusRaw?: string;
  /** PRODUCTION_INFRASTRUCTURE: Production → true; Test (and the historic PPS, SC) → false. */
  isProduction?: boolean;
  contactEmail?: string;
  csirtEmail?: string;
  /** Site NOTIFICATIONS (TRUE/FALSE in the PI): opted in to monitoring e-mails. */
  notifications?: boolean;
  homeUrl?: string;
  timezone?: string;
  tier?: string;
  scopes: string[];
}

/** A service endpoint (host × service type), from `get_service_endpoint` / `get_service`. */
export interface GocdbEndpoint {
  key: string;
  hostname: string;
  serviceType: string;
  url?: string;
  siteName: string;
  isInProduction: boolean;
  isMonitored: boolean;
  isBeta?: boolean;
  notifications?: boolean;
  hostDn?: string;
  hostOs?: string;
  hostArch?: string;
  scopes: string[];
}

/** One person holding one role on one site or NGI. */
export interface GocdbContact {
  entityType: 'site' | 'ngi';
  entityKey?: string;
  entityName: string;
  userKey?: string;
  forename?: string;
  surname?: string;
  email?: string;
  certDn?: string;
  /** EGI Check-in Community User Identifier (`voperson_id`, `<hex>@egi.eu`). */
  checkinSubject?: string;
  roleName: string;
}

/** A record the parser could not use, and why. */
export interface GocdbSkipped {
  element: string;
  reason: string;
}

/** Everything understood in one `<results>` document. */
export interface ParsedGocdb {
  ngis: GocdbNgi[];
  sites: GocdbSite[];
  endpoints: GocdbEndpoint[];
  contacts: GocdbContact[];
  /** The `next_cursor` of the `<meta><link rel="next">` of a paged answer. */
  nextCursor?: string;
  /** `<meta><count>`: records on this page. */
  count?: number;
  /** `<meta><max_page_size>`. */
  maxPageSize?: number;
  skipped: GocdbSkipped[];
  /** Elements directly under `<results>` that this parser does not know (e.g. DOWNTIME). */
  ignoredElements: number;
  /** Values kept but worth a look, e.g. an unknown certification status or flag spelling. */
  warnings: string[];
}

/** Bounds on hostile or runaway input; exceeding one throws TooLargeError. */
export interface GocdbLimits {
  /** Element nesting depth. */
  maxDepth: number;
  /** Elements in the whole document. */
  maxElements: number;
  /** Text of one element, and any single token (tag, comment, CDATA), in bytes. */
  maxTextBytes: number;
  /** The whole document in bytes. */
  maxBytes: number;
  /** Attributes on one element. */
  maxAttributes: number;
}

/** Input accepted by parseGocdb: a whole document or a stream of chunks (e.g. a file stream). */
export type GocdbInput = string | Uint8Array | AsyncIterable<Uint8Array | string>;
