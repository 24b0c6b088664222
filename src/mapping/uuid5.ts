const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const W = new Int32Array(80);
/** The hash's first four words (the UUID needs 128 bits), kept here rather than returned in a new array per id. */
const H = new Int32Array(4);
const utf8 = new TextEncoder();
let message = new Uint8Array(256);
/** Reads `message` as big-endian 32-bit words, as SHA-1 wants, in one step a word. */
let words = new DataView(message.buffer);
/** Where the name's UTF-8 goes, after the 16 namespace bytes. */
let nameBytes = message.subarray(16);

/**
 * A UUID version 5 generator for one namespace (RFC 9562 section 5.5: SHA-1 of namespace
 * bytes + UTF-8 name, version and variant bits set), in plain JavaScript.
 *
 * Why not `uuid`'s v5 or node:crypto: deterministic ids are the mapping's hottest
 * operation (a maternity record needs about 45). `uuid`'s v5 takes ~5 µs an id (it parses
 * the namespace and converts the name character by character on every call) and a native
 * SHA-1 ~1.7 µs (hash object set-up and the call into C++); this takes ~0.6 µs for the
 * one or two SHA-1 blocks an id's name fills (bench/README.md). The output is
 * identical to `uuid`'s v5, including its URIError for a name with a lone surrogate.
 *
 * @example const id = uuidV5('5b0f3a57-2c1e-4c47-9a2b-8a6f1d3e9c10'); id('maternity|RHM|…')
 */
export function uuidV5(namespace: string): (name: string) => string {
  const ns = Uint8Array.from(namespace.replace(/-/g, '').match(/../g) ?? [], (h) => parseInt(h, 16));
  if (ns.length !== 16) throw new TypeError(`not a UUID: ${namespace}`);
  return function uuidV5Of(name: string): string {
    sha1(encode(ns, name));
    return format();
  };
}

/** Writes namespace + UTF-8 name + SHA-1 padding into `message`; returns the padded length. */
function encode(ns: Uint8Array, name: string): number {
  const room = 16 + name.length * 3 + 72;
  if (message.length < room) {
    message = new Uint8Array(room * 2);
    words = new DataView(message.buffer);
    nameBytes = message.subarray(16);
  }
  message.set(ns, 0);
  // TextEncoder in one native call rather than a loop over the characters: ids' names are
  // joined strings, and the loop's charCodeAt first had to flatten them (~35% of an id).
  // Only a name with a non-ASCII character encodes to more bytes than it has characters;
  // only then can it hold a lone surrogate, which encodeInto would quietly replace.
  const written = utf8.encodeInto(name, nameBytes).written;
  if (written !== name.length && LONE_SURROGATE.test(name)) throw new URIError('URI malformed');
  const n = 16 + written;
  const padded = (((n + 8) >> 6) + 1) << 6;
  message[n] = 0x80;
  message.fill(0, n + 1, padded);
  const bits = n * 8;
  message[padded - 5] = Math.floor(bits / 2 ** 32);
  message[padded - 4] = bits >>> 24;
  message[padded - 3] = bits >>> 16;
  message[padded - 2] = bits >>> 8;
  message[padded - 1] = bits;
  return padded;
}

/** SHA-1 (FIPS 180-4) of the first `length` bytes of `message`; its first four 32-bit words go to `H`. */
function sha1(length: number): void {
  let h0 = 0x67452301, h1 = 0xefcdab89 | 0, h2 = 0x98badcfe | 0, h3 = 0x10325476, h4 = 0xc3d2e1f0 | 0;
  for (let off = 0; off < length; off += 64) {
    for (let i = 0; i < 16; i++) W[i] = words.getInt32(off + i * 4);
    for (let i = 16; i < 80; i++) {
      const x = W[i - 3]! ^ W[i - 8]! ^ W[i - 14]! ^ W[i - 16]!;
      W[i] = (x << 1) | (x >>> 31);
    }
    let a = h0, b = h1, c = h2, d = h3, e = h4, t: number;
    // Four loops rather than one with a branch per round: V8 keeps each tight. Ch and Maj
    // in their equivalent forms with one operation fewer: d ^ (b & (c ^ d)) and (b & c) | (d & (b | c)).
    for (let i = 0; i < 20; i++) { t = (((a << 5) | (a >>> 27)) + (d ^ (b & (c ^ d))) + e + 0x5a827999 + W[i]!) | 0; e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = t; }
    for (let i = 20; i < 40; i++) { t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + W[i]!) | 0; e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = t; }
    for (let i = 40; i < 60; i++) { t = (((a << 5) | (a >>> 27)) + ((b & c) | (d & (b | c))) + e + (0x8f1bbcdc | 0) + W[i]!) | 0; e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = t; }
    for (let i = 60; i < 80; i++) { t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + (0xca62c1d6 | 0) + W[i]!) | 0; e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = t; }
    h0 = (h0 + a) | 0; h1 = (h1 + b) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0; h4 = (h4 + e) | 0;
  }
  H[0] = h0;
  H[1] = h1;
  H[2] = h2;
  H[3] = h3;
}

/** The first 128 bits (`H`) as a UUID, with version 5 (byte 6) and the RFC variant (byte 8). */
function format(): string {
  const h0 = H[0]!, h3 = H[3]!;
  const v = (H[1]! & 0xffff0fff) | 0x5000;
  const r = (H[2]! & 0x3fffffff) | 0x80000000;
  const b = (w: number, shift: number) => HEX[(w >>> shift) & 0xff]!;
  return `${b(h0, 24)}${b(h0, 16)}${b(h0, 8)}${b(h0, 0)}-${b(v, 24)}${b(v, 16)}-${b(v, 8)}${b(v, 0)}-${b(r, 24)}${b(r, 16)}-${b(r, 8)}${b(r, 0)}${b(h3, 24)}${b(h3, 16)}${b(h3, 8)}${b(h3, 0)}`;
}
