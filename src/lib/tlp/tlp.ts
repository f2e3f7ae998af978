// The Traffic Light Protocol, version 2.0 (FIRST): labels, their order, and how they are written
// in a message. TLP 1.0 names are read too (WHITE became CLEAR; AMBER+STRICT is new in 2.0).
import { InvalidError } from '../../core/errors.js';

export const TLP_LEVELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];

/** A label as people write it ("TLP:WHITE", "amber+strict", "TLP: RED") in its 2.0 form. */
export function parseTlp(text: string): Tlp {
  const word = text
    .trim()
    .toUpperCase()
    .replace(/^TLP\s*:\s*/, '');
  if (word === 'WHITE') return 'CLEAR';
  if ((TLP_LEVELS as readonly string[]).includes(word)) return word as Tlp;
  throw new InvalidError(`unknown TLP label ${JSON.stringify(text.slice(0, 40))}: one of ${TLP_LEVELS.join(', ')} (or TLP 1.0's WHITE)`);
}

/** Is `a` at least as restrictive as `b`? */
export const tlpAtLeast = (a: Tlp, b: Tlp): boolean => TLP_LEVELS.indexOf(a) >= TLP_LEVELS.indexOf(b);

/** The label as it opens a subject line: "[TLP:AMBER]". */
export const tlpSubjectMark = (tlp: Tlp): string => `[TLP:${tlp}]`;

/** What the label allows, in the words of the TLP 2.0 definitions, for the head of a message body. */
const DISCLOSURE: Record<Tlp, string> = {
  CLEAR: 'Disclosure is not limited.',
  GREEN: 'Limited disclosure: recipients may share it within their community, not publicly.',
  AMBER: 'Limited disclosure: recipients may share it on a need-to-know basis within their organisation and its clients.',
  'AMBER+STRICT': 'Limited disclosure: recipients may share it on a need-to-know basis within their own organisation only.',
  RED: 'For the eyes and ears of the named recipients only; no further disclosure.',
};

export const tlpBanner = (tlp: Tlp): string => `TLP:${tlp}. ${DISCLOSURE[tlp]}`;
