import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, posix, relative, resolve, sep } from 'node:path';
import { unzipSync } from 'fflate';

/** The files of a content package, by their path inside it ("items/TWK-001.xml"). */
export interface PackageFiles {
  list(): string[];
  read(path: string): Uint8Array | undefined;
}

/** Limits that keep a hostile zip from filling memory: a real bank is a few hundred MB at most. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
const MAX_TOTAL_BYTES = 1024 * 1024 * 1024;
const MAX_FILES = 100_000;

export class PackageError extends Error {}

const clean = (p: string) => posix.normalize(p.replace(/\\/g, '/')).replace(/^(\.\/|\/)+/, '');

export function zipPackage(bytes: Uint8Array): PackageFiles {
  let total = 0;
  let count = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        if (f.name.endsWith('/')) return false;
        if (++count > MAX_FILES) throw new PackageError(`the zip holds more than ${MAX_FILES} files`);
        if (f.originalSize > MAX_FILE_BYTES) throw new PackageError(`${f.name} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`);
        total += f.originalSize;
        if (total > MAX_TOTAL_BYTES) throw new PackageError(`the zip unpacks to more than ${MAX_TOTAL_BYTES / 1024 / 1024} MB`);
        return true;
      },
    });
  } catch (e) {
    if (e instanceof PackageError) throw e;
    throw new PackageError(`not a readable zip file: ${(e as Error).message}`);
  }
  const byPath = new Map(Object.entries(files).map(([name, data]) => [clean(name), data]));
  return { list: () => [...byPath.keys()], read: (p) => byPath.get(clean(p)) };
}

/** A package unpacked in a folder; files are read when asked for and never from outside it. */
export function folderPackage(dir: string): PackageFiles {
  const root = resolve(dir);
  const walk = (at: string, out: string[]) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      if (out.length > MAX_FILES) throw new PackageError(`the folder holds more than ${MAX_FILES} files`);
      const full = join(at, entry.name);
      if (entry.isDirectory()) walk(full, out);
      else if (entry.isFile()) out.push(relative(root, full).split(sep).join('/'));
    }
    return out;
  };
  return {
    list: () => walk(root, []),
    read: (p) => {
      const full = resolve(root, clean(p));
      if (full !== root && !full.startsWith(root + sep)) return undefined;
      try {
        return statSync(full).size > MAX_FILE_BYTES ? undefined : readFileSync(full);
      } catch {
        return undefined;
      }
    },
  };
}

/** Where imsmanifest.xml sits: at the root, or in the one folder a zipped folder adds. */
export function findManifest(files: PackageFiles): string | undefined {
  const manifests = files.list().filter((p) => p === 'imsmanifest.xml' || p.endsWith('/imsmanifest.xml'));
  return manifests.sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b))[0];
}
