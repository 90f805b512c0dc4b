/**
 * Small HTTPS clients for integration tests against our servers: one HTTP/2 request
 * (node:http2, trusting a given CA), a DoH query (RFC 8484 §4.1 POST with
 * `application/dns-message`, with a Privacy Pass token for DPs that demand one, DESIGN §7)
 * decoded with the protocol codec, and a JSON POST for the management API (DESIGN §7).
 */
import { connect, type IncomingHttpHeaders } from 'node:http2';
import {
  buildEdns,
  type DnsMessage,
  decodeMessage,
  encodeMessage,
  NO_FLAGS,
  tokenOption,
} from '@mimi/protocol';
import { TestNetworkError } from './server-process.js';

export interface HttpsResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface HttpsRequest {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array | string;
  /** PEM of the CA that signed the server's certificate. */
  readonly ca: string | Buffer;
  readonly timeoutMs?: number;
}

/** One request on a fresh HTTP/2 connection. */
export function httpsRequest(url: string, request: HttpsRequest): Promise<HttpsResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const session = connect(target.origin, { ca: request.ca });
    const fail = (err: unknown) => {
      session.destroy();
      reject(err);
    };
    session.once('error', fail);
    const timer = setTimeout(
      () => fail(new TestNetworkError('https-timeout', `no answer from ${url}`)),
      request.timeoutMs ?? 10_000,
    );
    const stream = session.request({
      ':method': request.method ?? 'GET',
      ':path': `${target.pathname}${target.search}`,
      ...(request.headers ?? {}),
    });
    let headers: IncomingHttpHeaders | undefined;
    const chunks: Buffer[] = [];
    const done = () => {
      clearTimeout(timer);
      session.close();
      resolve({ status: Number(headers![':status']), headers: headers!, body: Buffer.concat(chunks) });
    };
    // A server that answers early (413 before the whole body) may reset the stream while
    // we still send: once its response has arrived, that is its answer, not a failure.
    stream.once('error', (err) => (headers === undefined ? fail(err) : done()));
    stream.once('response', (received) => {
      headers = received;
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', done);
    if (request.body !== undefined) stream.end(request.body);
    else stream.end();
  });
}

export interface DohQuestion {
  readonly name: string;
  readonly type: number;
  /** Set the DO bit (RFC 3225): ask for RRSIGs. Default true. */
  readonly dnssecOk?: boolean;
  /** A Privacy Pass token (RFC 9577 `Token` bytes) to send in EDNS option 65001. */
  readonly token?: Uint8Array;
}

/** A query to a DoH URL; the decoded response (HTTP status other than 200 is an error). */
export async function dohQuery(
  dohUrl: string,
  ca: string | Buffer,
  question: DohQuestion,
): Promise<DnsMessage> {
  const query = encodeMessage({
    id: 0,
    flags: NO_FLAGS,
    questions: [{ name: question.name, type: question.type, class: 1 }],
    answers: [],
    authorities: [],
    additionals: [],
    edns: buildEdns({
      do: question.dnssecOk ?? true,
      options: question.token === undefined ? [] : [tokenOption(question.token)],
    }),
  });
  const response = await httpsRequest(dohUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/dns-message', accept: 'application/dns-message' },
    body: query,
    ca,
  });
  if (response.status !== 200) {
    throw new TestNetworkError('doh-status', `doh ${dohUrl} answered http ${response.status}`);
  }
  return decodeMessage(response.body);
}

/** `POST <apiBase>/v1/<endpoint>` with `{"object": "<base64url>"}`; the status and parsed JSON body. */
export async function postObject(
  apiBase: string,
  endpoint: 'mappings' | 'removals',
  object: Uint8Array,
  ca: string | Buffer,
): Promise<{ status: number; json: unknown }> {
  const body = JSON.stringify({ object: Buffer.from(object).toString('base64url') });
  const response = await httpsRequest(`${apiBase}/v1/${endpoint}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    ca,
  });
  let json: unknown;
  try {
    json = JSON.parse(response.body.toString('utf8'));
  } catch {
    json = undefined;
  }
  return { status: response.status, json };
}
