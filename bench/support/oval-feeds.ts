// Generated OVAL feeds shaped like the vendors' files, at any size: Red Hat OVAL v2 (one RHSA
// definition naming several binary packages, each "earlier than" AND "signed with Red Hat key",
// under the "Red Hat Enterprise Linux must be installed" OR) and Debian's per-release OVAL (one
// definition per CVE and source package, `DPKG is earlier than`, `less than 0:0` for "not
// affected"). Package names come from the bench pools (EL9-shaped rpm names, Debian 12's own
// index), so hosts drawn from the same pools meet them. Written streaming, deterministic.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { debianPool, rng, rpmPool, type Pkg } from './reports.js';

const DESCRIPTION = 'A flaw was found in the package. An attacker could use this flaw to cause a denial of service or execute code. '.repeat(10);

async function writeAll(path: string, parts: (write: (s: string) => Promise<void>) => Promise<void>): Promise<void> {
  const out = createWriteStream(path);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await parts(write);
  out.end();
  await once(out, 'finish');
}

/** The version a fix names: the pool's version with its release bumped (so pool hosts are vulnerable). */
const bumpRpm = (v: string, n: number) => (/-\d+/.test(v) ? v.replace(/-(\d+)/, (_m, r: string) => `-${Number(r) + 1 + (n % 3)}`) : `${v}-1`);

/**
 * A Red Hat OVAL v2 style file of `count` definitions, 4–16 packages each (10 on average), and
 * what it holds. `seed` changes the fixed versions (a second "day" of the same feed).
 */
