// The audit actions patching records against a site (objectType 'site') that are patch data of
// that site: their history is for those who read the site's patch data, not for every reader of
// the site's registry entry (a neighbouring site's administrator).
export const PATCH_DATA_ACTION_PREFIXES = ['exception.', 'enrolment-token.', 'reporter-dn.', 'site.report-policy', 'report-quarantine.'] as const;
