import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { librarySource } from '../../../components/library/source';
import { PorterDatabase } from '../../../lib/store/db';
import { hostOf, matchesSearch } from '../../../lib/store/search';
import type { WorkerRequest } from '../../../lib/protocol';

let db: PorterDatabase;
beforeEach(() => {
  db = new PorterDatabase(`source-${Math.random()}`);
});
afterEach(() => db.delete());

describe('library source', () => {
  it('asks the worker to save a package and passes its answer or its message on', async () => {
    const asked: WorkerRequest[] = [];
    const answers: unknown[] = [
      { ok: true, data: { savedAs: 'Banking Assistant (2).zip' } },
      {
        ok: false,
        error: {
          code: 'DOWNLOAD_FAILED',
          message: 'This package is not in the cache any more.',
          retryable: false,
        },
      },
      'garbage',
    ];
    const source = librarySource(db, async (request) => {
      asked.push(request);
      return answers.shift();
    });
    await expect(source.download('p1')).resolves.toBe('Banking Assistant (2).zip');
    await expect(source.download('p2')).rejects.toThrow('This package is not in the cache any more.');
    await expect(source.download('p3')).rejects.toThrow('AFP Porter did not answer. Try again.');
    expect(asked).toEqual(['p1', 'p2', 'p3'].map((packageId) => ({ type: 'package:download', packageId })));
    expect(await source.list()).toEqual([]);
    expect(await source.setKeep(7)).toBe(7);
    expect(await source.keep()).toBe(7);
  });
});

describe('search', () => {
  it('reads a host with its port, and anything else as written', () => {
    expect(hostOf('http://127.0.0.1:4780')).toBe('127.0.0.1:4780');
    expect(hostOf('file')).toBe('file');
  });

  it('matches every word in any letter case and Unicode form', () => {
    const meta = {
      workflowName: 'Onboarding / KYC: Ünïcode',
      versionName: 'v2 Draft',
      origin: 'https://process.kore.ai',
    };
    expect(matchesSearch(meta as never, 'ünïcode DRAFT kore')).toBe(true);
    expect(matchesSearch(meta as never, 'kyc v3')).toBe(false);
    expect(matchesSearch(meta as never, '   ')).toBe(true);
  });
});
