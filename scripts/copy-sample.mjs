// `node scripts/copy-sample.mjs DIR`: a fresh copy of the sample at DIR/bakery-ia, for runs that may modify it.
import { basename, join, resolve } from 'node:path';
import { copyWorkspace, sampleWorkspace } from './vscode-host.mjs';

const [destinationParent] = process.argv.slice(2);
if (!destinationParent) {
  console.error('usage: node scripts/copy-sample.mjs DIR');
  process.exit(2);
}
const source = sampleWorkspace();
const destination = join(resolve(destinationParent), basename(source));
copyWorkspace(source, destination);
console.log(destination);
