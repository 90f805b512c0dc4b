/**
 * An in-memory Transport that answers from real QueryEngines (@mimi/authority): each
 * endpoint URL is one server; the query bytes are decoded, answered by the engine with
 * the DO bit, and encoded back, as server-core does on the wire. Hooks let a test kill
 * a server, make it hang, check the TLS host name the way a certificate would, refuse
 * a query for its Privacy Pass token (REFUSED + Extended DNS Error, DESIGN §7), or
 * tamper with responses; every request is recorded, with the token it carried.
 */
import type { QueryEngine } from '@mimi/authority';
import {
  buildEdns,
  canonicalName,
  type DnsMessage,
  decodeMessage,
  EdnsOptionCode,
  ExtendedErrorCode,
  encodeMessage,
  extendedErrorOption,
  findOption,
  NO_FLAGS,
  Rcode,
  typeToString,
} from '@mimi/protocol';
import { type Endpoint, ResolverError, type SendOptions, type Transport } from '../../src/index.js';

export interface RecordedRequest {
  readonly url: string;
  readonly host: string;
  readonly qname: string;
  readonly qtype: string;
  /** The token in EDNS option 65001, when the query carried one. */
  readonly token?: Uint8Array;
}

/** A DP's token check: a refusal (`token-missing`, ...) or undefined to answer. */
export type TokenGate = (
  request: RecordedRequest,
  engine: QueryEngine,
) => { readonly code: string; readonly message: string } | undefined;

export interface ServerEntry {
  readonly engine: QueryEngine;
  /** The host name its certificate carries (checked like TLS would). */
  readonly host: string;
}

export type Tamper = (response: DnsMessage, request: RecordedRequest) => DnsMessage;

export class MemoryTransport implements Transport {
  readonly requests: RecordedRequest[] = [];
  readonly dead = new Set<string>();
  readonly hanging = new Set<string>();
  /** URL → how many more queries it answers with HTTP 429. */
  readonly busy = new Map<string, number>();
  tamper: Tamper | undefined;
  /** Refuses queries for their token, as a DP with `--require-token` does. */
  gate: TokenGate | undefined;
  /** What the resolver is told: tokens go only into encrypted transports' queries. */
  encrypted = false;
  /** Awaited before each answer (to make concurrent resolutions overlap). */
  delay: (() => Promise<void>) | undefined;
  closed = false;

  constructor(
    private readonly servers: ReadonlyMap<string, ServerEntry>,
    /** Unix seconds for the engines. */
    private readonly nowSeconds: () => number,
  ) {}

  async send(endpoint: Endpoint, query: Uint8Array, options: SendOptions): Promise<Uint8Array> {
    const decoded = decodeMessage(query);
    const question = decoded.questions[0]!;
    const token = findOption(decoded.edns, EdnsOptionCode.MIMI_TOKEN)?.data;
    const request: RecordedRequest = {
      url: endpoint.url,
      host: endpoint.host,
      qname: canonicalName(question.name),
      qtype: typeToString(question.type),
      ...(token === undefined ? {} : { token }),
    };
    this.requests.push(request);
    if (this.dead.has(endpoint.url)) {
      throw new ResolverError('transport-network', `${endpoint.url}: econnrefused`);
    }
    const busy = this.busy.get(endpoint.url) ?? 0;
    if (busy > 0) {
      this.busy.set(endpoint.url, busy - 1);
      throw new ResolverError('transport-http', `${endpoint.url} answered http 429`, {
        details: { status: 429, url: endpoint.url, host: endpoint.host },
      });
    }
    if (this.hanging.has(endpoint.url)) {
      await new Promise<never>((_, reject) => {
        const fail = () => reject(new ResolverError('aborted', 'aborted'));
        if (options.signal.aborted) fail();
        options.signal.addEventListener('abort', fail, { once: true });
      });
    }
    const server = this.servers.get(endpoint.url);
    if (server === undefined) throw new ResolverError('transport-network', `${endpoint.url}: no server`);
    if (server.host !== endpoint.host) {
      throw new ResolverError('transport-network', `${endpoint.url}: err_tls_cert_altname_invalid`);
    }
    await (this.delay?.() ?? Promise.resolve());
    if (options.signal.aborted) throw new ResolverError('aborted', 'aborted');
    const dnssecOk = decoded.edns?.do ?? false;
    const refusal = this.gate?.(request, server.engine);
    if (refusal !== undefined) {
      return encodeMessage({
        id: decoded.id,
        flags: { ...NO_FLAGS, qr: true, rcode: Rcode.REFUSED },
        questions: decoded.questions,
        answers: [],
        authorities: [],
        additionals: [],
        edns: buildEdns({
          options: [extendedErrorOption(ExtendedErrorCode.PROHIBITED, `${refusal.code}: ${refusal.message}`)],
        }),
      });
    }
    const sections = server.engine.answer(
      { name: request.qname, type: question.type },
      dnssecOk,
      this.nowSeconds(),
    );
    let response: DnsMessage = {
      id: decoded.id,
      flags: { ...NO_FLAGS, qr: true, aa: sections.aa, rd: decoded.flags.rd, rcode: sections.rcode },
      questions: decoded.questions,
      answers: sections.answers,
      authorities: sections.authorities,
      additionals: sections.additionals,
      edns: buildEdns({ do: dnssecOk }),
    };
    if (this.tamper !== undefined) response = this.tamper(response, request);
    return encodeMessage(response);
  }

  /** Requests recorded since `mark` (a previous `requests.length`). */
  since(mark: number): RecordedRequest[] {
    return this.requests.slice(mark);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
