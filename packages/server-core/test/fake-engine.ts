/**
 * A canned QueryEngine for server-core tests: answers from a table, counts calls,
 * lets a test fire change notifications, and says which zones it serves. Real-engine
 * integration tests live with the servers.
 */
import type { QueryEngine, QuestionKey, ResponseSections } from '@mimi/authority';
import { nameToWire, type ResourceRecord, RRType } from '@mimi/protocol';

export interface EngineCall {
  readonly question: QuestionKey;
  readonly dnssecOk: boolean;
  readonly now: number;
}

export function aRecord(name: string, address: string, ttl = 300): ResourceRecord {
  return { name, type: RRType.A, class: 1, ttl, rdata: Uint8Array.from(address.split('.').map(Number)) };
}

/** A TXT record whose one string is `length` octets of `fill`. */
export function txtRecord(name: string, length: number, fill = 0x61, ttl = 300): ResourceRecord {
  const rdata = new Uint8Array(1 + length).fill(fill);
  rdata[0] = length;
  return { name, type: RRType.TXT, class: 1, ttl, rdata };
}

/** A stand-in RRSIG: only its presence matters to server-core. */
export function fakeRrsig(name: string, ttl = 300): ResourceRecord {
  return { name, type: RRType.RRSIG, class: 1, ttl, rdata: new Uint8Array(90).fill(7) };
}

export function nsRecord(name: string, target: string, ttl = 3600): ResourceRecord {
  return { name, type: RRType.NS, class: 1, ttl, rdata: nameToWire(target) };
}

export class FakeEngine implements QueryEngine {
  readonly calls: EngineCall[] = [];
  readonly table = new Map<string, Omit<ResponseSections, 'answers'> & { answers: ResourceRecord[] }>();
  zoneList: string[] = ['example.', 'mimi.arpa.'];
  reloads = 0;
  failReload = false;
  throwOn: string | null = null;
  private readonly listeners: ((names: string[]) => void)[] = [];

  /** Serve `records` for (name, type) with this cache lifetime. */
  set(
    name: string,
    type: number,
    records: ResourceRecord[],
    cacheSeconds = 300,
    invalidationName = name,
    keepSeconds?: number,
  ): void {
    this.table.set(`${name}|${type}`, {
      rcode: 0,
      aa: true,
      answers: records,
      authorities: [],
      additionals: [],
      invalidationName,
      cacheSeconds,
      ...(keepSeconds === undefined ? {} : { keepSeconds }),
    });
  }

  answer(question: QuestionKey, dnssecOk: boolean, now: number): ResponseSections {
    this.calls.push({ question, dnssecOk, now });
    if (this.throwOn === question.name) throw new TypeError('engine exploded');
    const canned = this.table.get(`${question.name}|${question.type}`);
    if (canned === undefined) {
      // NODATA-like: empty NOERROR, cacheable.
      return {
        rcode: 0,
        aa: true,
        answers: [],
        authorities: [],
        additionals: [],
        invalidationName: question.name,
        cacheSeconds: 60,
      };
    }
    const answers = dnssecOk ? [...canned.answers, fakeRrsig(question.name)] : [...canned.answers];
    return { ...canned, answers, authorities: [...canned.authorities], additionals: [...canned.additionals] };
  }

  onChange(listener: (names: string[]) => void): void {
    this.listeners.push(listener);
  }

  emitChange(names: string[]): void {
    for (const listener of this.listeners) listener(names);
  }

  async reload(): Promise<void> {
    this.reloads++;
    if (this.failReload) throw new Error('zone file broken');
  }

  zones(): string[] {
    return this.zoneList;
  }
}
