import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidError } from '../../core/errors.js';
import { formatRpmEvr, parseDebVersion, parsePackageLine, parseRpmEvr } from './parse.js';

test('rpm -qa prints (none) for an unset epoch, which is epoch 0', () => {
  assert.deepEqual(parseRpmEvr('(none):2.34-100.el9_4.2'), { epoch: '0', version: '2.34', release: '100.el9_4.2' });
});

test('the Pakiti client sends the epoch always, 0 when unset', () => {
  assert.deepEqual(parseRpmEvr('0:5.14.0-427.13.1.el9_4'), { epoch: '0', version: '5.14.0', release: '427.13.1.el9_4' });
});

test('a non-zero epoch is kept', () => {
  assert.deepEqual(parseRpmEvr('1:3.0.7-27.el9'), { epoch: '1', version: '3.0.7', release: '27.el9' });
});

test('a version without an epoch has epoch 0, as rpm parseEVR reads it', () => {
  assert.deepEqual(parseRpmEvr('1.2-3'), { epoch: '0', version: '1.2', release: '3' });
});

test('a version without a release has no release', () => {
  assert.deepEqual(parseRpmEvr('1:1.2'), { epoch: '1', version: '1.2', release: undefined });
});

test('a colon after non-digits is part of the version, as in rpm parseEVR', () => {
  assert.deepEqual(parseRpmEvr('1.2:3-4'), { epoch: '0', version: '1.2:3', release: '4' });
});

test('an empty rpm version is refused with its position', () => {
  assert.throws(
    () => parseRpmEvr('1:-3'),
    (err: unknown) => err instanceof InvalidError && err.message.includes('position 3'),
  );
});

test('an rpm version with a blank is refused', () => {
  assert.throws(() => parseRpmEvr('1.2 -3'), InvalidError);
});

test('formatting gives the Pakiti spelling back', () => {
  assert.equal(formatRpmEvr(parseRpmEvr('(none):2.34-100.el9')), '0:2.34-100.el9');
});

test('a dpkg-query version splits into epoch, upstream and revision', () => {
  assert.deepEqual(parseDebVersion('1:9.2p1-2+deb12u2'), { epoch: 1, upstream: '9.2p1', revision: '2+deb12u2' });
});

test('a native Debian version has an empty revision', () => {
  assert.deepEqual(parseDebVersion('2.36.1'), { epoch: 0, upstream: '2.36.1', revision: '' });
});

test('the revision follows the last hyphen', () => {
  assert.deepEqual(parseDebVersion('1.18.36-0.17.35-18'), { epoch: 0, upstream: '1.18.36-0.17.35', revision: '18' });
});

test('a Pakiti package line splits into name, version and arch', () => {
  assert.deepEqual(parsePackageLine('openssl-libs\t1:3.0.7-27.el9\tx86_64'), { name: 'openssl-libs', version: '1:3.0.7-27.el9', arch: 'x86_64' });
});

test('a package line separated by spaces is accepted, as the Pakiti server does', () => {
  assert.deepEqual(parsePackageLine('libc6 2.36-9+deb12u7 amd64'), { name: 'libc6', version: '2.36-9+deb12u7', arch: 'amd64' });
});

test('an rpm -qa line with (none) gets epoch 0', () => {
  assert.equal(parsePackageLine('bash\t(none):5.1.8-9.el9\tx86_64').version, '0:5.1.8-9.el9');
});

test('a package line with two fields is refused', () => {
  assert.throws(() => parsePackageLine('bash\t5.1.8'), InvalidError);
});
