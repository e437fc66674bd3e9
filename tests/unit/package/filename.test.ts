import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isPortableFileName,
  MAX_STEM_BYTES,
  packageFileName,
  safeFileStem,
  utf8Length,
} from '../../../lib/package/filename.ts';

describe('packageFileName', () => {
  it.each([
    ['Banking Assistant', 'Banking Assistant.zip'],
    ['Onboarding / KYC: "Tier-1" ✓ Ünïcode', "Onboarding - KYC - 'Tier-1' ✓ Ünïcode.zip"],
    ['a\\b|c', 'a - b - c.zip'],
    ['Score > 5? <yes> *', 'Score _ 5_ _yes_ _.zip'],
    ['  lots   of\t\tspace\n ', 'lots of space.zip'],
    ['name.', 'name.zip'],
    ['name. . ', 'name.zip'],
    ['.hidden', 'hidden.zip'],
    ['~temp~', 'temp.zip'],
    ['a~b', 'a~b.zip'],
    ['-rf', 'rf.zip'],
    ['v1.2 flow', 'v1.2 flow.zip'],
    ['Zero\u200Bwidth\uFEFF\u202Eflip', 'Zerowidthflip.zip'],
    ['bell\u0007char', 'bell char.zip'],
    ['日本語のワークフロー', '日本語のワークフロー.zip'],
    ['🏦 Bank 🇮🇳', '🏦 Bank 🇮🇳.zip'],
    ['👨‍👩‍👧 family', '👨👩👧 family.zip'],
    ['', 'workflow.zip'],
    ['   ', 'workflow.zip'],
    ['...', 'workflow.zip'],
    ['///', 'workflow.zip'],
  ])('%j → %j', (input, expected) => {
    expect(packageFileName(input)).toBe(expected);
  });

  it.each([
    ['CON', 'CON_.zip'],
    ['con', 'con_.zip'],
    ['nul', 'nul_.zip'],
    ['Com1', 'Com1_.zip'],
    ['LPT9', 'LPT9_.zip'],
    ['COM¹', 'COM¹_.zip'],
    ['aux.v2', 'aux_.v2.zip'],
    ['PRN ', 'PRN_.zip'],
    ['desktop.ini', 'desktop.ini_.zip'],
    ['CONSOLE', 'CONSOLE.zip'],
    ['COM10', 'COM10.zip'],
  ])('reserved Windows name %j → %j', (input, expected) => {
    expect(packageFileName(input)).toBe(expected);
  });

  it('NFC-normalises', () => {
    expect(packageFileName('Ünïcode'.normalize('NFD'))).toBe('Ünïcode.zip'.normalize('NFC'));
  });

  it(`caps the stem at ${MAX_STEM_BYTES} UTF-8 bytes on a character boundary`, () => {
    const ascii = packageFileName('a'.repeat(500));
    expect(ascii).toBe(`${'a'.repeat(MAX_STEM_BYTES)}.zip`);
    const accented = safeFileStem('é'.repeat(100));
    expect(utf8Length(accented)).toBe(120);
    const emoji = safeFileStem('😀'.repeat(100));
    expect(emoji).toBe('😀'.repeat(30));
    // never splits a flag (two code points) or a letter with a combining mark
    const flags = safeFileStem('🇮🇳'.repeat(40));
    expect(flags).toBe('🇮🇳'.repeat(15));
    const cut = safeFileStem(`${'a'.repeat(119)} b`);
    expect(cut).toBe('a'.repeat(119)); // trailing space trimmed after the cut
  });

  it('always gives a portable name, idempotently (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.string({ unit: 'grapheme', maxLength: 200 }),
          fc.string({ maxLength: 50 }),
        ),
        (name) => {
          const file = packageFileName(name);
          expect(file.endsWith('.zip')).toBe(true);
          expect(isPortableFileName(file), file).toBe(true);
          const stem = file.slice(0, -4);
          expect(utf8Length(stem)).toBeLessThanOrEqual(MAX_STEM_BYTES);
          expect(stem.length).toBeGreaterThan(0);
          expect(packageFileName(stem)).toBe(file);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('isPortableFileName refuses what Chrome and file systems refuse', () => {
    for (const bad of [
      'a/b.zip',
      'a:b.zip',
      '.zip',
      '.hidden.zip',
      'x.zip ',
      '~x.zip',
      'CON.zip',
      'lpt1.txt.zip',
      'a\u200db.zip',
      'a\u0001.zip',
      '',
    ]) {
      expect(isPortableFileName(bad), bad).toBe(false);
    }
    expect(isPortableFileName('Banking Assistant.zip')).toBe(true);
  });
});
