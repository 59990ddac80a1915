// Bundles the extension, the CLI and the benchmark with esbuild. `--production` minifies (used by `npm run package`).
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// `--only=extension` builds one entry: the VS Code test host and `npm start` need only the extension bundle.
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);

const common = {
  bundle: true,
  outdir: 'dist',
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['vscode'],
  sourcemap: true,
  minify: production,
  logLevel: 'info',
};

const builds = [
  { entryPoints: { extension: 'src/vscode/extension.ts' } },
  { entryPoints: { cli: 'src/cli/main.ts' }, banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: { bench: 'scripts/bench.ts' } },
]
  .filter((build) => Object.values(build.entryPoints).every((file) => existsSync(file)))
  .filter((build) => only === undefined || only in build.entryPoints);

if (watch) {
  for (const build of builds) {
    const context = await esbuild.context({ ...common, ...build });
    await context.watch();
  }
} else {
  await Promise.all(builds.map((build) => esbuild.build({ ...common, ...build })));
}
