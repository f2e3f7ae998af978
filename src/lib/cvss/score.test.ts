import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cvss3BaseScore, parseCvss } from './score.js';

const cases = [
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', 7.5],
  ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 7.8],
  ['CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10],
  ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:N', 0],
] as const;
for (const [vector, want] of cases) test(`cvss3BaseScore(${vector}) is ${want}`, () => assert.equal(cvss3BaseScore(vector), want));

test('a v2 or malformed vector has no v3 score', () => {
  assert.equal(cvss3BaseScore('AV:N/AC:L/Au:N/C:P/I:P/A:P'), undefined);
  assert.equal(cvss3BaseScore('CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'), undefined);
});

test("Red Hat's score/vector spelling keeps both", () => {
  assert.deepEqual(parseCvss('7.5/CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H'), { score: 7.5, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' });
});

test('a bare score, a bare vector, or nothing readable', () => {
  assert.deepEqual(parseCvss('5.3'), { score: 5.3 });
  assert.deepEqual(parseCvss(undefined, 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'), {
    score: 9.8,
    vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  });
  assert.equal(parseCvss('high'), undefined);
  assert.equal(parseCvss('42'), undefined);
});
