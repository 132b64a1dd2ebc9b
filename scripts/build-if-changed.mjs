// `npm start` compiles only when what the build reads changed since the last build: a hash of the
// sources and build settings is kept beside the output, and a matching one skips `nest build`.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stampFile = join(root, 'dist', '.source-hash');
const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json', 'package-lock.json'];

function files(path) {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  try {
    return readdirSync(full, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))
      .flatMap((entry) => (entry.isDirectory() ? files(join(path, entry.name)) : [join(path, entry.name)]));
  } catch {
    return [path]; // a file, not a directory
  }
}

const hash = createHash('sha256');
for (const file of inputs.flatMap(files)) hash.update(file).update('\0').update(readFileSync(join(root, file))).update('\0');
const digest = hash.digest('hex');

const built = existsSync(join(root, 'dist', 'main.js')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === digest;
if (!built) {
  process.stdout.write('Compiling (the sources changed since the last build)...\n');
  execFileSync(join(root, 'node_modules', '.bin', 'nest'), ['build'], { cwd: root, stdio: 'inherit' });
  writeFileSync(stampFile, digest);
}

// The explorer (web/), built on its own: `nest build` neither reads nor empties web/dist.
const { buildWebIfChanged } = await import('./build-web-if-changed.mjs');
buildWebIfChanged();
