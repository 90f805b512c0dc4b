/**
 * RFC 9180 base mode on node:crypto (src/hpke.ts) against @hpke/core, the independent
 * implementation: the same ephemeral key gives the same enc, ciphertext and exported
 * secret; each side opens what the other sealed; DeriveKeyPair (§7.1.3) agrees; and the
 * X25519 all-zero shared secret is refused (§7.1.4).
 */
import { Aes128Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';
import { describe, expect, it } from 'vitest';
import { OdohError } from '../src/errors.js';
import { exportSecret, openBase, sealBase } from '../src/hpke.js';
import { deriveX25519, generateX25519 } from '../src/x25519.js';

const suite = new CipherSuite({
  kem: new DhkemX25519HkdfSha256(),
  kdf: new HkdfSha256(),
  aead: new Aes128Gcm(),
});
const encoder = new TextEncoder();
const hex = (bytes: ArrayBuffer | Uint8Array) => Buffer.from(bytes as Uint8Array).toString('hex');
const seed = (byte: number) => new Uint8Array(32).fill(byte);

const cases = [
  {
    name: 'odoh query info, short aad',
    info: 'odoh query',
    aad: Uint8Array.of(1, 0, 2, 9, 9),
    plaintext: 'dns',
  },
  { name: 'empty info and aad', info: '', aad: new Uint8Array(0), plaintext: 'x'.repeat(300) },
  { name: 'long info', info: 'i'.repeat(200), aad: new Uint8Array(64).fill(7), plaintext: 'answer' },
];

describe('RFC 9180 DeriveKeyPair (X25519)', () => {
  it.each([0x00, 0x5a, 0xff])('derives the same key pair as @hpke/core from ikm %#', async (byte) => {
    const ours = deriveX25519(seed(byte));
    const theirs = await suite.kem.deriveKeyPair(seed(byte));
    expect(hex(ours.publicKey)).toBe(hex(await suite.kem.serializePublicKey(theirs.publicKey)));
  });
});

describe.each(cases)('RFC 9180 base mode: $name', ({ info, aad, plaintext }) => {
  const infoBytes = encoder.encode(info);
  const pt = encoder.encode(plaintext);

  it('seals byte for byte like @hpke/core given the same ephemeral key', async () => {
    const recipient = await suite.kem.deriveKeyPair(seed(1));
    const recipientPublic = new Uint8Array(await suite.kem.serializePublicKey(recipient.publicKey));
    const ephemeralIkm = seed(2);
    const ours = sealBase(recipientPublic, infoBytes, aad, pt, { ephemeral: deriveX25519(ephemeralIkm) });
    const sender = await suite.createSenderContext({
      recipientPublicKey: recipient.publicKey,
      info: infoBytes,
      ekm: await suite.kem.deriveKeyPair(ephemeralIkm),
    });
    const theirs = await sender.seal(pt, aad);
    expect(hex(ours.enc)).toBe(hex(sender.enc));
    expect(hex(ours.ciphertext)).toBe(hex(theirs));
    const context = encoder.encode('odoh response');
    expect(hex(exportSecret(ours.exporterSecret, context, 16))).toBe(hex(await sender.export(context, 16)));
  });

  it('opens what @hpke/core sealed, exporting the same secret', async () => {
    const recipient = deriveX25519(seed(3));
    const sender = await suite.createSenderContext({
      recipientPublicKey: await suite.kem.deserializePublicKey(recipient.publicKey),
      info: infoBytes,
    });
    const sealed = new Uint8Array(await sender.seal(pt, aad));
    const opened = openBase(recipient, new Uint8Array(sender.enc), infoBytes, aad, sealed);
    expect(Buffer.from(opened.plaintext).toString()).toBe(plaintext);
    const context = encoder.encode('odoh response');
    expect(hex(exportSecret(opened.exporterSecret, context, 16))).toBe(hex(await sender.export(context, 16)));
  });

  it('seals what @hpke/core opens', async () => {
    const recipient = await suite.kem.deriveKeyPair(seed(4));
    const recipientPublic = new Uint8Array(await suite.kem.serializePublicKey(recipient.publicKey));
    const ours = sealBase(recipientPublic, infoBytes, aad, pt);
    const opener = await suite.createRecipientContext({
      recipientKey: recipient,
      enc: ours.enc,
      info: infoBytes,
    });
    expect(Buffer.from(await opener.open(ours.ciphertext, aad)).toString()).toBe(plaintext);
  });
});

describe('RFC 9180 base mode: refusals', () => {
  const recipient = generateX25519();
  const info = encoder.encode('odoh query');
  const aad = new Uint8Array(0);

  it('refuses a ciphertext sealed with another aad', () => {
    const sealed = sealBase(recipient.publicKey, info, Uint8Array.of(1), encoder.encode('q'));
    expect(() => openBase(recipient, sealed.enc, info, Uint8Array.of(2), sealed.ciphertext)).toThrow(
      expect.objectContaining({ code: 'odoh-decrypt' }),
    );
  });

  it('refuses a ciphertext sealed with another info', () => {
    const sealed = sealBase(recipient.publicKey, info, aad, encoder.encode('q'));
    expect(() =>
      openBase(recipient, sealed.enc, encoder.encode('odoh other'), aad, sealed.ciphertext),
    ).toThrow(expect.objectContaining({ code: 'odoh-decrypt' }));
  });

  // Small-order X25519 points: DH with any of them is all zeros (RFC 9180 §7.1.4).
  it.each([
    ['zero point', '0000000000000000000000000000000000000000000000000000000000000000'],
    ['point of order 1 (u = 1)', '0100000000000000000000000000000000000000000000000000000000000000'],
    ['point of order 8', 'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800'],
  ])('refuses an encapsulated key that is a small-order point: %s', (_name, encHex) => {
    const sealed = sealBase(recipient.publicKey, info, aad, encoder.encode('q'));
    let error: unknown;
    try {
      openBase(recipient, new Uint8Array(Buffer.from(encHex, 'hex')), info, aad, sealed.ciphertext);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(OdohError);
    expect((error as OdohError).code).toBe('odoh-decrypt');
    expect((error as OdohError).message).toMatch(/small-order/);
  });

  it('refuses an encapsulated key of the wrong length', () => {
    expect(() => openBase(recipient, new Uint8Array(31), info, aad, new Uint8Array(20))).toThrow(
      expect.objectContaining({
        code: 'odoh-malformed',
        message: 'x25519 public key is 31 bytes, x25519 keys are 32',
      }),
    );
  });
});
