import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTlp, tlpAtLeast, tlpBanner, tlpSubjectMark } from './tlp.js';

test('TLP labels are read in their 1.0 and 2.0 spellings', () => {
  assert.equal(parseTlp('TLP:WHITE'), 'CLEAR');
  assert.equal(parseTlp('amber+strict'), 'AMBER+STRICT');
  assert.equal(parseTlp(' TLP: red '), 'RED');
  assert.throws(() => parseTlp('PURPLE'), /unknown TLP label/);
});

test('TLP levels are ordered from CLEAR to RED, and marked in subjects and bodies', () => {
  assert.ok(tlpAtLeast('RED', 'AMBER'));
  assert.ok(!tlpAtLeast('GREEN', 'AMBER'));
  assert.equal(tlpSubjectMark('AMBER'), '[TLP:AMBER]');
  assert.match(tlpBanner('RED'), /^TLP:RED\. .*named recipients/);
});
