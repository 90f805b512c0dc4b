/**
 * The servers under test, in the order they run. Each entry is:
 *
 *   id, name            key and display name
 *   transports          'udp' (Do53) and/or 'doh' (RFC 8484)
 *   readyTimeoutMs      how long it may take to load the data and answer
 *   version(ctx)        its version; throws when it cannot run here
 *   prepare(ctx)        writes its own config under ctx.dir; returns {command, args}
 *   settled?({logFile, alive})  optional: resolves once background start-up work is done
 *
 * ctx: { repoRoot, dir, zone, seed, cores, ports: {udp, doh}, tls: {certFile, keyFile,
 * certPem}, dataset: {baseZone, keyDir, db, peerZone} }. Adding a server is one more file.
 */
import { bind } from './bind.mjs';
import { knot } from './knot.mjs';
import { nodeFloor } from './node-floor.mjs';
import { nsd } from './nsd.mjs';
import { ours } from './ours.mjs';

export const SERVERS = Object.freeze([ours, bind, nsd, knot, nodeFloor]);
