/**
 * The test helpers' error, and the server processes they drive: `ServerProcess` lives in
 * @mimi/demo (the demo and the tests start servers the same way) and is re-exported here.
 */
import { MimiError } from '@mimi/errors';

/** A failure of the test network helpers (a server the network lacks, a request that timed out). */
export class TestNetworkError extends MimiError {}

export { type ListeningLine, type LogLine, ServerProcess, type SpawnOptions } from '@mimi/demo';
