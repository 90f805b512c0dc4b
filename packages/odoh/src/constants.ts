/**
 * Constants of Oblivious DoH (RFC 9230) and of the one HPKE cipher suite it makes
 * mandatory (RFC 9230 §9; RFC 9180 §7). Each value cites the sentence it implements.
 */

/** RFC 9230 §5: "The version of Oblivious DoH specified in this document is 0x0001." */
export const ODOH_VERSION = 0x0001;

/** RFC 9230 §9: "KEM: DHKEM(X25519, HKDF-SHA256)" — RFC 9180 §7.1 table 2, value 0x0020. */
export const KEM_X25519_HKDF_SHA256 = 0x0020;
/** RFC 9230 §9: "KDF: HKDF-SHA256" — RFC 9180 §7.2 table 3, value 0x0001. */
export const KDF_HKDF_SHA256 = 0x0001;
/** RFC 9230 §9: "AEAD: AES-128-GCM" — RFC 9180 §7.3 table 5, value 0x0001. */
export const AEAD_AES_128_GCM = 0x0001;

/** RFC 9180 §7.1 table 2: Nsecret, Nenc and Npk of DHKEM(X25519, HKDF-SHA256) are 32. */
export const X25519_KEY_LENGTH = 32;
/** RFC 9180 §7.2 table 3: Nh of HKDF-SHA256 is 32. */
export const NH = 32;
/** RFC 9180 §7.3 table 5: AES-128-GCM has Nk = 16, Nn = 12, Nt = 16. */
export const NK = 16;
export const NN = 12;
export const NT = 16;

/** RFC 9230 §8 step 6: "resp_nonce = random(max(Nn, Nk))". */
export const RESPONSE_NONCE_LENGTH = Math.max(NN, NK);

/** RFC 9230 §6.1: "Query messages use message_type 0x01, and Response messages use message_type 0x02." */
export const MESSAGE_TYPE_QUERY = 0x01;
export const MESSAGE_TYPE_RESPONSE = 0x02;

/** Labels of RFC 9230 §6.1 (key_id) and §6.2 (encrypt_query_body, derive_secrets). */
export const LABEL_KEY_ID = 'odoh key id';
export const LABEL_QUERY = 'odoh query';
export const LABEL_RESPONSE = 'odoh response';
export const LABEL_KEY = 'odoh key';
export const LABEL_NONCE = 'odoh nonce';

/** RFC 9230 §12.1: the media type of every ObliviousDoHMessage. */
export const ODOH_MEDIA_TYPE = 'application/oblivious-dns-message';

/**
 * Where a target publishes its ObliviousDoHConfigs over HTTPS (DESIGN §7; RFC 9230 §5
 * leaves discovery open). The same bytes are the ODOHCFG RDATA at `_odoh.<host>`.
 */
export const WELL_KNOWN_CONFIGS_PATH = '/.well-known/odohconfigs';

/**
 * Block sizes for padding (RFC 9230 §11: "Implementations SHOULD follow the guidance for
 * choosing padding length in [RFC8467]"; RFC 8467 §4.1: "Clients SHOULD pad queries to
 * the closest multiple of 128 octets", "Servers SHOULD pad responses to a multiple of
 * 468 octets").
 */
export const QUERY_PADDING_BLOCK = 128;
export const RESPONSE_PADDING_BLOCK = 468;

/** RFC 9230 §6.1: `opaque dns_message<1..2^16-1>` and `opaque padding<0..2^16-1>`. */
export const MAX_VECTOR16 = 0xffff;
