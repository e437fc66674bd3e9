/** Formats not tied to one provider: private keys, JSON Web Tokens, Kubernetes secrets. */
import type { Rule } from '../types';
import { isPlaceholder, shannonEntropy } from '../values';
import { E, token } from './define';

export const FORMAT_RULES: Rule[] = [
  {
    id: 'private-key-pem',
    description: 'PEM private key block (RSA, EC, DSA, OpenSSH, PGP, PKCS#8)',
    label: 'PRIVATE_KEY',
    priority: 1,
    keywords: ['private key'],
    notPlaceholder: true,
    regex:
      /-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]{0,16384}?-----END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----|(?:[A-Za-z0-9+/=\s:,-]|\\[nr]){0,16384})/g,
    // Key material between the markers: an empty block (`-----BEGIN … KEY----------END … KEY-----`) holds none.
    validate: (secret) => /[A-Za-z0-9+/]{16}/.test(secret.replace(/-----[^-]*-----/g, '')),
    covers: ['private-key'],
  },
  {
    id: 'putty-private-key',
    description: 'PuTTY private key file (PuTTY-User-Key-File-2/3 … Private-MAC)',
    label: 'PRIVATE_KEY',
    priority: 1,
    keywords: ['putty-user-key-file-'],
    notPlaceholder: true,
    // The whole file, from its first line to its MAC (in a JSON string or its escaped text alike).
    regex: /PuTTY-User-Key-File-[23]:[\s\S]{0,16384}?Private-(?:MAC|Hash):\s{0,2}[0-9a-fA-F]{40,64}/g,
    validate: (secret) => /Private-Lines:\s{0,2}\d+(?:\r?\n|\\[rn])+[A-Za-z0-9+/]{16}/.test(secret),
    covers: [],
  },
  {
    id: 'jwt',
    description: 'JSON Web Token (eyJ….eyJ….…)',
    label: 'JWT',
    priority: 2,
    bounded: true,
    keywords: ['eyj'],
    regex: new RegExp(`eyJ[A-Za-z0-9_-]{8,4096}\\.[A-Za-z0-9_-]{8,8192}\\.[A-Za-z0-9_-]{0,4096}${E}`, 'g'),
    covers: ['jwt'],
  },
  token('jwt', 'Base64-encoded JSON Web Token (ZXlK…)', ['zxlk'], 'ZXlK[A-Za-z0-9+/]{40,8192}={0,2}', {
    covers: ['jwt-base64'],
    label: 'JWT',
    entropy: 3,
  }),
  {
    id: 'kubernetes-secret-yaml',
    description: 'A value under data: of a Kubernetes Secret manifest (kind: Secret)',
    label: 'KUBERNETES_SECRET',
    priority: 3,
    keywords: ['secret'],
    when: (_text, lower) => lower().includes('data:') && /kind:\s{0,4}["']?secret\b/.test(lower()),
    regex: /^[ \t]{1,16}([\w.-]{1,64}):[ \t]{0,4}["']?([A-Za-z0-9+/]{10,8192}={0,3})["']?[ \t]*$/gm,
    group: 2,
    labelGroup: 1,
    validate: (secret) => !isPlaceholder(secret) && shannonEntropy(secret) >= 3,
    covers: ['kubernetes-secret-yaml'],
  },
];
