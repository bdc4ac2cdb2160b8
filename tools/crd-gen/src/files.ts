import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderCrdFiles } from './render';

/** Writes every CRD file and removes stale generated ones; returns the paths written. */
export async function writeCrdFiles(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = renderCrdFiles();
  const wanted = new Set(files.map((f) => f.fileName));
  for (const existing of await readdir(dir)) {
    if (existing.endsWith('.yaml') && !wanted.has(existing)) await rm(join(dir, existing));
  }
  for (const file of files) await writeFile(join(dir, file.fileName), file.content);
  return files.map((f) => join(dir, f.fileName));
}

/** The names of CRD files that are missing, stale, or different from what the schemas generate. */
export async function findDrift(dir: string): Promise<string[]> {
  const files = renderCrdFiles();
  const wanted = new Set(files.map((f) => f.fileName));
  const existing = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.yaml'));
  const drift = existing.filter((f) => !wanted.has(f)).map((f) => `${f} (stale)`);
  for (const file of files) {
    const committed = await readFile(join(dir, file.fileName), 'utf8').catch(() => undefined);
    if (committed === undefined) drift.push(`${file.fileName} (missing)`);
    else if (committed !== file.content) drift.push(`${file.fileName} (differs)`);
  }
  return drift;
}
