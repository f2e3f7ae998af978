import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatResultLines } from './result-lines.js';

test('each tagged finding is one tab-separated line ending in LF', () => {
  const out = formatResultLines([
    { name: 'openssl-libs', version: '1:3.0.7-24.el9', arch: 'x86_64', cve: 'CVE-2023-5678', tag: 'EGI-Critical' },
    { name: 'sudo', version: '0:1.9.5p2-9.el9', arch: 'x86_64', cve: 'CVE-2023-28486', tag: 'EGI-High' },
  ]);

  assert.equal(out, 'openssl-libs\t1:3.0.7-24.el9\tx86_64\tCVE-2023-5678\tEGI-Critical\nsudo\t0:1.9.5p2-9.el9\tx86_64\tCVE-2023-28486\tEGI-High\n');
});

test('no findings gives an empty string, so the reply stays exactly OK\\n', () => {
  assert.equal(`OK\n${formatResultLines([])}`, 'OK\n');
});

test('duplicate findings are written once', () => {
  const f = { name: 'bash', version: '0:5.1.8-6.el9_1', arch: 'x86_64', cve: 'CVE-2022-3715', tag: 'EGI-High' };

  assert.equal(formatResultLines([f, f]).split('\n').length, 2);
});

test('a tab or newline inside a field cannot shift the columns', () => {
  const out = formatResultLines([{ name: 'a', version: '1', arch: 'x', cve: 'CVE-1', tag: 'Bad\ttag\nnext' }]);

  assert.equal(out, 'a\t1\tx\tCVE-1\tBad tag next\n');
});
