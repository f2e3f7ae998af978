// What a person wrote in a reply, without the quoted notification, the mail client's attribution
// line or their signature; and whether a message was sent by a machine (vacation notices,
// bounces), which must never acknowledge a task.

/**
 * The new text of a reply: the text before the first quote block, attribution line ("On … wrote:"
 * and its German, French, Spanish, Italian and Dutch forms, also wrapped over up to three lines),
 * Outlook header block or separator, signature (`-- ` or `--`) or "Sent from my …" line; trimmed,
 * line endings normalised to `\n`. A bottom-posted reply (one that opens with the quote) yields
 * the first unquoted block after the quote instead.
 *
 * @example
 * replyText('Done, rebooted.\r\n\r\nOn Tue, 1 Dec 2026 at 10:00, Vigil <vigil@example.org> wrote:\r\n> Please patch ce01.');
 * // 'Done, rebooted.'
 * replyText('Patched.\n-- \nBob, site admin'); // 'Patched.'
 */
export function replyText(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const first = nextMarker(lines, 0);
  const head = tidy(lines.slice(0, first?.at ?? lines.length));
  if (head !== '' || !first || (first.kind !== 'quote' && first.kind !== 'attribution')) return head;

  // Bottom-posting: skip the attribution, the quote and blank lines, keep what follows up to the
  // next marker.
  let start = first.at + first.length;
  while (start < lines.length) {
    const line = lines[start]!;
    if (line.trim() === '' || QUOTE.test(line)) start++;
    else break;
  }
  const after = nextMarker(lines, start);
  return tidy(lines.slice(start, after?.at ?? lines.length));
}

type MarkerKind = 'quote' | 'attribution' | 'header-block' | 'separator' | 'signature' | 'mobile';
interface Marker {
  kind: MarkerKind;
  at: number;
  /** How many lines the marker itself takes. */
  length: number;
}

const QUOTE = /^[ \t]*>/;
const SIGNATURE = /^--[ \t]*$/; // RFC 3676 4.3 "-- ", and the bare "--" many clients send
const UNDERSCORES = /^_{10,}$/; // Outlook's line above the header block of a reply
const DASHED_HEADING =
  /^-{2,} ?(original message|forwarded message|ursprüngliche nachricht|weitergeleitete nachricht|message d'origine|message transféré|mensaje original|mensaje reenviado|messaggio originale|messaggio inoltrato|oorspronkelijk bericht|doorgestuurd bericht) ?-{2,}$/i;
const FORWARD_INTRO = /^(begin forwarded message|anfang der weitergeleiteten nachricht|début du message réexpédié) ?:$/i;
const MOBILE =
  /^(sent from my |sent from (outlook|mail|yahoo mail) for |get outlook for |von meinem .+ gesendet$|gesendet von meinem |envoyé de mon |envoyé depuis mon |enviado desde mi |inviato da(l mio)? |verzonden (vanaf|met) mijn |verstuurd vanaf mijn )/i;
const MOBILE_MAX_LENGTH = 80;

// Attribution lines as Gmail, Apple Mail, Thunderbird and Outlook write them. Each needs a digit
// (the date) so that a sentence like "On reflection, as Bob wrote:" is not taken for one.
const ATTRIBUTION_OPENER = /^(on|am|le|el|il|op) /i;
const ATTRIBUTIONS = [
  /^on .+ wrote:$/i,
  /^am .+ schrieb .+:$/i,
  /^le .+ a écrit ?:$/i,
  /^el .+ escribió ?:$/i,
  /^il .+ ha scritto ?:$/i,
  /^op .+ schreef .+:$/i,
];
const ATTRIBUTION_MAX_LINES = 3;
const ATTRIBUTION_MAX_LENGTH = 400; // also keeps the patterns' backtracking short

// The header block Outlook puts above the quoted message ("From: … Sent: … To: … Subject: …").
const HEADER_FROM = /^\*?(from|von|de|da|van) ?:\*? ?\S/i;
const HEADER_SENT = /^\*?(sent|date|gesendet|datum|envoyé|enviado|fecha|inviato|data|verzonden|verstuurd) ?:/i;
const HEADER_SUBJECT = /^\*?(subject|betreff|objet|asunto|oggetto|onderwerp) ?:/i;
const HEADER_ONE_LINE = / \*?(sent|gesendet|envoyé|enviado|inviato|verzonden) ?:.* \*?(subject|betreff|objet|asunto|oggetto|onderwerp) ?:/i;
const HEADER_BLOCK_LINES = 8;

const SEPARATOR_ONLY = /^[-_=*~]{3,}$/;
const CID_PLACEHOLDER = /\[cid:[^\]\s]*\]/g;

function nextMarker(lines: string[], from: number): Marker | undefined {
  for (let at = from; at < lines.length; at++) {
    const found = markerAt(lines, at);
    if (found) return found;
  }
  return undefined;
}

