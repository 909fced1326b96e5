// Worker-thread entry for the parser threads (src/app/parse-pool.ts): prepares the files it is sent,
// returns them in order. The thread's composition root: it may import the pure step it runs.
import Tinypool from 'tinypool';
import type { FileToPrepare } from '../app/parse-pool.js';
import { prepareFile, type PreparedFile } from '../reconcile/prepare-file.js';
import type { WorkplanConfig } from '../model/config.js';

const config = (Tinypool.workerData as { config: WorkplanConfig }).config;

/** One batch of files → their prepared forms, in order. */
export default function prepareBatch(files: FileToPrepare[]): PreparedFile[] {
  return files.map((f) => prepareFile(f, config));
}
