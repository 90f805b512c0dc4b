/**
 * dnsperf input files. The binary form (`dnsperf -B`: each message preceded by its
 * two-octet length, as on a DNS TCP stream, RFC 1035 §4.2.2) carries queries exactly as
 * we build them: RD clear, as a resolver asks an authoritative server; an OPT RR
 * (RFC 6891 §6.1.2) offering a 1232-octet UDP payload with DO set (RFC 3225 §3).
 * dnsperf's own `-e`/`-D` would offer 4096 octets, so the binary form is what we send;
 * dnsperf rewrites only the ID.
 *
 * The text form (`name TYPE`) is written beside it for people and for `dnsperf -d` runs.
 */
import { buildEdns, encodeMessage, typeToString } from '@mimi/protocol';

/** "a requestor's UDP payload size of 1232 octets" — the DNS Flag Day 2020 value DESIGN §7 uses. */
export const QUERY_UDP_PAYLOAD_SIZE = 1232;

const QUERY_FLAGS = Object.freeze({
  qr: false,
  opcode: 0,
  aa: false,
  tc: false,
  rd: false,
  ra: false,
  ad: false,
  cd: false,
  rcode: 0,
});

/** One query message: `{name, type}` in class IN, EDNS 1232, DO set. */
export function encodeQuery({ name, type }, id = 0) {
  return encodeMessage({
    id,
    flags: QUERY_FLAGS,
    questions: [{ name, type, class: 1 }],
    answers: [],
    authorities: [],
    additionals: [],
    edns: buildEdns({ udpPayloadSize: QUERY_UDP_PAYLOAD_SIZE, do: true }),
  });
}

/** The `-B` file: length-prefixed query messages. */
export function binaryQueryFile(questions) {
  const messages = questions.map((question) => encodeQuery(question));
  const out = Buffer.alloc(messages.reduce((sum, message) => sum + 2 + message.length, 0));
  let offset = 0;
  for (const message of messages) {
    out.writeUInt16BE(message.length, offset);
    out.set(message, offset + 2);
    offset += 2 + message.length;
  }
  return out;
}

/** Split a `-B` file back into messages (tests, and a check before a run). */
export function splitBinaryQueryFile(bytes) {
  const messages = [];
  let offset = 0;
  while (offset + 2 <= bytes.length) {
    const length = bytes.readUInt16BE(offset);
    messages.push(bytes.subarray(offset + 2, offset + 2 + length));
    offset += 2 + length;
  }
  return messages;
}

/**
 * dnsperf's text form, `name TYPE` a line, with private types as RFC 3597 `TYPEnnnnn`
 * (dnsperf parses those; it knows no MSPMAP).
 */
export function textQueryFile(questions) {
  return questions
    .map(({ name, type }) => `${name} ${type >= 65280 ? `TYPE${type}` : typeToString(type)}\n`)
    .join('');
}
