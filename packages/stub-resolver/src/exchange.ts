/**
 * One question to one zone's servers: build the query, send it with a timeout, check
 * that the response answers it, fail over across every endpoint of the zone and retry
 * (RFC 1035 §7.2, RFC 4697 §2.1), and report the zone unreachable when none answered.
 *
 * Queries: ID 0 (RFC 8484 §4.1), RD clear (the servers are authoritative), EDNS(0)
 * with DO set (RFC 3225 §3) and padded to 128-octet blocks (RFC 8467 §4.1) since they
 * travel encrypted. A server that fails is tried last for a while (`ServerHealth`).
 */
import {
  buildEdns,
  CLASS_IN,
  canonicalName,
  type DnsMessage,
  decodeMessage,
  EdnsOptionCode,
  encodeMessage,
  fullRcode,
  NO_FLAGS,
  namesEqual,
  padMessage,
  parseExtendedError,
  QUERY_PADDING_BLOCK,
  Rcode,
  RRType,
  typeToString,
} from '@mimi/protocol';
import { DEFAULT_QUERY_TIMEOUT_MS, DEFAULT_RETRIES, DOH_QUERY_ID, SERVER_PENALTY_MS } from './constants.js';
import { ResolverError, throwIfAborted } from './errors.js';
import { UnreachableError } from './outcomes.js';
import type { TraceSink } from './trace.js';
import { type Endpoint, endpointKey, type Transport } from './transport/transport.js';

export interface ExchangeOptions {
  readonly timeoutMs?: number;
  readonly retries?: number;
}

export interface QueryContext {
  readonly signal?: AbortSignal | undefined;
  readonly trace?: TraceSink;
  /** The zone whose servers are asked (for traces and errors). */
  readonly zone: string;
}

interface Failure {
  readonly code: string;
  readonly message: string;
}

/** Builds the wire query for (qname, qtype). */
export function buildQuery(qname: string, qtype: number): Uint8Array {
  const message: DnsMessage = {
    id: DOH_QUERY_ID,
    flags: NO_FLAGS,
    questions: [{ name: canonicalName(qname), type: qtype, class: CLASS_IN }],
    answers: [],
    authorities: [],
    additionals: [],
    edns: buildEdns({ do: true }),
  };
  return encodeMessage(padMessage(message, QUERY_PADDING_BLOCK));
}

/** Remembers which endpoints failed recently, to try them last. */
export class ServerHealth {
  private readonly penalties = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  failed(endpoint: Endpoint): void {
    this.penalties.set(endpointKey(endpoint), this.now() + SERVER_PENALTY_MS);
  }

  succeeded(endpoint: Endpoint): void {
    this.penalties.delete(endpointKey(endpoint));
  }

  /** Healthy endpoints first (in their given order), penalized ones after. */
  order(endpoints: readonly Endpoint[]): Endpoint[] {
    const now = this.now();
    const penalized = (endpoint: Endpoint) => (this.penalties.get(endpointKey(endpoint)) ?? 0) > now;
    return [...endpoints.filter((e) => !penalized(e)), ...endpoints.filter(penalized)];
  }
}

export class Exchanger {
  private readonly timeoutMs: number;
  private readonly retries: number;

  constructor(
    private readonly transport: Transport,
    private readonly health: ServerHealth,
    private readonly now: () => number,
    options: ExchangeOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
    this.retries = options.retries ?? DEFAULT_RETRIES;
  }

  /**
   * Ask the zone's servers until one gives a usable response (NOERROR or NXDOMAIN that
   * answers the question). Throws UnreachableError when none did, `aborted` on abort.
   */
  async query(
    endpoints: readonly Endpoint[],
    qname: string,
    qtype: number,
    context: QueryContext,
  ): Promise<{ message: DnsMessage; endpoint: Endpoint }> {
    if (endpoints.length === 0) {
      throw new UnreachableError('no-servers', `zone ${context.zone} has no usable server`, context.zone);
    }
    const query = buildQuery(qname, qtype);
    const failures: Failure[] = [];
    for (let round = 0; round <= this.retries; round++) {
      for (const endpoint of this.health.order(endpoints)) {
        throwIfAborted(context.signal);
        const started = this.now();
        const outcome = await this.attempt(endpoint, query, qname, qtype, context.signal);
        const ms = this.now() - started;
        if ('response' in outcome) {
          this.health.succeeded(endpoint);
          context.trace?.({
            event: 'query',
            zone: context.zone,
            qname,
            qtype: typeToString(qtype),
            server: { url: endpoint.url, host: endpoint.host },
            outcome: describe(outcome.response),
            ms,
          });
          return { message: outcome.response, endpoint };
        }
        throwIfAborted(context.signal);
        this.health.failed(endpoint);
        failures.push(outcome);
        context.trace?.({
          event: 'query',
          zone: context.zone,
          qname,
          qtype: typeToString(qtype),
          server: { url: endpoint.url, host: endpoint.host },
          outcome: `failed: ${outcome.code}: ${outcome.message}`,
          ms,
        });
      }
    }
    throw unreachable(context.zone, pickFailure(failures));
  }

