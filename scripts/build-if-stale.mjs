// `npm start` runs the compiled JavaScript in dist/. Run before it (npm's prestart), this builds dist/ when it is
// missing or older than a source file, so `npm ci && npm start` works as written on a checkout. It does nothing
// where there are no sources to build from (the production image carries only dist/ and runs node directly).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const SOURCES = ['src', 'jobs', 'commands', 'types'];

/** The newest modification time of a .ts file under the source folders (0 when there are none). */
function newestSource() {
  let newest = 0;
  for (const dir of SOURCES.map((d) => join(root, d)).filter((d) => existsSync(d))) {
    for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
      if (file.endsWith('.ts')) newest = Math.max(newest, statSync(join(dir, file)).mtimeMs);
    }
  }
  return newest;
}

const entry = join(root, 'dist', 'src', 'main.js');
const built = existsSync(entry) ? statSync(entry).mtimeMs : 0;
const newest = newestSource();
if (newest > 0 && built <= newest) {
  process.stderr.write(
    existsSync(entry) ? 'sources changed: rebuilding dist/\n' : 'building dist/ (first start)\n',
  );
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
