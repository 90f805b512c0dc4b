/**
 * One HTTP GET through an undici pool's low-level `dispatch` (undici's DispatchHandler
 * API), collecting the body as bytes: what a DoH query needs (RFC 8484 §4.1, §4.2.1)
 * and nothing else. `pool.request` does the same through a RequestHandler bound to an
 * AsyncResource, a Readable body and its async iterator, which together cost bulk
 * resolution's busy thread more than the HTTP/2 stream itself
 * (docs/benchmarks-resolver.md).
 *
 * Settles once: with the body of the final response, or with the first failure — what
 * `checkHead` throws for its status and content type (before any of the body is read),
 * the caller's abort (its signal's reason), a body over `maxOctets` (`tooLarge()`), or
 * undici's error. Each failure but undici's own also ends the stream.
 */
import type { Dispatcher } from 'undici';

export interface GetOptions {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly signal: AbortSignal;
  readonly maxOctets: number;
  /** The failure for a body over `maxOctets`. */
  readonly tooLarge: () => Error;
  /** Throws when the final response's status or content type ('' when absent) is unusable. */
  readonly checkHead: (status: number, contentType: string) => void;
}

/** The reason an aborted signal gives (an Error, as AbortSignal.reason usually is). */
function reasonOf(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(String(reason));
}

export function getBytes(dispatcher: Dispatcher, options: GetOptions): Promise<Uint8Array> {
  const { signal } = options;
  if (signal.aborted) return Promise.reject(reasonOf(signal));
  return new Promise<Uint8Array>((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let settled = false;
    let length = 0;
    const chunks: Buffer[] = [];
    const finish = (): boolean => {
      if (settled) return false;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      return true;
    };
    const fail = (err: Error): void => {
      if (finish()) reject(err);
    };
    const end = (stream: Dispatcher.DispatchController, err: Error): void => {
      if (!stream.aborted) stream.abort(err);
      fail(err);
    };
    // Aborted while queued in the pool: the stream is ended when it starts (onRequestStart).
    const onAbort = (): void => {
      const reason = reasonOf(signal);
      if (controller !== undefined && !controller.aborted) controller.abort(reason);
      fail(reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(started) {
        controller = started;
        if (settled) started.abort(signal.aborted ? reasonOf(signal) : new Error('request settled'));
      },
      onResponseStart(stream, statusCode, headers) {
        // 1xx informational responses come before the final one (RFC 9110 §15.2).
        if (statusCode < 200 || settled) return;
        const type = headers['content-type'];
        try {
          options.checkHead(statusCode, String(type ?? ''));
        } catch (err) {
          end(stream, err instanceof Error ? err : new Error(String(err)));
        }
      },
      onResponseData(stream, chunk) {
        if (settled) return;
        length += chunk.length;
        if (length > options.maxOctets) {
          end(stream, options.tooLarge());
          return;
        }
        chunks.push(chunk);
      },
      onResponseEnd() {
        if (!finish()) return;
        // Our own copy: undici's chunks may be views of a larger shared buffer.
        resolve(chunks.length === 1 ? new Uint8Array(chunks[0]!) : new Uint8Array(Buffer.concat(chunks)));
      },
      onResponseError(_controller, error) {
        fail(error);
      },
    };
    dispatcher.dispatch({ method: 'GET', path: options.path, headers: options.headers }, handler);
  });
}
