// A child process for tests that kill or signal a store holder. Prints "ready" once it holds what it
// was asked to hold, then waits to be killed.
//   open-and-exit <embeddedDir|postgresUrl>         open (migrating), close, exit 0
//   open-report-memory <embeddedDir>                open, print {"externalMb": …} (WebAssembly memory is external), close
//   hold-store <embeddedDir|postgresUrl>            open the store (closeOnSignals), insert a domain
//   hold-repository-lock <postgresUrl> <key>        inside withRepositoryLock, insert a domain, wait
import { withRepositoryLock } from '../../../src/db/advisory-lock.js';
import { closeOnSignals } from '../../../src/db/close-on-signals.js';
import { openStore } from '../../../src/db/store.js';

const [mode, where, key] = process.argv.slice(2);
if (!mode || !where) throw new Error('usage: store-holder.ts <mode> <where> [key]');
const isUrl = /^postgres(ql)?:\/\//.test(where);
const store = await openStore({
  databaseUrl: isUrl ? where : undefined,
  embeddedDir: isUrl ? '/nonexistent-unused' : where,
  command: 'store-holder test child',
});
closeOnSignals(store);

const forever = () => new Promise<never>(() => setInterval(() => {}, 60_000));

if (mode === 'open-and-exit') {
  console.log('ready');
  await store.close();
} else if (mode === 'open-report-memory') {
  console.log(JSON.stringify({ externalMb: Math.round(process.memoryUsage().external / 1024 / 1024) }));
  console.log('ready');
  await store.close();
} else if (mode === 'hold-store') {
  await store.prisma.domain.create({ data: { slug: `child-${process.pid}`, name: 'written by the child' } });
  console.log('ready');
  await forever();
} else if (mode === 'hold-repository-lock') {
  await withRepositoryLock(store.sql, key ?? 'repo', async (tx) => {
    await tx.$executeRawUnsafe(
      `INSERT INTO domains (id, slug, name) VALUES (gen_random_uuid(), $1, 'written under the lock')`,
      `locked-${process.pid}`,
    );
    console.log('ready');
    await forever();
  });
} else {
  throw new Error(`unknown mode ${mode}`);
}
