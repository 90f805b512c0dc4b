/**
 * The contract with the query engine (packages/authority), re-exported so the rest of
 * server-core imports it from one place. server-core calls `answer` only on an
 * answer-cache miss, after the per-client miss limiter let the query through.
 */
export type { QueryEngine, QuestionKey, ResponseSections } from '@mimi/authority';
