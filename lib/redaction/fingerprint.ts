/**
 * Fingerprints of secrets. What they are for: recognising the same secret across the items of one report and
 * across the reports and packages of one installation ("these three places hold the same key"; "this package
 * still holds the key that leaked last week") without repeating it. Nothing else: they are not ids, and they
 * never let anyone check a guess of a secret.
 *
 * fingerprint = the first 16 hex characters (64 bits) of HMAC-SHA-256(key, secret), synchronous
 * (@noble/hashes) so that the scanners stay synchronous in a worker, a page or Node. The key sits in the same
 * profile as the reports it keys, so whoever holds the profile can compute fingerprints too: a fingerprint is
 * only as safe as the secret is hard to guess. A value a guesser could enumerate (a short or repetitive
 * password, a PIN: under MIN_FINGERPRINT_BITS of Shannon entropy in all) therefore gets no fingerprint at all,
 * only NOT_FINGERPRINTED. The extension and the CLI pass a random key of their own installation
 * (`newFingerprintKey`); the default key serves tests and one-off scripts.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { shannonEntropy } from './values';

const encoder = new TextEncoder();

/** The default key: a fixed domain-separation string, so fingerprints are stable everywhere. */
export const DEFAULT_FINGERPRINT_KEY = 'afp-porter/secret-fingerprint/v1';

/** Hex characters kept of the HMAC (64 bits: no accidental collision in any real number of secrets). */
export const FINGERPRINT_HEX_LENGTH = 16;

/**
 * Below this many bits (length × Shannon entropy per character) a value is guessable offline from its
 * fingerprint: it is not fingerprinted. 60 bits is out of reach of a laptop's HMAC rate for years; a
 * 12-character password of mixed case and digits typed by a person usually falls short, a generated API key
 * is far above.
 */
export const MIN_FINGERPRINT_BITS = 60;

/** What stands where a fingerprint would, for a value too easy to guess to be fingerprinted. */
export const NOT_FINGERPRINTED = 'low-entropy, not fingerprinted';

/** An estimate of the bits a guesser must cover: the value's length × its Shannon entropy per character. */
export function guessingBits(secret: string): number {
  return secret.length * shannonEntropy(secret);
}

/** The first `length` hex characters of HMAC-SHA-256(key, secret), whatever the secret. */
export function keyedDigest(secret: string, key: string, length = FINGERPRINT_HEX_LENGTH): string {
  return bytesToHex(hmac(sha256, encoder.encode(key), encoder.encode(secret))).slice(0, length);
}

/** 16 hex characters identifying a secret without revealing it, or NOT_FINGERPRINTED for a guessable one. */
export function fingerprintSecret(secret: string, key: string = DEFAULT_FINGERPRINT_KEY): string {
  return guessingBits(secret) < MIN_FINGERPRINT_BITS ? NOT_FINGERPRINTED : keyedDigest(secret, key);
}

/** A random key for one installation (extension) or user (CLI): fingerprints only its owner can reproduce. */
export function newFingerprintKey(): string {
  return bytesToHex(crypto.getRandomValues(new Uint8Array(32)));
}
