import { test } from 'node:test';
import assert from 'node:assert/strict';
import { POLICIES, explainNote } from './policies.js';

test('every policy reads as a sentence of its own, not as its key', () => {
  const sentences = Object.values(POLICIES).map(explainNote);

  assert.equal(new Set(sentences).size, sentences.length);
  for (const s of sentences) {
    assert.doesNotMatch(s, /policy:/);
    assert.match(s, /^[A-Z].*[.)]$/);
  }
});

test("a policy note's detail is kept; a note that is no policy's is already a sentence", () => {
  assert.equal(
    explainNote('policy:format-drift-alarm: no definitions read (previous load: 900)'),
    'The feed yielded far less than before: its format may have changed. No definitions read (previous load: 900)',
  );
  assert.equal(explainNote('no loaded feed covers rocky:10'), 'No loaded feed covers rocky:10.');
  assert.equal(explainNote('policy:not-a-policy'), 'policy:not-a-policy');
});
