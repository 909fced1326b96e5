// The library's public API (src/index.ts) is pinned: every exported name, values and types, sorted, is
// compared with public-exports.txt. An export added or removed on purpose updates that list in the same
// commit (UPDATE_PUBLIC_EXPORTS=1 rewrites it); one changed by accident fails here.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expect, it } from 'vitest';

const INDEX = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
const LIST = fileURLToPath(new URL('./public-exports.txt', import.meta.url));

function publicExportNames(): string[] {
  const program = ts.createProgram([INDEX], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(INDEX)!)!;
  return checker
    .getExportsOfModule(module)
    .map((s) => s.getName())
    .sort();
}

it('the public API exports exactly the committed list of names', () => {
  const names = publicExportNames();
  if (process.env.UPDATE_PUBLIC_EXPORTS) writeFileSync(LIST, `${names.join('\n')}\n`);
  const committed = readFileSync(LIST, 'utf8').split('\n').filter(Boolean);
  expect(names).toEqual(committed);
}, 60_000);
