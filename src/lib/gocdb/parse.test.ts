import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseGocdb } from './parse.js';

const doc = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<results>\n${body}\n</results>\n`;

const GET_SITE = `
  <SITE ID="14" PRIMARY_KEY="119G0" NAME="ALP-UNIBERN-HPC">
    <PRIMARY_KEY>119G0</PRIMARY_KEY>
    <SHORT_NAME>ALP-UNIBERN-HPC</SHORT_NAME>
    <OFFICIAL_NAME>Alpine University HPC Centre</OFFICIAL_NAME>
    <SITE_DESCRIPTION>  Tier-2 batch farm  </SITE_DESCRIPTION>
    <HOME_URL>https://hpc.alpine.example.org/</HOME_URL>
    <CONTACT_EMAIL>Grid-Admins@Alpine.Example.ORG</CONTACT_EMAIL>
    <TIER>2</TIER>
    <COUNTRY_CODE>ch</COUNTRY_CODE>
    <COUNTRY>Switzerland</COUNTRY>
    <ROC>NGI_ALPINA</ROC>
    <PRODUCTION_INFRASTRUCTURE>Production</PRODUCTION_INFRASTRUCTURE>
    <CERTIFICATION_STATUS>Certified</CERTIFICATION_STATUS>
    <TIMEZONE>Europe/Zurich</TIMEZONE>
    <CSIRT_EMAIL>CSIRT@alpine.example.org</CSIRT_EMAIL>
    <NOTIFICATIONS>TRUE</NOTIFICATIONS>
    <SCOPES><SCOPE>EGI</SCOPE><SCOPE>wlcg</SCOPE></SCOPES>
    <EXTENSIONS><EXTENSION><LOCAL_ID>1</LOCAL_ID><KEY>k</KEY><VALUE>v</VALUE></EXTENSION></EXTENSIONS>
  </SITE>`;

test('a get_site record becomes a normalised site', async () => {
  const parsed = await parseGocdb(doc(GET_SITE));

  assert.deepEqual(parsed.sites, [
    {
      key: '119G0',
      name: 'ALP-UNIBERN-HPC',
      officialName: 'Alpine University HPC Centre',
      description: 'Tier-2 batch farm',
      homeUrl: 'https://hpc.alpine.example.org/',
      contactEmail: 'grid-admins@alpine.example.org',
      tier: '2',
      countryCode: 'CH',
      country: 'Switzerland',
      ngiName: 'NGI_ALPINA',
      isProduction: true,
      certificationStatus: 'certified',
      timezone: 'Europe/Zurich',
      csirtEmail: 'csirt@alpine.example.org',
      notifications: true,
      scopes: ['EGI', 'wlcg'],
    },
  ]);
  assert.deepEqual(parsed.skipped, []);
  assert.equal(parsed.ignoredElements, 0);
});

test('empty and omitted elements leave the optional fields absent', async () => {
  const parsed = await parseGocdb(
    doc(`<SITE PRIMARY_KEY="7G0" NAME="NOR-TEST"><SHORT_NAME>NOR-TEST</SHORT_NAME>
    <CSIRT_EMAIL/><HOME_URL>  </HOME_URL><PRODUCTION_INFRASTRUCTURE>Test</PRODUCTION_INFRASTRUCTURE>
    <CERTIFICATION_STATUS>Closed</CERTIFICATION_STATUS><NOTIFICATIONS>FALSE</NOTIFICATIONS></SITE>`),
  );

  assert.deepEqual(parsed.sites, [{ key: '7G0', name: 'NOR-TEST', isProduction: false, certificationStatus: 'closed', notifications: false, scopes: [] }]);
});

test('an unknown certification status is kept raw and flagged', async () => {
  const parsed = await parseGocdb(
    doc(`<SITE PRIMARY_KEY="7G0" NAME="X"><SHORT_NAME>X</SHORT_NAME>
    <CERTIFICATION_STATUS>Retired</CERTIFICATION_STATUS></SITE>`),
  );

  assert.equal(parsed.sites[0]?.certificationStatus, undefined);
  assert.equal(parsed.sites[0]?.certificationStatusRaw, 'Retired');
  assert.match(parsed.warnings.join('\n'), /unknown CERTIFICATION_STATUS "Retired"/);
});

test('get_site_list attributes make a site, and get_site adds to the same key', async () => {
  const parsed = await parseGocdb(
    doc(`
    <SITE ID="3" PRIMARY_KEY="119" NAME="ALP-UNIBERN-HPC" COUNTRY="Switzerland" COUNTRY_CODE="CH" ROC="NGI_ALPINA" SUBGRID="" GIIS_URL="ldap://x"/>
    ${GET_SITE}`),
  );

  assert.equal(parsed.sites.length, 1);
  assert.equal(parsed.sites[0]?.key, '119G0');
  assert.equal(parsed.sites[0]?.officialName, 'Alpine University HPC Centre');
});

test('get_site_contacts contributes contacts but no site fields', async () => {
  const parsed = await parseGocdb(
    doc(`
    <SITE ID="14G0" PRIMARY_KEY="119G0" NAME="ALP-UNIBERN-HPC">
      <PRIMARY_KEY>119G0</PRIMARY_KEY><SHORT_NAME>ALP-UNIBERN-HPC</SHORT_NAME>
      <CONTACT USER_ID="6" PRIMARY_KEY="6G0">
        <FORENAME>Livia</FORENAME><SURNAME>Brunner</SURNAME><TITLE/><EMAIL>Livia.Brunner@Alpine.example.org</EMAIL>
        <TEL>+41 00 000 00 00</TEL><CERTDN>/DC=org/DC=example/CN=Livia Brunner</CERTDN>
        <EGICHECKIN>0a1b2c3d4e5f@egi.eu</EGICHECKIN><ROLE_NAME>Site Security Officer</ROLE_NAME>
      </CONTACT>
      <CONTACT USER_ID="8G0" PRIMARY_KEY="8G0"><FORENAME>No</FORENAME><EMAIL>no.role@example.org</EMAIL></CONTACT>
    </SITE>`),
  );

  assert.deepEqual(parsed.sites, []);
  assert.deepEqual(parsed.contacts, [
    {
      entityType: 'site',
      entityKey: '119G0',
      entityName: 'ALP-UNIBERN-HPC',
      userKey: '6G0',
      forename: 'Livia',
      surname: 'Brunner',
      email: 'livia.brunner@alpine.example.org',
      certDn: '/DC=org/DC=example/CN=Livia Brunner',
      checkinSubject: '0a1b2c3d4e5f@egi.eu',
      roleName: 'Site Security Officer',
    },
  ]);
  assert.equal(parsed.skipped.length, 1);
  assert.match(parsed.skipped[0]!.reason, /no ROLE_NAME/);
});

test('a get_service_endpoint record reads Y/N flags and ignores nested ENDPOINT URLs', async () => {
  const parsed = await parseGocdb(
    doc(`
    <SERVICE_ENDPOINT PRIMARY_KEY="4401G0">
      <PRIMARY_KEY>4401G0</PRIMARY_KEY><HOSTNAME>CE01.Alpine.example.org</HOSTNAME>
      <HOSTDN>/DC=org/DC=example/CN=ce01.alpine.example.org</HOSTDN><HOST_OS>AlmaLinux 9</HOST_OS>
      <HOST_ARCH>x86_64</HOST_ARCH><BETA>N</BETA><SERVICE_TYPE>ARC-CE</SERVICE_TYPE><CORE/>
      <IN_PRODUCTION>Y</IN_PRODUCTION><NODE_MONITORED>Y</NODE_MONITORED><NOTIFICATIONS>N</NOTIFICATIONS>
      <SITENAME>ALP-UNIBERN-HPC</SITENAME><URL/>
      <ENDPOINTS><ENDPOINT><ID>1</ID><NAME>e</NAME><URL>https://nested.example.org</URL></ENDPOINT></ENDPOINTS>
      <SCOPES><SCOPE>EGI</SCOPE></SCOPES>
    </SERVICE_ENDPOINT>`),
  );

  assert.deepEqual(parsed.endpoints, [
    {
      key: '4401G0',
      hostname: 'ce01.alpine.example.org',
      serviceType: 'ARC-CE',
      siteName: 'ALP-UNIBERN-HPC',
      isInProduction: true,
      isMonitored: true,
      isBeta: false,
      notifications: false,
      hostDn: '/DC=org/DC=example/CN=ce01.alpine.example.org',
      hostOs: 'AlmaLinux 9',
      hostArch: 'x86_64',
      scopes: ['EGI'],
    },
  ]);
});

test('an endpoint without a hostname is skipped with the reason', async () => {
  const parsed = await parseGocdb(
    doc(`<SERVICE_ENDPOINT PRIMARY_KEY="9G0"><SERVICE_TYPE>APEL</SERVICE_TYPE>
    <SITENAME>X</SITENAME></SERVICE_ENDPOINT>`),
  );

  assert.deepEqual(parsed.endpoints, []);
  assert.equal(parsed.skipped[0]?.element, 'SERVICE_ENDPOINT');
  assert.match(parsed.skipped[0]!.reason, /has no HOSTNAME/);
});

test('get_ngi and get_roc_list both give NGIs, merged on the canonical key', async () => {
  const parsed = await parseGocdb(
    doc(`
    <ROC PRIMARY_KEY="3G0" ROC_NAME="NGI_NORDICA"/>
    <NGI ID="3" NAME="NGI_NORDICA"><PRIMARY_KEY>3</PRIMARY_KEY><NAME>NGI_NORDICA</NAME><OBJECT_ID>3</OBJECT_ID>
      <DESCRIPTION>Nordic NGI</DESCRIPTION><EMAIL>ops@nordica.example.net</EMAIL><GGUS_SU/><ROD_EMAIL/>
      <HELPDESK_EMAIL>Help@nordica.example.net</HELPDESK_EMAIL><SECURITY_EMAIL>SEC@nordica.example.net</SECURITY_EMAIL>
      <SITE_COUNT>4</SITE_COUNT><SCOPES><SCOPE>EGI</SCOPE></SCOPES></NGI>
    <ROC PRIMARY_KEY="5" ROC_NAME="NGI_ALPINA"/>`),
  );

  assert.deepEqual(parsed.ngis, [
    {
      key: '3G0',
      name: 'NGI_NORDICA',
      description: 'Nordic NGI',
      email: 'ops@nordica.example.net',
      helpdeskEmail: 'help@nordica.example.net',
      securityEmail: 'sec@nordica.example.net',
    },
    { key: '5G0', name: 'NGI_ALPINA' },
  ]);
});

test('get_roc_contacts gives NGI contacts and no NGI fields', async () => {
  const parsed = await parseGocdb(
    doc(`
    <ROC ID="3" ROC_NAME="NGI_NORDICA"><ROCNAME>NGI_NORDICA</ROCNAME><MAIL_CONTACT>ops@nordica.example.net</MAIL_CONTACT>
      <CONTACT USER_ID="21G0" PRIMARY_KEY="21G0"><FORENAME>Ingrid</FORENAME><SURNAME>Dahl</SURNAME>
        <EMAIL>ingrid.dahl@nordica.example.net</EMAIL><ROLE_NAME>NGI Security Officer</ROLE_NAME></CONTACT>
    </ROC>`),
  );

  assert.deepEqual(parsed.ngis, []);
  assert.deepEqual(parsed.contacts, [
    {
      entityType: 'ngi',
      entityKey: '3G0',
      entityName: 'NGI_NORDICA',
      userKey: '21G0',
      forename: 'Ingrid',
      surname: 'Dahl',
      email: 'ingrid.dahl@nordica.example.net',
      roleName: 'NGI Security Officer',
    },
  ]);
});

test('get_user roles on sites and NGIs become contacts; project roles are skipped and counted', async () => {
  const parsed = await parseGocdb(
    doc(`
    <EGEE_USER ID="8G0" PRIMARY_KEY="8G0"><FORENAME>Jonas</FORENAME><SURNAME>Keller</SURNAME><TITLE/>
      <EMAIL>Jonas.Keller@example.org</EMAIL><CERTDN>/DC=org/DC=example/CN=Jonas Keller</CERTDN><HOMESITE>X</HOMESITE>
      <USER_ROLE><USER_ROLE>Site Administrator</USER_ROLE><ON_ENTITY>ALP-UNIBERN-HPC</ON_ENTITY>
        <ENTITY_TYPE>site</ENTITY_TYPE><PRIMARY_KEY>119G0</PRIMARY_KEY>
        <RECOGNISED_IN_PROJECTS><PROJECT ID="1">EGI</PROJECT></RECOGNISED_IN_PROJECTS></USER_ROLE>
      <USER_ROLE><USER_ROLE>NGI Operations Manager</USER_ROLE><ON_ENTITY>NGI_ALPINA</ON_ENTITY>
        <ENTITY_TYPE>ngi</ENTITY_TYPE><PRIMARY_KEY>5</PRIMARY_KEY></USER_ROLE>
      <USER_ROLE><USER_ROLE>COD Staff</USER_ROLE><ON_ENTITY>EGI</ON_ENTITY><ENTITY_TYPE>project</ENTITY_TYPE></USER_ROLE>
    </EGEE_USER>`),
  );

  assert.deepEqual(
    parsed.contacts.map((c) => [c.entityType, c.entityKey, c.entityName, c.roleName, c.userKey, c.email]),
    [
      ['site', '119G0', 'ALP-UNIBERN-HPC', 'Site Administrator', '8G0', 'jonas.keller@example.org'],
      ['ngi', '5G0', 'NGI_ALPINA', 'NGI Operations Manager', '8G0', 'jonas.keller@example.org'],
    ],
  );
  assert.equal(parsed.skipped.length, 1);
  assert.match(parsed.skipped[0]!.reason, /COD Staff .* project EGI/);
});

test('the same role from get_site_contacts and get_user is one contact', async () => {
  const parsed = await parseGocdb(
    doc(`
    <SITE ID="14G0" PRIMARY_KEY="119G0" NAME="S"><PRIMARY_KEY>119G0</PRIMARY_KEY><SHORT_NAME>S</SHORT_NAME>
      <CONTACT USER_ID="8G0" PRIMARY_KEY="8G0"><EMAIL>a@example.org</EMAIL><ROLE_NAME>Site Administrator</ROLE_NAME></CONTACT></SITE>
    <EGEE_USER ID="8" PRIMARY_KEY="8"><EMAIL>a@example.org</EMAIL><EGICHECKIN>ff00@egi.eu</EGICHECKIN>
      <USER_ROLE><USER_ROLE>Site Administrator</USER_ROLE><ON_ENTITY>S</ON_ENTITY><ENTITY_TYPE>site</ENTITY_TYPE></USER_ROLE></EGEE_USER>`),
  );

  assert.equal(parsed.contacts.length, 1);
  assert.equal(parsed.contacts[0]?.checkinSubject, 'ff00@egi.eu');
  assert.equal(parsed.contacts[0]?.entityKey, '119G0');
});

test('unknown elements under results are ignored and counted', async () => {
  const parsed = await parseGocdb(
    doc(`<DOWNTIME ID="1"><DESCRIPTION>x</DESCRIPTION></DOWNTIME><SERVICE_TYPE/>
    <ROC PRIMARY_KEY="5" ROC_NAME="NGI_ALPINA"/>`),
  );

  assert.equal(parsed.ignoredElements, 2);
  assert.equal(parsed.ngis.length, 1);
});

test('the older sampleData dialect (bare SCOPE, IP_RANGE, country name in COUNTRY_CODE) is read', async () => {
  const parsed = await parseGocdb(
    doc(`
    <SITE ID="698213" PRIMARY_KEY="481G0" NAME="Lakeside Grid Services" COBJECTID="481">
      <PRIMARY_KEY>481G0</PRIMARY_KEY><SHORT_NAME>LAKESIDE-GS</SHORT_NAME><COUNTRY_CODE>Switzerland</COUNTRY_CODE>
      <ROC>NGI_ALPINA</ROC><IP_RANGE>192.0.2.0/192.0.2.255</IP_RANGE><SCOPE>EGI</SCOPE><CSIRTTEL>+41</CSIRTTEL>
      <DOMAIN><DOMAIN_NAME>lakeside.example.org</DOMAIN_NAME></DOMAIN>
    </SITE>`),
  );

  assert.deepEqual(parsed.sites, [{ key: '481G0', name: 'LAKESIDE-GS', country: 'Switzerland', ngiName: 'NGI_ALPINA', scopes: ['EGI'] }]);
});

test('CDATA, character references and predefined entities are text', async () => {
  const parsed = await parseGocdb(doc(`<NGI ID="1"><NAME>NGI_&#65;&amp;B</NAME><DESCRIPTION><![CDATA[<b>x</b>]]></DESCRIPTION></NGI>`));

  assert.deepEqual(parsed.ngis, [{ key: '1G0', name: 'NGI_A&B', description: '<b>x</b>' }]);
});

test('a stream of buffers split inside multi-byte characters parses like the whole text', async () => {
  const xml = doc(`<NGI ID="1"><NAME>NGI_ÅLAND</NAME><DESCRIPTION>Zürich – Tromsø ✓</DESCRIPTION></NGI>`);
  const bytes = Buffer.from(xml, 'utf8');
  async function* oneByteAtATime() {
    for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
  }

  const streamed = await parseGocdb(oneByteAtATime());

  assert.deepEqual(streamed, await parseGocdb(xml));
  assert.equal(streamed.ngis[0]?.description, 'Zürich – Tromsø ✓');
});

test('a Buffer with a byte-order mark is accepted', async () => {
  const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(doc('<ROC PRIMARY_KEY="1" ROC_NAME="NGI_X"/>'))]);

  const parsed = await parseGocdb(bytes);

  assert.equal(parsed.ngis[0]?.name, 'NGI_X');
});
