/** The harness's one error type: a MimiError with a stable code, like every package's. */
import { MimiError } from '@mimi/errors';

export class BenchError extends MimiError {}
