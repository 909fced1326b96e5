// A child process for the file-write reliability tests. Plain ESM: it imports the transpiled
// adapters from the directory given in WPS_BUILD (see transpile-sources.ts).
//   node write-child.mjs loop <root> <relPath> <fileA> <fileB>
//     Forever: read the file, and write whichever of A / B it is not, through writeFileIfUnchanged.
//     Prints "ready" once, then "w" after each write.
//   node write-child.mjs once <root> <relPath> <expectedHash> <newContentFile> <goFile>
//     Waits until <goFile> exists, then writes once. Prints {"ok":true,"written":…} or {"code":"…"}.
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const build = process.env.WPS_BUILD;
if (!build) throw new Error('WPS_BUILD is not set');
const { writeFileIfUnchanged } = await import(pathToFileURL(path.join(build, 'src/fs/atomic-write.js')).href);
const { hashBytes } = await import(pathToFileURL(path.join(build, 'src/model/content-hash.js')).href);

const [mode, root, relPath, ...rest] = process.argv.slice(2);

if (mode === 'loop') {
  const [fileA, fileB] = rest;
  const a = readFileSync(fileA);
  const b = readFileSync(fileB);
  process.stdout.write('ready\n');
  for (;;) {
    const current = await readFile(path.join(root, relPath));
    const next = current.equals(a) ? b : a;
    await writeFileIfUnchanged(root, relPath, hashBytes(current), next);
    process.stdout.write('w\n');
  }
} else if (mode === 'once') {
  const [expectedHash, newContentFile, goFile] = rest;
  const bytes = readFileSync(newContentFile);
  process.stdout.write('ready\n');
  while (!existsSync(goFile)) await new Promise((resolve) => setTimeout(resolve, 1));
  try {
    const result = await writeFileIfUnchanged(root, relPath, expectedHash, bytes);
    process.stdout.write(`${JSON.stringify({ ok: true, written: result.written })}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ code: error.code ?? 'UNKNOWN', message: String(error.message) })}\n`);
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
