// Writing a generated corpus to disk as a git-less repository (workplans/, adr/), and copying it.
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import type { Corpus } from './corpus.js';

/** Writes every file of `corpus` under `root` (created if missing). */
export async function writeCorpus(root: string, corpus: Corpus): Promise<void> {
  const dirs = new Set(corpus.files.map((f) => dirname(join(root, f.path))));
  await Promise.all([...dirs].map((d) => mkdir(d, { recursive: true })));
  for (let i = 0; i < corpus.files.length; i += 64) {
    await Promise.all(corpus.files.slice(i, i + 64).map((f) => writeFile(join(root, f.path), f.text)));
  }
}

/** A fresh copy of a written corpus (its files only; no store). */
export async function copyCorpus(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  await cp(join(from, 'workplans'), join(to, 'workplans'), { recursive: true });
  await cp(join(from, 'adr'), join(to, 'adr'), { recursive: true });
}
