import { MimiError } from '@mimi/errors';

/** The demo network could not be set up or started; `code` says which step. */
export class DemoError extends MimiError {}
