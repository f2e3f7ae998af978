// `vigil vercmp rpm|deb A B`: prints -1, 0 or 1 as rpm (`rpm.labelCompare` on `E:V-R`) or
// dpkg (`dpkg --compare-versions`) order them. With `--batch`, reads `A B` pairs (tab or
// spaces) from stdin, one per line, and prints one result per line, streaming in constant
// memory.
import { StringDecoder } from 'node:string_decoder';
import { Argument, type Command } from 'commander';
import { InvalidError } from '../../core/errors.js';
import { compareDebVersions } from '../../lib/versions/dpkg-vercmp.js';
import { parseRpmEvr } from '../../lib/versions/parse.js';
import { compareRpmEvr } from '../../lib/versions/rpm-vercmp.js';

export type VersionKind = 'rpm' | 'deb';

/** Longest input line accepted in batch mode; a longer one is an error, never buffered. */
const MAX_LINE = 64 * 1024;
const FLUSH_AT = 64 * 1024;

/** Compares two version strings of one kind; throws `InvalidError` for a version the package manager refuses. */
export function compareVersions(kind: VersionKind, a: string, b: string): -1 | 0 | 1 {
  return kind === 'rpm' ? compareRpmEvr(parseRpmEvr(a), parseRpmEvr(b)) : compareDebVersions(a, b);
}

function compareLine(kind: VersionKind, line: string, lineNo: number): string {
  const fields = line.trim().split(/[ \t]+/);
  if (fields.length !== 2) throw new InvalidError(`stdin line ${lineNo}: expected two versions, found ${fields[0] === '' ? 0 : fields.length}`);
  try {
    return String(compareVersions(kind, fields[0] as string, fields[1] as string));
  } catch (err) {
    if (err instanceof InvalidError) throw new InvalidError(`stdin line ${lineNo}: ${err.message}`);
    throw err;
  }
}

/**
 * Streams `A B` lines from `input` to result lines written by `write` (which returns a promise
 * that settles when the output can take more). Memory stays bounded by one chunk and
 * `MAX_LINE`, whatever the input size. Stops at the first bad line with `InvalidError`.
 */
export async function runVercmpBatch(kind: VersionKind, input: AsyncIterable<Buffer | string>, write: (s: string) => Promise<void>): Promise<number> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let out = '';
  let lineNo = 0;
  for await (const chunk of input) {
    const text = carry + (typeof chunk === 'string' ? chunk : decoder.write(chunk));
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      lineNo++;
      out += compareLine(kind, text.slice(start, nl), lineNo) + '\n';
      start = nl + 1;
      if (out.length >= FLUSH_AT) {
        await write(out);
        out = '';
      }
    }
    carry = text.slice(start);
    if (carry.length > MAX_LINE) throw new InvalidError(`stdin line ${lineNo + 1}: longer than ${MAX_LINE} characters`);
  }
  carry += decoder.end();
  if (carry.trim() !== '') {
    lineNo++;
    out += compareLine(kind, carry, lineNo) + '\n';
  }
  if (out) await write(out);
  return lineNo;
}

function writeStdout(s: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(s, (err) => (err ? reject(err) : resolve()));
  });
}

/** Adds `vigil vercmp`. */
export function register(program: Command): void {
  program
    .command('vercmp')
    .description('compare two package versions as rpm or dpkg does; prints -1, 0 or 1')
    .addArgument(new Argument('<kind>', 'version order').choices(['rpm', 'deb']))
    .argument('[a]', 'first version (rpm: [epoch:]version[-release], deb: [epoch:]upstream[-revision])')
    .argument('[b]', 'second version')
    .option('--batch', 'read "A B" pairs from stdin, one per line, print one result per line')
    .action(async (kind: VersionKind, a: string | undefined, b: string | undefined, opts: { batch?: boolean }, cmd: Command) => {
      if (opts.batch) {
        if (a !== undefined) cmd.error('vigil: vercmp --batch reads versions from stdin, not arguments', { exitCode: 2 });
        await runVercmpBatch(kind, process.stdin, writeStdout);
        return;
      }
      if (a === undefined || b === undefined) cmd.error('vigil: vercmp needs two versions (or --batch)', { exitCode: 2 });
      process.stdout.write(`${compareVersions(kind, a as string, b as string)}\n`);
    });
}
