// Compiles our TypeScript, and the ES-module-only packages among the dependencies (NestJS 12 and
// some of its own), to CommonJS for Jest. Node runs those packages from this CommonJS app itself
// (require(esm)), but Jest's module loader cannot on Node 20. CommonJS files pass through as they are.
const { existsSync, readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const swcJest = require('@swc/jest');

const typescript = swcJest.createTransformer({
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
});
const esModule = swcJest.createTransformer({
  jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022', keepClassNames: true },
  module: { type: 'commonjs', importInterop: 'node' },
});

const packageTypes = new Map();
function isEsModule(file) {
  if (file.endsWith('.mjs')) return true;
  if (file.endsWith('.cjs')) return false;
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    if (packageTypes.has(dir)) return packageTypes.get(dir);
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const type = JSON.parse(readFileSync(manifest, 'utf8')).type === 'module';
      packageTypes.set(dir, type);
      return type;
    }
  }
  return false;
}

module.exports = {
  canInstrument: false,
  process(source, file, options) {
    if (file.endsWith('.ts')) return typescript.process(source, file, options);
    if (isEsModule(file)) return esModule.process(source, file, options);
    return { code: source };
  },
  getCacheKey(source, file, options) {
    return `${isEsModule(file)}:${typescript.getCacheKey(source, file, options)}`;
  },
};
