// Worker-thread entry for parse-pool.ts: prepares the files it is sent, replies in order.
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkplanConfig } from '../model/config.js';
import { prepareFile } from '../reconcile/prepare-file.js';
import type { FileToPrepare } from './parse-pool.js';

const config = (workerData as { config: WorkplanConfig }).config;

parentPort?.on('message', (msg: { start: number; files: FileToPrepare[] }) => {
  const results = msg.files.map((f) => prepareFile(f, config));
  parentPort?.postMessage({ start: msg.start, results });
});