function markerAt(lines: string[], at: number): Marker | undefined {
  const raw = lines[at]!;
  if (QUOTE.test(raw)) return { kind: 'quote', at, length: 1 };
  if (SIGNATURE.test(raw)) return { kind: 'signature', at, length: 1 };
  const line = collapse(raw);
  if (line === '') return undefined;
  if (UNDERSCORES.test(line) || DASHED_HEADING.test(line) || FORWARD_INTRO.test(line)) return { kind: 'separator', at, length: 1 };
  if (line.length <= MOBILE_MAX_LENGTH && MOBILE.test(line)) return { kind: 'mobile', at, length: 1 };
  const attribution = attributionLength(lines, at, line);
  if (attribution > 0) return { kind: 'attribution', at, length: attribution };
  if (isHeaderBlock(lines, at, line)) return { kind: 'header-block', at, length: 1 };
  return undefined;
}

/** How many lines (1 to 3) an attribution starting at `at` takes, or 0 when none starts there. */
function attributionLength(lines: string[], at: number, line: string): number {
  if (!ATTRIBUTION_OPENER.test(line)) return 0;
  let joined = line;
  for (let length = 1; length <= ATTRIBUTION_MAX_LINES && joined.length <= ATTRIBUTION_MAX_LENGTH; length++) {
    if (/\d/.test(joined) && ATTRIBUTIONS.some((pattern) => pattern.test(joined))) return length;
    const next = collapse(lines[at + length] ?? '');
    if (next === '' || QUOTE.test(next)) return 0;
    joined = `${joined} ${next}`;
  }
  return 0;
}

function isHeaderBlock(lines: string[], at: number, line: string): boolean {
  if (!HEADER_FROM.test(line)) return false;
  if (line.length <= ATTRIBUTION_MAX_LENGTH && HEADER_ONE_LINE.test(line)) return true;
  let sent = false;
  let subject = false;
  for (const next of lines.slice(at + 1, at + HEADER_BLOCK_LINES).map(collapse)) {
    sent ||= HEADER_SENT.test(next);
    subject ||= HEADER_SUBJECT.test(next);
  }
  return sent && subject;
}

/** Whitespace runs (no-break spaces included) as one space, trimmed. */
function collapse(line: string): string {
  return line.replace(/\s+/g, ' ').trim();
}

/**
 * The lines joined and trimmed, without trailing rules (an `<hr>` turned into dashes), the
 * `[cid:…]` placeholders Outlook and HTML conversion leave for inline images, or runs of blank lines.
 */
function tidy(lines: string[]): string {
  const kept = lines.map((line) => line.replace(CID_PLACEHOLDER, '').trimEnd());
  while (kept.length > 0 && (kept.at(-1) === '' || SEPARATOR_ONLY.test(kept.at(-1)!.trim()))) kept.pop();
  return kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Headers as mailparser gives them (a Map of lowercase names), or a plain record of any case. */
export type HeaderSource = ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>>;

const AUTO_PRECEDENCE = new Set(['bulk', 'junk', 'list', 'auto_reply']);

/**
 * True for a message a machine sent: `Auto-Submitted` other than `no` (RFC 3834), `X-Autoreply`,
 * `X-Autorespond`, `Precedence: bulk | junk | list | auto_reply`, or a `multipart/report` (delivery
 * status notifications and read receipts, RFC 6522).
 *
 * @example
 * isAutoReply(new Map([['auto-submitted', 'auto-replied']])); // true
 * isAutoReply({ 'Content-Type': 'multipart/report; report-type=delivery-status' }); // true
 * isAutoReply({ 'Auto-Submitted': 'no' }); // false
 */
export function isAutoReply(headers: HeaderSource): boolean {
  const first = (name: string) => headerValues(headers, name).map((value) => value.split(';')[0]!.trim().toLowerCase());
  return (
    first('auto-submitted').some((value) => value !== '' && value !== 'no') ||
    first('x-autoreply').some((value) => value !== '' && value !== 'no' && value !== 'false') ||
    first('x-autorespond').some((value) => value !== '') ||
    first('precedence').some((value) => AUTO_PRECEDENCE.has(value)) ||
    first('content-type').some((value) => value === 'multipart/report')
  );
}

/** Every value of a header, whatever its case; structured values (`{ value, params }`) by their value. */
function headerValues(headers: HeaderSource, name: string): string[] {
  const entries: Iterable<[string, unknown]> = headers instanceof Map ? headers.entries() : Object.entries(headers);
  const values: string[] = [];
  for (const [key, value] of entries) {
    if (key.toLowerCase() === name) values.push(...asStrings(value));
  }
  return values;
}

function asStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(asStrings);
  if (typeof value === 'object' && value !== null && 'value' in value && typeof value.value === 'string') return [value.value];
  return [];
}
