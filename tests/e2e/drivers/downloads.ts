/**
 * Files the browser finished saving in the profile's download folder. Chromium writes `.crdownload` files first;
 * Firefox writes an empty placeholder under the final name plus a `.part` file that takes its place once whole.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SavedFile } from './driver';

const UNFINISHED = /\.(part|crdownload)$/;

export function savedFiles(dir: string): SavedFile[] {
  const names = readdirSync(dir);
  return names
    .filter((name) => !UNFINISHED.test(name) && !names.includes(`${name}.part`))
    .map((name) => ({ name, path: path.join(dir, name), stat: statSync(path.join(dir, name)) }))
    .filter(({ stat }) => stat.size > 0)
    .sort((a, b) => a.stat.mtimeMs - b.stat.mtimeMs)
    .map(({ name, path: file }) => ({ name, path: file, bytes: new Uint8Array(readFileSync(file)) }));
}
