// One CSV cell (RFC 4180), safe to open in a spreadsheet: a value a spreadsheet would read as a
// formula is neutralised as OWASP advises (https://owasp.org/www-community/attacks/CSV_Injection).

/** Characters that make Excel, LibreOffice or Google Sheets evaluate a cell (tab and CR included). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Formats one value as a CSV cell. A value starting with `=`, `+`, `-`, `@`, a tab or a carriage
 * return gets a leading `'`, so a spreadsheet shows it as text instead of running it; such a value,
 * and one holding `"`, `,` or a line break, is quoted, with `"` doubled.
 *
 * @example
 * csvCell('wn1.example.org'); // 'wn1.example.org'
 * csvCell('a,b'); // '"a,b"'
 * csvCell('=HYPERLINK("http://x")'); // `"'=HYPERLINK(""http://x"")"`
 * csvCell('-1'); // `"'-1"`
 */
export function csvCell(value: string): string {
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return text !== value || /[",\r\n]/.test(value) ? `"${text.replace(/"/g, '""')}"` : text;
}
