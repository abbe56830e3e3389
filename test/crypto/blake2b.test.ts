/**
 * Known answers for the hand-written BLAKE2b (src/crypto/blake2b.ts, used for minisign's
 * BLAKE2b-256 key checksum): RFC 7693 Appendix A, the RFC's self-test (Appendix E), and
 * node:crypto's blake2b512 as an independent implementation for every input length 0..256
 * and across block boundaries.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { blake2b } from '../../src/crypto/blake2b.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** RFC 7693 Appendix E `selftest_seq`: a Fibonacci-like byte sequence (32-bit arithmetic). */
function selftestSeq(len: number, seed: number): Buffer {
  const out = Buffer.alloc(len);
  let a = Math.imul(0xdead4bad, seed) >>> 0;
  let b = 1;
  for (let i = 0; i < len; i++) {
    const t = (a + b) >>> 0;
    a = b;
    b = t;
    out[i] = t >>> 24;
  }
  return out;
}

/**
 * The keyed half of the RFC 7693 Appendix E self-test: BLAKE2b(in = selftest_seq(inlen, inlen),
 * key = selftest_seq(outlen, outlen)) for outlen 20, 32, 48, 64 × inlen 0, 3, 128, 129, 255,
 * 1024, concatenated in the self-test's order. src/crypto/blake2b.ts has no keyed mode (minisign
 * needs none), so these digests come from the BLAKE2 reference code (CPython's hashlib.blake2b);
 * the RFC's grand hash below pins them together with the project's unkeyed digests.
 */
const KEYED_SELFTEST_DIGESTS =
  'ad75ead79f7121d1f08afe599927a5a38be1b17982799d7be8f4d169fb85e6636a7b6c50a01f70a27d145fe4756ee73b' +
  '9e7873f1c5c08c3ccb134d1fb43f1b98a2faad56db45152455cb2546d36cdd7a3589fa767728b7eecdeb6fb0463cb30d' +
  'bf482ee8cb8e9bf1b43d827cf72fa671d12268a97858dc3d893629475279dfd82a841a8f21a372ed30ccb8ae3462e190' +
  '7f50663f3c036683016a18bb10e0c3a5e59fcefd1a407ab7f1c0361b3f9834774254d3f04cda3898f30f6e381e31a1e8' +
  '4b710cc103bad03cb41f60a69da0b1a3ec633deada962c351636b4448b28e3805416c9b960ed0c2e271eb87661efe826' +
  '0c03d8318705b0521d4eba1f03467518e224f1679846d93ad23fad4fb1adb808c4a21f0e7e7732cf64fab4bda27882cb' +
  'dfd02b1cf3c2cf18e0248766e3972dbd2cf95e16d5f2999ad72c9b4a734eb207e9ddbff00b10c370c89d67d796c3a7b9' +
  '6815a953921bb29759d29d2563f3da4d7f3ea4a6e34c326bef46fa54a2c220da06a84c776e87dd0a21eeb5e9401a0a78' +
  '11197418fe92701577d0a8532448e8b8536aa6c742cd2c6261801fc31461adcfa7072e3312581ffa46a285e7dbaccb65' +
  '1a91f3cf887662a82d43a18057f0b3077226ccfc8dbbcf15699ed0644914a9dc0dca937e7b509416f0ff5b3c9bf2e431' +
  'cd699d1bf3772169371e6d7638e8e47bdf6f467b7a09ba808a6e17a63ac981b127e42539383d21861f9b150194b2ccce' +
  '6a67e5fa46b31cb32b58a56476316dbec73ee8009128473f67c1c43b435cb7ff77ad8e61afa6881d60bc8f7262f4467b' +
  '8253f60dce562fc4d28e532d87964911f9c5d537ec5fea80d74bf31e5ce5d8a25d09215253cad2f8d2fda91009301605' +
  'a68cc3865bb7935bcaff6f2af643a77699e80261a1fd2c80e837b56232f7b146434aa74d7118bb1670fc57e1495fe439' +
  '0d38a1d39705eef6aabbd264c7ce66118d0a87d42594b387dc50188bba61f091d6b34ff54e091e70240183cdb9211f14' +
  '39775cc6e6e93573dddf87e807c146cb2429dce212cfe2aa39c5f4784516b36b8a9f288d304d2dfa477eb637a450c854' +
  '68c8559e3a65d06e7df9889ffcf3c9adce08e9bdbfdd28e74a2fb76dd89a695c8299d323ff96dbf35e2da8b9d51b6a4a' +
  'c58f222ac60cb79b699fede415adc44ded4bd6ff3f74c3347ffc99d05e9020451baafbd83c6fb739c648c1f4aecc038b' +
  '66404c8277ba16bced67d77e3bfa8bc2a94fe355bb6c4ce30d1111c29cf158db6922db8de932139ae30f2845ccc6b8e3' +
  '74499ce69699ee7796cb77a5f16c16c37e518a0c2a6a77cc681030c1d9cfcff64ed9125d17673fc48d8bb540a0b322c7' +
  '2ccd92b5c260343f71a152e9e597258a83ea58edaf612ca1';
