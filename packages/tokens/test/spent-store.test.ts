/** The double-spend store: per key, bounded, dropped with its key. */
import { describe, expect, it } from 'vitest';
import { SpentTokenStore } from '../src/spent-store.js';

const nonce = (n: number) => new Uint8Array(32).fill(n);

describe('SpentTokenStore', () => {
  it('says fresh once and replayed after, per key', () => {
    const store = new SpentTokenStore(10);
    expect(store.spend('aa', nonce(1))).toBe('fresh');
    expect(store.spend('aa', nonce(1))).toBe('replayed');
    expect(store.spend('bb', nonce(1))).toBe('fresh');
    expect(store.count('aa')).toBe(1);
  });

  it('compares nonces by value, also through views', () => {
    const store = new SpentTokenStore(10);
    const big = new Uint8Array(64).fill(7);
    expect(store.spend('aa', big.subarray(10, 42))).toBe('fresh');
    expect(store.spend('aa', nonce(7))).toBe('replayed');
    expect(store.spend('aa', nonce(8))).toBe('fresh');
  });

  it('is full at its bound and keeps what it has', () => {
    const store = new SpentTokenStore(2);
    expect(store.spend('aa', nonce(1))).toBe('fresh');
    expect(store.spend('aa', nonce(2))).toBe('fresh');
    expect(store.spend('aa', nonce(3))).toBe('full');
    expect(store.spend('aa', nonce(1))).toBe('replayed');
    expect(store.spend('bb', nonce(3))).toBe('fresh');
  });

  it('drops the keys whose epochs ended', () => {
    const store = new SpentTokenStore(10);
    store.spend('aa', nonce(1));
    store.spend('bb', nonce(1));
    store.retainOnly(new Set(['bb']));
    expect(store.keys).toEqual(['bb']);
    expect(store.spend('aa', nonce(1))).toBe('fresh');
  });
});
