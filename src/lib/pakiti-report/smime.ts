// S/MIME-encrypted reports are recognised by their bytes: clients send them with the same
// Content-Type as plaintext (CESNET/pakiti-client), so the header tells nothing.

// DER of OBJECT IDENTIFIER 1.2.840.113549.1.7.3 (pkcs7-envelopedData).
const ENVELOPED_DATA_OID = Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03]);

/**
 * Whether a body is a PKCS#7 envelopedData ContentInfo, as `openssl smime -encrypt -binary
 * -outform DER` writes it: an ASN.1 SEQUENCE (definite or BER indefinite length) whose first
 * member is the envelopedData OID. Plaintext reports start with `#` and never match.
 *
 * @example
 * isSmimeEnvelope(readFileSync('report.der')); // true
 * isSmimeEnvelope(Buffer.from('#\nhost: wn1\n#\n')); // false
 */
export function isSmimeEnvelope(buf: Buffer): boolean {
  if (buf.length < 2 + ENVELOPED_DATA_OID.length || buf[0] !== 0x30) return false;
  const first = buf[1] ?? 0;
  let header = 2; // also for 0x80, BER indefinite length: openssl streams its output
  if (first > 0x80) {
    const n = first & 0x7f;
    if (n > 4 || buf.length < 2 + n) return false;
    let len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (buf[2 + i] ?? 0);
    header = 2 + n;
    if (header + len > buf.length) return false;
  } else if (first < 0x80 && 2 + first > buf.length) {
    return false;
  }
  return buf.subarray(header, header + ENVELOPED_DATA_OID.length).equals(ENVELOPED_DATA_OID);
}