export async function writeRhelOval(path: string, count: number, seed = 1): Promise<{ definitions: number; packages: number }> {
  const pool = rpmPool();
  const rand = rng(seed);
  const defs: Array<{ id: number; pkgs: Array<{ p: Pkg; fixed: string }> }> = [];
  for (let i = 0; i < count; i++) {
    const k = 4 + rand(13);
    const base = rand(pool.length);
    defs.push({
      id: 20200000 + i,
      pkgs: Array.from({ length: k }, (_, j) => pool[(base + j * 7) % pool.length]!).map((p) => ({ p, fixed: bumpRpm(p.version, i + seed) })),
    });
  }
  const names = [...new Set(defs.flatMap((d) => d.pkgs.map((x) => x.p.name)))];
  const objectOf = new Map(names.map((n, i) => [n, `oval:com.redhat.rhsa:obj:${100000 + i}`]));
  await writeAll(path, async (write) => {
    await write(
      '<?xml version="1.0" encoding="utf-8"?>\n<oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5" xmlns:oval="http://oval.mitre.org/XMLSchema/oval-common-5" xmlns:red-def="http://oval.mitre.org/XMLSchema/oval-definitions-5#linux" xmlns:unix-def="http://oval.mitre.org/XMLSchema/oval-definitions-5#unix"><generator><oval:product_name>Red Hat OVAL Patch Definition Merger</oval:product_name><oval:schema_version>5.10</oval:schema_version><oval:timestamp>2026-06-01T00:00:00</oval:timestamp></generator>\n<definitions>\n',
    );
    for (const d of defs) {
      const year = 2020 + (d.id % 6);
      const crit = d.pkgs
        .map(
          (x, j) =>
            `<criteria operator="AND"><criterion comment="${x.p.name} is earlier than ${x.fixed}" test_ref="oval:com.redhat.rhsa:tst:${d.id}${String(j).padStart(3, '0')}1"/><criterion comment="${x.p.name} is signed with Red Hat redhatrelease2 key" test_ref="oval:com.redhat.rhsa:tst:${d.id}${String(j).padStart(3, '0')}2"/></criteria>`,
        )
        .join('');
      const cves = [0, 1].map((c) => `CVE-${year}-${10000 + ((d.id * 2 + c) % 89999)}`);
      await write(
        `<definition class="patch" id="oval:com.redhat.rhsa:def:${d.id}" version="637"><metadata><title>RHSA-${year}:${d.id % 10000}: ${d.pkgs[0]!.p.name} security update (Important)</title><affected family="unix"><platform>Red Hat Enterprise Linux 9</platform></affected><reference ref_id="RHSA-${year}:${d.id % 10000}" ref_url="https://access.redhat.com/errata/RHSA-${year}:${d.id % 10000}" source="RHSA"/>${cves.map((c) => `<reference ref_id="${c}" ref_url="https://access.redhat.com/security/cve/${c}" source="CVE"/>`).join('')}<description>${DESCRIPTION}</description><advisory from="secalert@redhat.com"><severity>Important</severity><rights>Copyright ${year} Red Hat, Inc.</rights><issued date="${year}-01-01"/><updated date="${year}-01-01"/>${cves.map((c) => `<cve cvss3="7.5/CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H" cwe="CWE-400" href="https://access.redhat.com/security/cve/${c}" impact="important" public="${year}0101">${c}</cve>`).join('')}<bugzilla href="https://bugzilla.redhat.com/${d.id}" id="${d.id}">${cves[0]} flaw</bugzilla><affected_cpe_list><cpe>cpe:/a:redhat:enterprise_linux:9</cpe><cpe>cpe:/a:redhat:enterprise_linux:9::appstream</cpe><cpe>cpe:/o:redhat:enterprise_linux:9::baseos</cpe></affected_cpe_list></advisory></metadata><criteria operator="OR"><criterion comment="Red Hat Enterprise Linux must be installed" test_ref="oval:com.redhat.rhba:tst:20221728001"/><criteria operator="AND"><criteria operator="OR">${crit}</criteria></criteria></criteria></definition>\n`,
      );
    }
    await write(
      '</definitions><tests>\n<red-def:rpmverifyfile_test check="none satisfy" comment="Red Hat Enterprise Linux must be installed" id="oval:com.redhat.rhba:tst:20221728001" version="637"><red-def:object object_ref="oval:com.redhat.rhba:obj:20221728001"/><red-def:state state_ref="oval:com.redhat.rhba:ste:20221728002"/></red-def:rpmverifyfile_test>\n',
    );
    for (const d of defs) {
      let s = '';
      for (const [j, x] of d.pkgs.entries()) {
        const t = `${d.id}${String(j).padStart(3, '0')}`;
        s += `<red-def:rpminfo_test check="at least one" comment="${x.p.name} is earlier than ${x.fixed}" id="oval:com.redhat.rhsa:tst:${t}1" version="637"><red-def:object object_ref="${objectOf.get(x.p.name)}"/><red-def:state state_ref="oval:com.redhat.rhsa:ste:${t}"/></red-def:rpminfo_test>`;
        s += `<red-def:rpminfo_test check="at least one" comment="${x.p.name} is signed with Red Hat redhatrelease2 key" id="oval:com.redhat.rhsa:tst:${t}2" version="637"><red-def:object object_ref="${objectOf.get(x.p.name)}"/><red-def:state state_ref="oval:com.redhat.rhba:ste:20221728003"/></red-def:rpminfo_test>\n`;
      }
      await write(s);
    }
    await write(
      '</tests><objects>\n<red-def:rpmverifyfile_object id="oval:com.redhat.rhba:obj:20221728001" version="637"><red-def:behaviors noconfigfiles="true" noghostfiles="true" nogroup="true" nolinkto="true" nomd5="true" nomode="true" nomtime="true" nordev="true" nosize="true" nouser="true"/><red-def:name operation="pattern match"/><red-def:epoch operation="pattern match"/><red-def:version operation="pattern match"/><red-def:release operation="pattern match"/><red-def:arch operation="pattern match"/><red-def:filepath>/etc/redhat-release</red-def:filepath></red-def:rpmverifyfile_object>\n',
    );
    for (const n of names)
      await write(`<red-def:rpminfo_object id="${objectOf.get(n)}" version="637"><red-def:name>${n}</red-def:name></red-def:rpminfo_object>\n`);
    await write(
      '</objects><states>\n<red-def:rpmverifyfile_state id="oval:com.redhat.rhba:ste:20221728002" version="637"><red-def:name operation="pattern match">^redhat-release</red-def:name><red-def:version operation="pattern match">^9[^\\d]</red-def:version></red-def:rpmverifyfile_state><red-def:rpminfo_state id="oval:com.redhat.rhba:ste:20221728003" version="637"><red-def:signature_keyid operation="equals">199e2f91fd431d51</red-def:signature_keyid></red-def:rpminfo_state>\n',
    );
    for (const d of defs) {
      let s = '';
      for (const [j, x] of d.pkgs.entries()) {
        const evr = /^\d+:/.test(x.fixed) ? x.fixed : `0:${x.fixed}`;
        s += `<red-def:rpminfo_state id="oval:com.redhat.rhsa:ste:${d.id}${String(j).padStart(3, '0')}" version="637"><red-def:arch datatype="string" operation="pattern match">aarch64|ppc64le|s390x|x86_64</red-def:arch><red-def:evr datatype="evr_string" operation="less than">${evr}</red-def:evr></red-def:rpminfo_state>\n`;
      }
      await write(s);
    }
    await write('</states></oval_definitions>\n');
  });
  return { definitions: count, packages: names.length };
}

/**
 * A Debian per-release OVAL file (`oval-definitions-bookworm.xml` shape) of `count` definitions,
 * one CVE and one source package each; one in ten is `less than 0:0` (not affected).
 */
