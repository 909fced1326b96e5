// Builds a runnable ESM copy of some src/ directories for child processes spawned by tests.
// Node 20 cannot run TypeScript and there is no build output during tests, so each .ts file is
// transpiled on its own (typescript's transpileModule: no type check, ~ms per file) into a temp
// directory that mirrors src/. Relative imports already end in `.js`, so the output runs as is.
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Transpiles `src/<dir>/**\/*.ts` for each dir into a fresh temp dir; returns that dir (holding `src/`). */
export async function transpileSources(dirs: readonly string[]): Promise<string> {
  const out = await mkdtemp(path.join(tmpdir(), 'wps-transpiled-'));
  await writeFile(path.join(out, 'package.json'), '{"type":"module"}\n');
  for (const dir of dirs) {
    const from = path.join(REPO, 'src', dir);
    for (const entry of await readdir(from, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) continue;
      const file = path.join(entry.parentPath, entry.name);
      const result = ts.transpileModule(await readFile(file, 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
        fileName: file,
      });
      const target = path.join(out, path.relative(REPO, file)).replace(/\.ts$/, '.js');
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, result.outputText);
    }
  }
  return out;
}
