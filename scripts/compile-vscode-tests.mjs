// Bundles test/vscode into out/test/vscode for `npm run test:desktop` (test-vscode.mjs does this itself).
import { compileVsCodeTests } from './vscode-host.mjs';

await compileVsCodeTests();
