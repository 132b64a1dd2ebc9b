import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface PackageJson {
  name: string;
  version: string;
  description: string;
  vgDatashare: { apiReleased: string };
}

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as PackageJson;

/** Facts about this build, from package.json. */
export const SERVICE_INFO = {
  name: pkg.name,
  version: pkg.version,
  description: pkg.description,
  released: pkg.vgDatashare.apiReleased,
} as const;
