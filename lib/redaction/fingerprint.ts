/**
 * Fingerprints of secrets: a short, stable, non-reversible label that lets a report say "these three places hold
 * the same secret" without repeating it.
 *
 * fingerprint = first 8 hex characters of HMAC-SHA-256(key, secret), synchronous (@noble/hashes) so the scanners
 * stay synchronous in a worker, a page or Node. With the default key anyone can test a guess of a weak secret
 * against a fingerprint; the extension and the CLI therefore pass a key of their own installation
 * (`fingerprintKey`), and the default serves tests and one-off scripts.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

const encoder = new TextEncoder();

/** The default key: a fixed domain-separation string, so fingerprints are stable everywhere. */
export const DEFAULT_FINGERPRINT_KEY = 'afp-porter/secret-fingerprint/v1';

/** 8 hex characters identifying a secret without revealing it. */
export function fingerprintSecret(secret: string, key: string = DEFAULT_FINGERPRINT_KEY): string {
  return bytesToHex(hmac(sha256, encoder.encode(key), encoder.encode(secret))).slice(0, 8);
}

/** A random key for one installation (extension) or user (CLI): fingerprints only its owner can reproduce. */
export function newFingerprintKey(): string {
  return bytesToHex(crypto.getRandomValues(new Uint8Array(32)));
}