  private async attempt(
    endpoint: Endpoint,
    query: Uint8Array,
    qname: string,
    qtype: number,
    signal: AbortSignal | undefined,
  ): Promise<{ response: DnsMessage } | Failure> {
    const timeout = new AbortController();
    const timer = setTimeout(
      () =>
        timeout.abort(
          new ResolverError('transport-timeout', `${endpoint.host} did not answer in ${this.timeoutMs} ms`),
        ),
      this.timeoutMs,
    );
    const combined = signal === undefined ? timeout.signal : AbortSignal.any([signal, timeout.signal]);
    let bytes: Uint8Array;
    try {
      bytes = await this.transport.send(endpoint, query, { signal: combined });
    } catch (err) {
      throwIfAborted(signal);
      if (timeout.signal.aborted)
        return {
          code: 'timeout',
          message: `${endpoint.host} (${endpoint.url}) did not answer in ${this.timeoutMs} ms`,
        };
      if (err instanceof ResolverError) return { code: failureCode(err.code), message: err.message };
      throw err;
    } finally {
      clearTimeout(timer);
    }
    return checkResponse(bytes, endpoint, qname, qtype);
  }
}

function failureCode(transportCode: string): string {
  switch (transportCode) {
    case 'transport-timeout':
      return 'timeout';
    case 'transport-http':
      return 'http-error';
    case 'transport-response':
      return 'bad-response';
    default:
      return 'network';
  }
}

/** A response we can use, or why not. */
function checkResponse(
  bytes: Uint8Array,
  endpoint: Endpoint,
  qname: string,
  qtype: number,
): { response: DnsMessage } | Failure {
  const who = `${endpoint.host} (${endpoint.url})`;
  let message: DnsMessage;
  try {
    message = decodeMessage(bytes);
  } catch (err) {
    return { code: 'bad-response', message: `${who} sent a malformed message: ${(err as Error).message}` };
  }
  const question = message.questions[0];
  if (
    !message.flags.qr ||
    message.id !== DOH_QUERY_ID ||
    message.flags.opcode !== 0 ||
    message.questions.length !== 1 ||
    question === undefined ||
    question.type !== qtype ||
    question.class !== CLASS_IN ||
    !namesEqual(question.name, qname)
  ) {
    return {
      code: 'bad-response',
      message: `${who} answered another question than ${qname} ${typeToString(qtype)}`,
    };
  }
  if (message.flags.tc) return { code: 'bad-response', message: `${who} sent a truncated answer over https` };
  const rcode = fullRcode(message);
  if (rcode === Rcode.NOERROR || rcode === Rcode.NXDOMAIN) return { response: message };
  const ede = message.edns?.options.find((option) => option.code === EdnsOptionCode.EXTENDED_ERROR);
  let extra = '';
  if (ede !== undefined) {
    try {
      const parsed = parseExtendedError(ede);
      extra =
        parsed.extraText === ''
          ? ` (ede ${parsed.infoCode})`
          : ` (ede ${parsed.infoCode}: ${parsed.extraText})`;
    } catch {
      extra = ' (malformed extended error)';
    }
  }
  if (rcode === Rcode.REFUSED) return { code: 'refused', message: `${who} refused ${qname}${extra}` };
  if (rcode === Rcode.SERVFAIL)
    return { code: 'server-failure', message: `${who} failed on ${qname}${extra}` };
  return { code: 'bad-response', message: `${who} answered rcode ${rcode} for ${qname}${extra}` };
}

/** The most telling failure: a refusal (maybe for want of a token) beats a timeout. */
function pickFailure(failures: readonly Failure[]): Failure {
  const rank = [
    'refused',
    'server-failure',
    'http-error',
    'bad-response',
    'network',
    'timeout',
    'no-servers',
  ];
  return [...failures].sort((a, b) => rank.indexOf(a.code) - rank.indexOf(b.code))[0]!;
}

function unreachable(zone: string, failure: Failure): UnreachableError {
  return new UnreachableError(failure.code, `no server of zone ${zone} answered: ${failure.message}`, zone);
}

function describe(message: DnsMessage): string {
  if (fullRcode(message) === Rcode.NXDOMAIN) return 'nxdomain';
  if (message.answers.length > 0) return 'answer';
  if (message.authorities.some((rr) => rr.type === RRType.NS) && !message.flags.aa) return 'referral';
  return 'nodata';
}
