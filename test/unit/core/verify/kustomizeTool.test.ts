import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as nodePath from 'node:path';
import { buildArguments, findKustomizeTool, kustomizeVersion, NO_KUSTOMIZE_MESSAGE } from '../../../../src/core/verify/kustomizeTool';

describe('verify/kustomizeTool', () => {
  let bin: string;
  let other: string;

  beforeEach(() => {
    bin = mkdtempSync(nodePath.join(tmpdir(), 'relayout-bin-'));
    other = mkdtempSync(nodePath.join(tmpdir(), 'relayout-bin-'));
  });
  afterEach(() => {
    rmSync(bin, { recursive: true, force: true });
    rmSync(other, { recursive: true, force: true });
  });

  function executable(folder: string, name: string, output: string): string {
    const path = nodePath.join(folder, name);
    writeFileSync(path, `#!/bin/sh\necho '${output}'\n`);
    chmodSync(path, 0o755);
    return path;
  }

  it('prefers kustomize to kubectl on PATH', () => {
    executable(bin, 'kubectl', '');
    executable(other, 'kustomize', '');
    const lookup = findKustomizeTool(undefined, { PATH: `${bin}${nodePath.delimiter}${other}` });
    assert.deepEqual(lookup, { status: 'found', tool: { executable: nodePath.join(other, 'kustomize'), flavor: 'kustomize' } });
    const kubectlOnly = findKustomizeTool(undefined, { PATH: bin });
    assert.deepEqual(kubectlOnly, { status: 'found', tool: { executable: nodePath.join(bin, 'kubectl'), flavor: 'kubectl' } });
  });

  it('says what to do when nothing is found, and ignores files that are not executable', () => {
    writeFileSync(nodePath.join(bin, 'kubectl'), 'not executable');
    assert.deepEqual(findKustomizeTool(undefined, { PATH: bin }), { status: 'missing', message: NO_KUSTOMIZE_MESSAGE });
  });

  it('takes an explicit binary over RELAYOUT_KUSTOMIZE over PATH, and rejects one that cannot run', () => {
    const explicit = executable(other, 'kubectl-1.32', '');
    const fromEnv = executable(other, 'my-kustomize', '');
    executable(bin, 'kustomize', '');
    const env = { PATH: bin, RELAYOUT_KUSTOMIZE: fromEnv };
    assert.deepEqual(findKustomizeTool(explicit, env), { status: 'found', tool: { executable: explicit, flavor: 'kubectl' } });
    assert.deepEqual(findKustomizeTool(undefined, env), { status: 'found', tool: { executable: fromEnv, flavor: 'kustomize' } });
    const byName = findKustomizeTool('kustomize', { PATH: bin });
    assert.equal(byName.status === 'found' && byName.tool.executable, nodePath.join(bin, 'kustomize'));
    const invalid = findKustomizeTool(nodePath.join(other, 'absent'), env);
    assert.equal(invalid.status, 'invalid');
    assert.match(invalid.status === 'invalid' ? invalid.message : '', /absent/);
  });

  it('builds with the right sub-command and reads the version', async () => {
    const kubectl = { executable: executable(bin, 'kubectl', 'Client Version: v1.32.4\nKustomize Version: v5.5.0'), flavor: 'kubectl' as const };
    const kustomize = { executable: executable(other, 'kustomize', 'v5.6.1'), flavor: 'kustomize' as const };
    assert.deepEqual(buildArguments(kubectl, '/w/a'), ['kustomize', '/w/a']);
    assert.deepEqual(buildArguments(kustomize, '/w/a'), ['build', '/w/a']);
    assert.equal(await kustomizeVersion(kubectl), 'v5.5.0');
    assert.equal(await kustomizeVersion(kustomize), 'v5.6.1');
  });
});
