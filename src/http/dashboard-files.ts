// The dashboard's files: plain HTML, CSS and JavaScript modules in the package's `dashboard/` folder
// (shipped as they are: no build step, adr/0012). Read once when the server starts; only the files
// found there are served (a request names a file, never a path).
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder beside src/ and dist/ (this module is src/http/… or dist/http/…). */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../dashboard/', import.meta.url));

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export interface DashboardFiles {
  /** The page every dashboard route answers. */
  page: string;
  assets: Map<string, { bytes: Uint8Array<ArrayBuffer>; type: string; etag: string }>;
}

export async function loadDashboardFiles(dir = DASHBOARD_DIR): Promise<DashboardFiles> {
  const page = await readFile(join(dir, 'index.html'), 'utf8');
  const assets: DashboardFiles['assets'] = new Map();
  for (const name of await readdir(dir)) {
    const type = TYPES[extname(name)];
    if (!type) continue;
    const bytes = new Uint8Array(await readFile(join(dir, name)));
    assets.set(name, { bytes, type, etag: `"${createHash('sha1').update(bytes).digest('hex')}"` });
  }
  return { page, assets };
}