export async function writeDebianOval(path: string, count: number, seed = 1): Promise<{ definitions: number }> {
  const pool = debianPool().pool;
  const rand = rng(seed);
  await writeAll(path, async (write) => {
    await write(
      '<?xml version="1.0" ?>\n<oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5" xmlns:ind-def="http://oval.mitre.org/XMLSchema/oval-definitions-5#independent" xmlns:linux-def="http://oval.mitre.org/XMLSchema/oval-definitions-5#linux" xmlns:oval="http://oval.mitre.org/XMLSchema/oval-common-5" xmlns:unix-def="http://oval.mitre.org/XMLSchema/oval-definitions-5#unix"><generator><oval:product_name>Debian</oval:product_name><oval:schema_version>5.11.2</oval:schema_version><oval:timestamp>2026-06-01T00:00:00</oval:timestamp></generator>\n<definitions>\n',
    );
    const picks: Array<{ p: Pkg; fixed: string }> = [];
    for (let i = 0; i < count; i++) {
      const p = pool[rand(pool.length)]!;
      const fixed = i % 10 === 9 ? '0:0' : `${/^\d+:/.test(p.version) ? '' : '0:'}${p.version}+deb12u${1 + ((i + seed) % 4)}`;
      picks.push({ p, fixed });
      const cve = `CVE-${2000 + (i % 26)}-${10000 + i}`;
      await write(
        `<definition class="vulnerability" id="oval:org.debian:def:${1000000000 + i}" version="1"><metadata><title>${cve}</title><affected family="unix"><platform>Debian GNU/Linux 12</platform><product>${p.name}</product></affected><reference ref_id="${cve}" ref_url="https://security-tracker.debian.org/tracker/${cve}" source="CVE"/><description>${DESCRIPTION.slice(0, 400)}</description><debian><moreinfo/></debian></metadata><criteria comment="Release section" operator="AND"><criterion comment="Debian 12 is installed" test_ref="oval:org.debian.oval:tst:1"/><criteria comment="Architecture section" operator="OR"><criteria comment="Architecture independent section" operator="AND"><criterion comment="all architecture" test_ref="oval:org.debian.oval:tst:2"/><criterion comment="${p.name} DPKG is earlier than ${fixed}" test_ref="oval:org.debian.oval:tst:${10 + i}"/></criteria></criteria></criteria></definition>\n`,
      );
    }
    await write(
      '</definitions><tests>\n<ind-def:textfilecontent54_test check="all" check_existence="all_exist" comment="Debian GNU/Linux 12 is installed" id="oval:org.debian.oval:tst:1" version="1"><ind-def:object object_ref="oval:org.debian.oval:obj:1"/><ind-def:state state_ref="oval:org.debian.oval:ste:1"/></ind-def:textfilecontent54_test><unix-def:uname_test check="all" check_existence="all_exist" comment="Installed architecture is all" id="oval:org.debian.oval:tst:2" version="1"><unix-def:object object_ref="oval:org.debian.oval:obj:2"/></unix-def:uname_test>\n',
    );
    for (const [i, x] of picks.entries())
      await write(
        `<linux-def:dpkginfo_test check="all" check_existence="all_exist" comment="${x.p.name} is earlier than ${x.fixed}" id="oval:org.debian.oval:tst:${10 + i}" version="1"><linux-def:object object_ref="oval:org.debian.oval:obj:${10 + i}"/><linux-def:state state_ref="oval:org.debian.oval:ste:${10 + i}"/></linux-def:dpkginfo_test>\n`,
      );
    await write(
      '</tests><objects>\n<ind-def:textfilecontent54_object id="oval:org.debian.oval:obj:1" version="1"><ind-def:path>/etc</ind-def:path><ind-def:filename>debian_version</ind-def:filename><ind-def:pattern operation="pattern match">(\\d+)\\.\\d</ind-def:pattern><ind-def:instance datatype="int">1</ind-def:instance></ind-def:textfilecontent54_object><unix-def:uname_object id="oval:org.debian.oval:obj:2" version="1"/>\n',
    );
    for (const [i, x] of picks.entries())
      await write(
        `<linux-def:dpkginfo_object id="oval:org.debian.oval:obj:${10 + i}" version="1"><linux-def:name>${x.p.name}</linux-def:name></linux-def:dpkginfo_object>\n`,
      );
    await write(
      '</objects><states>\n<ind-def:textfilecontent54_state id="oval:org.debian.oval:ste:1" version="1"><ind-def:subexpression operation="equals">12</ind-def:subexpression></ind-def:textfilecontent54_state>\n',
    );
    for (const [i, x] of picks.entries())
      await write(
        `<linux-def:dpkginfo_state id="oval:org.debian.oval:ste:${10 + i}" version="1"><linux-def:evr datatype="debian_evr_string" operation="less than">${x.fixed}</linux-def:evr></linux-def:dpkginfo_state>\n`,
      );
    await write('</states></oval_definitions>\n');
  });
  return { definitions: count };
}
