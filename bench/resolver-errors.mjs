/**
 * The one error of the stub-resolver benchmark: a MimiError with a stable `code`
 * (`bad-option`, `publish-refused`, `not-found`, `pin-failed`, …) so a failed run says
 * exactly what went wrong.
 */
import { MimiError } from '@mimi/errors';

export class BenchError extends MimiError {}
