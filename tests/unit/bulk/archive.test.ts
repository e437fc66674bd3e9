import { describe, expect, it } from 'vitest';
import { bulkArchiveName, FolderNames, INDEX_FILE } from '../../../lib/bulk/archive';
import { isPortableFileName, utf8Length } from '../../../lib/package/filename';

describe('bulk archive names', () => {
  it('is "<Account name> workflows <date>.zip", with the local date', () => {
    expect(bulkArchiveName('Sandbox Bank', new Date(2026, 11, 2, 23, 59))).toBe(
      'Sandbox Bank workflows 2026-12-02.zip',
    );
  });

  it('makes a hostile account name safe and keeps the date when the name is long', () => {
    const name = bulkArchiveName(`ACME: "Ops" / ${'Ü'.repeat(200)}`, new Date(2026, 0, 5));
    expect(isPortableFileName(name)).toBe(true);
    expect(name.startsWith("ACME - 'Ops' - Ü")).toBe(true);
    expect(name.endsWith(' workflows 2026-01-05.zip')).toBe(true);
    expect(utf8Length(name)).toBeLessThanOrEqual(130);
  });
});

describe('folder names', () => {
  it('are safe, and unique even when names give the same file name or differ only in case', () => {
    const folders = new FolderNames();
    expect(
      ['Ops: Intake', 'Ops / Intake', 'ops - intake', 'Claims', 'CON', INDEX_FILE].map((name) =>
        folders.next(name),
      ),
    ).toEqual([
      'Ops - Intake',
      'Ops - Intake (2)',
      'ops - intake (3)',
      'Claims',
      'CON_',
      `${INDEX_FILE} (2)`,
    ]);
  });

  it('stay within the file-name limit with their number', () => {
    const folders = new FolderNames();
    const long = 'Workflow '.repeat(40);
    const first = folders.next(long);
    const second = folders.next(long);
    expect(second).toMatch(/ \(2\)$/);
    expect(utf8Length(second)).toBeLessThanOrEqual(utf8Length(first));
    expect(isPortableFileName(second)).toBe(true);
  });
});
