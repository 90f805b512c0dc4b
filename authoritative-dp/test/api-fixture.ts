/**
 * A test network for the management API tests: the root (apex + CSIP zone with the
 * test CSIPs) and one authoritative DP `tel` serving +44 and +1, with helpers to post
 * objects and to read back what the DP serves at a CSI's name over DoH.
 */
import { csiOwnerName, type DnsMessage, normalizeCsi, type ResourceRecord, RRType } from '@mimi/protocol';
import {
  type AuthoritativeSpec,
  DEFAULT_AUTHORITATIVES,
  dohQuery,
  postObject,
  startTestNetwork,
  type TestCsip,
  type TestNetwork,
  type TestServer,
} from '@mimi/test-support';

export interface ApiNetwork {
  readonly net: TestNetwork;
  readonly tel: TestServer;
  csip(id: string): TestCsip;
  post(endpoint: 'mappings' | 'removals', object: Uint8Array): Promise<{ status: number; json: unknown }>;
  /** The DoH answer at the CSI's owner name for `type` (DO set). */
  query(csi: string, type: number): Promise<DnsMessage>;
  /** RDATA of the MSPMAP RRset served for `csi` (empty when denied). */
  mspmap(csi: string): Promise<Uint8Array[]>;
  stop(): Promise<void>;
}

export function ownerOf(csi: string): string {
  return csiOwnerName(normalizeCsi(csi));
}

export function rdatasOf(records: readonly ResourceRecord[], type: number): Uint8Array[] {
  return records.filter((record) => record.type === type).map((record) => Uint8Array.from(record.rdata));
}

export async function startApiNetwork(
  telArgs: readonly string[] = ['--api-rate-limit', '0'],
): Promise<ApiNetwork> {
  const telSpec: AuthoritativeSpec = { ...DEFAULT_AUTHORITATIVES[0]!, args: telArgs };
  const net = await startTestNetwork({ authoritatives: [telSpec] });
  const tel = net.authoritative('tel');
  const query = (csi: string, type: number) => dohQuery(tel.doh, net.ca, { name: ownerOf(csi), type });
  return {
    net,
    tel,
    csip(id) {
      const found = net.csips.get(id);
      if (found === undefined) throw new TypeError(`no test csip ${id}`);
      return found;
    },
    post: (endpoint, object) => postObject(tel.api, endpoint, object, net.ca),
    query,
    mspmap: async (csi) => rdatasOf((await query(csi, RRType.MSPMAP)).answers, RRType.MSPMAP),
    stop: () => net.stop(),
  };
}
