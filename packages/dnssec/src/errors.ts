import { MimiError } from '@mimi/errors';

/**
 * Errors of the DNSSEC engine: things a caller got wrong or a file that cannot be
 * used (signing with an unsupported algorithm, an RRset that is not one RRset, a bad
 * key directory, an unreadable trust anchor). A failed validation is not an
 * exception: it is a `bogus` result (see results.ts).
 *
 * Codes: `unsupported-algorithm`, `rrset-empty`, `rrset-mixed`, `rrset-type`,
 * `owner-outside-zone`, `bad-validity`, `denial-bitmap`, `denial-name-too-long`,
 * `key-file-name`, `trust-anchor`, `zone-data`.
 */
export class DnssecError extends MimiError {}
