/**
 * Query builders for tests, made with the protocol codec (independent of the server's
 * own hot-path reader), plus raw byte surgery for malformed cases.
 */
import { buildEdns, type DnsMessage, decodeMessage, encodeMessage, NO_FLAGS } from '@mimi/protocol';

export interface QueryInit {
  id?: number;
  name: string;
  type: number;
  qclass?: number;
  rd?: boolean;
  cd?: boolean;
  /** undefined: no EDNS; otherwise the OPT fields. */
  edns?: {
    do?: boolean;
    udpPayloadSize?: number;
    version?: number;
    options?: { code: number; data: Uint8Array }[];
  };
}

export function makeQuery(init: QueryInit): Buffer {
  const message: DnsMessage = {
    id: init.id ?? 0x1234,
    flags: { ...NO_FLAGS, rd: init.rd ?? false, cd: init.cd ?? false },
    questions: [{ name: init.name, type: init.type, class: init.qclass ?? 1 }],
    answers: [],
    authorities: [],
    additionals: [],
    edns: init.edns === undefined ? undefined : buildEdns(init.edns),
  };
  return Buffer.from(encodeMessage(message));
}

export function decode(bytes: Uint8Array | null): DnsMessage {
  if (bytes === null) throw new Error('no response');
  return decodeMessage(bytes);
}

/** Header-only fields straight from bytes (for responses decodeMessage may not take). */
export function header(bytes: Uint8Array): {
  id: number;
  qr: boolean;
  opcode: number;
  tc: boolean;
  rcode: number;
} {
  return {
    id: (bytes[0]! << 8) | bytes[1]!,
    qr: (bytes[2]! & 0x80) !== 0,
    opcode: (bytes[2]! >> 3) & 0x0f,
    tc: (bytes[2]! & 0x02) !== 0,
    rcode: bytes[3]! & 0x0f,
  };
}
