// Test support: a whole benchmark plan over a 20-mapping data set with 1-second runs.
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { benchOwners } from '../lib/data/csi-set.mjs';
import { BENCH_ZONE, prepareDataset } from '../lib/data/dataset.mjs';
import { binaryQueryFile } from '../lib/data/query-file.mjs';
import { buildQuestions, QUERY_MIX } from '../lib/data/query-mix.mjs';
import { runCollect } from '../lib/process.mjs';
import { makeThrowawayCert } from '../lib/tls.mjs';

const N = 20;
const QUERIES = 200;
export const REPO_ROOT = new URL('../..', import.meta.url).pathname;

export const installed = async (command) =>
  (await runCollect('sh', ['-c', `command -v ${command}`])).code === 0;

/** The plan runServers takes, with its data, queries and certificate under `root`. */
export async function tinyPlan(root, { repoRoot = root } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const baseZoneFile = join(REPO_ROOT, 'zones', '4.4.e164.zone');
  const dataset = await prepareDataset({ dir: join(root, 'data'), n: N, seed: 'peers', now, baseZoneFile });
  const owners = benchOwners(N);
  const questions = buildQuestions({ owners, count: QUERIES, seed: 'peers' });
  const queryFile = join(root, 'queries.bin');
  await writeFile(queryFile, binaryQueryFile(questions));
  const tls = await makeThrowawayCert(root);
  const nproc = availableParallelism();
  return {
    runDir: root,
    zone: BENCH_ZONE,
    queryFile,
    questions,
    queries: QUERIES,
    tls,
    samples: QUERY_MIX.map((e) => ({ label: e.label, question: { name: owners[e.from][0], type: e.type } })),
    transports: ['udp', 'doh'],
    takenPorts: new Set(),
    serverCpus: [0],
    clientCpus: nproc > 1 ? [1] : [0],
    durationSeconds: 1,
    warmupSeconds: 1,
    rounds: 2,
    clients: 2,
    outstanding: 10,
    dohClient: (await installed('h2load')) ? 'h2load' : 'dnsperf',
    dohMethod: 'GET',
    serverContext: { repoRoot, zone: BENCH_ZONE, seed: 'peers', cores: 1, tls, dataset: dataset.paths },
  };
}