describe('BLAKE2b (RFC 7693) known answers', () => {
  it('Appendix A: BLAKE2b-512("abc")', () => {
    expect(hex(blake2b(Buffer.from('abc'), 64))).toBe(
      'ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1' +
        '7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923',
    );
  });

  it('Appendix E self-test: the grand hash over digest lengths 20/32/48/64 and input lengths 0..1024', () => {
    // the generator as the RFC's C computes it (uint32 wrap-around), checked against CPython
    expect(hex(selftestSeq(16, 1024))).toBe('b5b56a1f89a933dc10edfdeae7d1b98b');
    const keyed = Buffer.from(KEYED_SELFTEST_DIGESTS, 'hex');
    expect(keyed.length).toBe(6 * (20 + 32 + 48 + 64));
    const parts: Buffer[] = [];
    let k = 0;
    for (const outlen of [20, 32, 48, 64]) {
      for (const inlen of [0, 3, 128, 129, 255, 1024]) {
        const unkeyed = blake2b(selftestSeq(inlen, inlen), outlen);
        expect(unkeyed.length).toBe(outlen);
        parts.push(unkeyed, keyed.subarray(k, k + outlen));
        k += outlen;
      }
    }
    // the RFC's blake2b_res: BLAKE2b-256 over all 48 digests
    expect(hex(blake2b(Buffer.concat(parts), 32))).toBe('c23a7800d98123bd10f506c61e29da5603d763b8bbad2e737f5e765a7bccd475');
  });

  it('BLAKE2b-256 (minisign key checksum) is its own function, not a truncated BLAKE2b-512', () => {
    expect(hex(blake2b(Buffer.alloc(0), 32))).toBe('0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8');
    expect(hex(blake2b(Buffer.from('abc'), 32))).toBe('bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319');
    expect(hex(blake2b(Buffer.from('The quick brown fox jumps over the lazy dog'), 32))).toBe(
      '01718cec35cd3d796dd00020e0bfecb473ad23457d063b75eff29c0ffa2e58a9',
    );
    const abc512 = blake2b(Buffer.from('abc'), 64);
    expect(hex(blake2b(Buffer.from('abc'), 32))).not.toBe(hex(abc512.subarray(0, 32)));
  });

  it('matches node:crypto blake2b512 for every input length 0..256 and around later block boundaries', () => {
    const lengths = [...Array.from({ length: 257 }, (_, i) => i), 383, 384, 385, 1023, 1024, 1025, 4096 + 1];
    for (const n of lengths) {
      const input = selftestSeq(n, n + 7);
      expect(hex(blake2b(input, 64)), `length ${n}`).toBe(createHash('blake2b512').update(input).digest('hex'));
    }
  });

  it('refuses digest lengths outside 1..64', () => {
    expect(() => blake2b(Buffer.alloc(1), 0)).toThrow(RangeError);
    expect(() => blake2b(Buffer.alloc(1), 65)).toThrow(RangeError);
    expect(blake2b(Buffer.alloc(1), 1).length).toBe(1);
  });
});
