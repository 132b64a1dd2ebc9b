// Builds the explorer (web/ -> web/dist, with Vite) when what the build reads changed since the last
// build: a hash of web/ (without its output) and the lock file is kept in web/dist/.source-hash.
// Used by `npm start` (through build-if-changed.mjs) and by the explorer's browser tests.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stampFile = join(root, 'web', 'dist', '.source-hash');

function files(path) {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  try {
    return readdirSync(full, { withFileTypes: true })
      .filter((entry) => !(path === 'web' && entry.name === 'dist'))
      .sort((a, b) => a.name.localeCompare(b.name))
      .flatMap((entry) => (entry.isDirectory() ? files(join(path, entry.name)) : [join(path, entry.name)]));
  } catch {
    return [path]; // a file, not a directory
  }
}

export function buildWebIfChanged() {
  const hash = createHash('sha256');
  for (const file of ['web', 'package-lock.json'].flatMap(files)) hash.update(file).update('\0').update(readFileSync(join(root, file))).update('\0');
  const digest = hash.digest('hex');
  const built = existsSync(join(root, 'web', 'dist', 'index.html')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === digest;
  if (built) return false;
  process.stdout.write('Building the explorer (web/ changed since the last build)...\n');
  execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', 'web', '--logLevel', 'warn'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
  });
  writeFileSync(stampFile, digest);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) buildWebIfChanged();
