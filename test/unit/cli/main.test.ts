import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as nodePath from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../src/cli/main';
import { findKustomizeTool } from '../../../src/core/verify/kustomizeTool';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

interface RunOptions {
  isTTY?: boolean;
  /** What a person types at the prompt. */
  answer?: string;
  env?: NodeJS.ProcessEnv;
}

let root: string;

async function run(argv: string[], options: RunOptions = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const stdin = new PassThrough();
  if (options.answer !== undefined) stdin.end(options.answer);
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin,
    isTTY: options.isTTY ?? false,
    cwd: root,
    env: options.env ?? process.env,
  });
  return { code, stdout, stderr };
}

function write(path: string, text: string): void {
  mkdirSync(nodePath.dirname(nodePath.join(root, path)), { recursive: true });
  writeFileSync(nodePath.join(root, path), text);
}

/** Every file below the root (`.relayout/` left out) with a hash of its bytes. */
function treeHashes(): Record<string, string> {
  const hashes: Record<string, string> = {};
  const walk = (folder: string): void => {
    for (const name of readdirSync(nodePath.join(root, folder))) {
      const path = folder ? `${folder}/${name}` : name;
      if (path === '.relayout') continue;
      if (statSync(nodePath.join(root, path)).isDirectory()) walk(path);
      else hashes[path] = createHash('sha256').update(readFileSync(nodePath.join(root, path))).digest('hex');
    }
  };
  walk('');
  return hashes;
}

const TREE: Record<string, string> = {
  'k8s/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - service.yaml\n',
  'k8s/base/deployment.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers: [{name: web, image: "nginx:1.27"}]\n',
  'k8s/base/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n',
  'k8s/overlays/dev/kustomization.yaml': 'namespace: dev\nresources:\n  - ../../base\n',
  'scripts/deploy.sh': '#!/bin/sh\nkubectl apply -k k8s/overlays/dev\n',
  'README.md': '# Demo\n\nSee [the base](k8s/base/kustomization.yaml).\n',
};

describe('cli/main', function () {
  this.timeout(60_000);

  beforeEach(() => {
    root = mkdtempSync(nodePath.join(tmpdir(), 'relayout-cli-'));
    for (const [path, text] of Object.entries(TREE)) write(path, text);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  describe('help, version and bad input', () => {
    it('prints help and the version with exit 0', async () => {
      const help = await run(['--help']);
      assert.equal(help.code, 0);
      assert.match(help.stdout, /Usage: relayout \[--root DIR\] COMMAND/);
      for (const command of ['inventory', 'refs', 'move', 'verify', 'rollback', 'recover']) assert.match(help.stdout, new RegExp(`\\n  ${command} `));
      const moveHelp = await run(['move', '--help']);
      assert.equal(moveHelp.code, 0);
      assert.match(moveHelp.stdout, /relayout move --moves FILE\.json/);
      const version = await run(['--version']);
      assert.equal(version.code, 0);
      assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
    });

    it('exits 2 with a one-line error naming the problem', async () => {
      const cases: [string[], RegExp][] = [
        [[], /missing command/],
        [['frobnicate'], /unknown command 'frobnicate'/],
        [['plan'], /no plan: relayout\.yaml does not exist/],
        [['apply', '--yes'], /exactly one of --phase ID, --step ID or --all/],
        [['import-proposal', 'missing.md'], /cannot read missing\.md: ENOENT/],
        [['inventory', '--yes'], /unknown flag --yes for 'inventory'/],
        [['move', 'a'], /'move' needs FROM and TO/],
        [['verify', '--format', 'xml'], /unknown --format 'xml'/],
        [['verify', '--json', '--format', 'sarif'], /cannot be combined/],
        [['--root', 'nowhere', 'inventory'], /cannot read root .*nowhere: ENOENT/],
        [['--root', 'README.md', 'inventory'], /is not a folder/],
        [['refs', 'no/such/file.yaml'], /no\/such\/file\.yaml does not exist and nothing references it/],
        [['refs', '../outside.yaml'], /is outside the root/],
        [['verify', '--baseline', 'absent.json'], /cannot read baseline .*absent\.json: ENOENT/],
        [['verify', '--kustomize-bin', './no-kustomize'], /kustomize binary not found or not executable: .*no-kustomize/],
      ];
      for (const [argv, message] of cases) {
        const result = await run(argv);
        assert.equal(result.code, 2, argv.join(' '));
        assert.equal(result.stdout, '', argv.join(' '));
        assert.match(result.stderr, message, argv.join(' '));
        assert.equal(result.stderr.trimEnd().split('\n').length, 1, `one line for ${argv.join(' ')}: ${result.stderr}`);
      }
    });
  });

  describe('inventory', () => {
    it('counts files by kind, as text and as pure JSON', async () => {
      const text = await run(['inventory']);
      assert.equal(text.code, 0);
      assert.match(text.stdout, /^6 files in \d+ folders/);
      assert.match(text.stdout, /kustomization\s+2/);
      const json = await run(['inventory', '--json']);
      assert.equal(json.code, 0);
      const inventory = JSON.parse(json.stdout);
      assert.equal(inventory.totalFiles, 6);
      assert.equal(inventory.byKind.kustomization, 2);
    });

    it('honours --root relative to the working directory', async () => {
      const json = await run(['--root', 'k8s', 'inventory', '--json']);
      assert.equal(JSON.parse(json.stdout).totalFiles, 4);
    });
  });

  describe('refs', () => {
    it('lists the whole graph, and as JSON with the resolution of each reference', async () => {
      const text = await run(['refs']);
      assert.equal(text.code, 0);
      assert.match(text.stdout, /k8s\/overlays\/dev\/kustomization\.yaml:3:5 {2}kustomize\.resources {2}\.\.\/\.\.\/base → k8s\/base/);
      const json = await run(['refs', '--json']);
      const graph = JSON.parse(json.stdout);
      const resource = graph.references.find((ref: { text: string }) => ref.text === 'service.yaml');
      assert.equal(resource.target, 'k8s/base/service.yaml');
      assert.equal(resource.exists, true);
    });

    it('shows what references a file and what the file references, with resolution status', async () => {
      write('k8s/base/kustomization.yaml', TREE['k8s/base/kustomization.yaml'] + '  - gone.yaml\n');
      const incoming = await run(['refs', 'k8s/base/service.yaml']);
      assert.equal(incoming.code, 0);
      assert.match(incoming.stdout, /Referenced by \(1\):\n {2}k8s\/base\/kustomization\.yaml:3:5 {2}kustomize\.resources {2}service\.yaml\n/);
      const outgoing = await run(['refs', 'k8s/base/kustomization.yaml']);
      assert.match(outgoing.stdout, /3:5 {2}kustomize\.resources {2}service\.yaml → k8s\/base\/service\.yaml {2}ok/);
      assert.match(outgoing.stdout, /4:5 {2}kustomize\.resources {2}gone\.yaml → k8s\/base\/gone\.yaml {2}MISSING/);
      const json = JSON.parse((await run(['refs', 'k8s/base', '--json'])).stdout);
      assert.equal(json.path, 'k8s/base');
      // References from inside the folder move with it and are left out.
      assert.deepEqual(
        json.incoming.map((ref: { from: string; text: string }) => `${ref.from} ${ref.text}`).sort(),
        ['README.md k8s/base/kustomization.yaml', 'k8s/overlays/dev/kustomization.yaml ../../base'],
      );
      assert.deepEqual(json.outgoing, []);
      const file = JSON.parse((await run(['refs', 'k8s/base/kustomization.yaml', '--json'])).stdout);
      assert.deepEqual(
        file.outgoing.map((ref: { text: string; exists: boolean }) => [ref.text, ref.exists]),
        [['deployment.yaml', true], ['service.yaml', true], ['gone.yaml', false]],
      );
    });
    it("leaves out what the workspace's plan excludes, its proposal included; a plan with errors excludes nothing, with a warning", async () => {
      write('docs/proposal.md', '# Proposal\n\n- `k8s/base/service.yaml` → `platform/service.yaml`\n');
      write('k8s/base/notes.bak', 'see k8s/base/service.yaml\n');
      write('relayout.yaml', 'version: 1\nroot: k8s\nproposal: docs/proposal.md\nexclude: ["**/*.bak"]\n');
      const referrers = async (): Promise<string[]> =>
        JSON.parse((await run(['refs', 'k8s/base/service.yaml', '--json'])).stdout).incoming.map((ref: { from: string }) => ref.from).sort();
      assert.deepEqual(await referrers(), ['k8s/base/kustomization.yaml']);
      const moved = JSON.parse((await run(['move', 'k8s/base/service.yaml', 'k8s/base/svc.yaml', '--dry-run', '--json'])).stdout);
      assert.deepEqual(moved.edits.map((edit: { file: string }) => edit.file), ['k8s/base/kustomization.yaml']);

      write('relayout.yaml', 'version: 1\nroot: k8s\nproposal: docs/proposal.md\nrules: 3\n');
      const withErrors = await run(['refs', 'k8s/base/service.yaml']);
      assert.match(withErrors.stderr, /relayout\.yaml has errors .*its exclude list is not applied/);
      assert.deepEqual(await referrers(), ['docs/proposal.md', 'k8s/base/kustomization.yaml', 'k8s/base/notes.bak']);
    });

    it('prints YAML problems as file:line:col warnings on stderr and keeps --json output pure', async () => {
      write('k8s/overlays/dev/kustomization.yaml', 'namespace: dev\nresources:\n  - ../../base\n  bad: [\n');
      const result = await run(['refs', '--json']);
      assert.equal(result.code, 0);
      assert.match(result.stderr, /^k8s\/overlays\/dev\/kustomization\.yaml:\d+:\d+: .+/m);
      assert.equal(typeof JSON.parse(result.stdout).references.length, 'number');
      assert.ok(JSON.parse(result.stdout).problems.length > 0);
    });
  });

  describe('verify', () => {
    const kustomizeFound = findKustomizeTool(undefined, process.env).status === 'found';

    it('without a baseline passes when every reference resolves and every root renders', async function () {
      if (!kustomizeFound) this.skip(); // needs kubectl or kustomize to render
      const result = await run(['verify']);
      assert.equal(result.code, 0, result.stderr + result.stdout);
      assert.match(result.stderr, /no baseline at \.relayout\/baseline\.json/);
      assert.match(result.stdout, /Renders: 2 new-root/);
      assert.match(result.stdout, /verify: passed\n$/);
    });

    it('renders with the binary RELAYOUT_KUSTOMIZE names, and rejects one that cannot run', async function () {
      const lookup = findKustomizeTool(undefined, process.env);
      if (lookup.status !== 'found') this.skip(); // needs kubectl or kustomize to render
      const executable = lookup.status === 'found' ? lookup.tool.executable : '';
      const named = await run(['verify', '--json'], { env: { PATH: '', RELAYOUT_KUSTOMIZE: executable } });
      assert.equal(named.code, 0, named.stderr);
      assert.equal(JSON.parse(named.stdout).renders.status, 'compared');
      const bad = await run(['verify'], { env: { PATH: process.env.PATH, RELAYOUT_KUSTOMIZE: '/nonexistent/kustomize' } });
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /kustomize binary not found or not executable: \/nonexistent\/kustomize/);
    });

    it('without a baseline fails on a broken reference, with its location, in text, JSON and SARIF', async () => {
      write('k8s/overlays/dev/kustomization.yaml', TREE['k8s/overlays/dev/kustomization.yaml'] + '  - old/config.yaml\n');
      const env = { ...process.env, PATH: '' };
      const text = await run(['verify'], { env });
      assert.equal(text.code, 1);
      assert.match(text.stdout, /broken {2}k8s\/overlays\/dev\/kustomization\.yaml:4:5 {2}kustomize\.resources {2}old\/config\.yaml → k8s\/overlays\/dev\/old\/config\.yaml \(missing\)/);
      assert.match(text.stdout, /Renders: skipped: no kustomize found \(install kustomize or kubectl, or pass --kustomize-bin\)/);
      const json = await run(['verify', '--json'], { env });
      assert.equal(json.code, 1);
      assert.equal(JSON.parse(json.stdout).references.introduced[0].from, 'k8s/overlays/dev/kustomization.yaml');
      const sarif = await run(['verify', '--format', 'sarif'], { env });
      assert.equal(sarif.code, 1);
      const log = JSON.parse(sarif.stdout);
      assert.equal(log.version, '2.1.0');
      assert.deepEqual(log.runs[0].results[0].locations[0].physicalLocation, {
        artifactLocation: { uri: 'k8s/overlays/dev/kustomization.yaml', uriBaseId: '%SRCROOT%' },
        region: { startLine: 4, startColumn: 5 },
      });
    });
  });

  describe('move', () => {
    it('refuses to apply without a terminal and without --yes or --dry-run', async () => {
      const before = treeHashes();
      const result = await run(['move', 'k8s/base/service.yaml', 'k8s/net/service.yaml']);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /pass --yes to apply or --dry-run to preview/);
      assert.deepEqual(treeHashes(), before);
    });

    it('previews with --dry-run and writes nothing; --json prints one JSON document', async () => {
      const before = treeHashes();
      const text = await run(['move', 'k8s/base/service.yaml', 'k8s/net/service.yaml', '--dry-run']);
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stdout, /Renames \(1\):\n {2}k8s\/base\/service\.yaml → k8s\/net\/service\.yaml/);
      assert.match(text.stdout, /Edits \(\d+\):/);
      assert.match(text.stdout, /Conflicts \(0\)/);
      assert.match(text.stderr, /dry run: nothing written/);
      const json = await run(['move', 'k8s/base/service.yaml', 'k8s/net/service.yaml', '--dry-run', '--json']);
      assert.equal(json.code, 0);
      const plan = JSON.parse(json.stdout);
      assert.deepEqual(plan.renames, [{ from: 'k8s/base/service.yaml', to: 'k8s/net/service.yaml' }]);
      assert.equal(plan.dryRun, true);
      assert.equal(plan.applied, false);
      assert.deepEqual(treeHashes(), before);
      assert.equal(readdirSync(root).includes('.relayout'), false);
    });

    it('stops on conflicts with exit 1 and writes nothing', async () => {
      const before = treeHashes();
      const result = await run(['move', 'k8s/base/service.yaml', 'README.md', '--yes', '--json']);
      assert.equal(result.code, 1);
      const plan = JSON.parse(result.stdout);
      assert.ok(plan.conflicts.length > 0);
      assert.equal(plan.applied, false);
      assert.match(result.stderr, /conflict.*nothing written/);
      assert.deepEqual(treeHashes(), before);
    });

    it('refuses a move into a git-ignored place before writing anything, naming the .gitignore line', async () => {
      write('.gitignore', 'node_modules/\nrendered/\n');
      const before = treeHashes();
      const result = await run(['move', 'k8s/base', 'rendered/base', '--yes']);
      assert.equal(result.code, 1);
      assert.match(
        result.stdout + result.stderr,
        /cannot move k8s\/base\/deployment\.yaml to rendered\/base\/deployment\.yaml: rendered\/base\/deployment\.yaml is ignored by \.gitignore \(line 2: rendered\/\), as are the destinations of 2 more files of the batch/,
      );
      assert.deepEqual(treeHashes(), before);
    });

    it('validates a moves file and names the wrong entry', async () => {
      const cases: [unknown, RegExp][] = [
        [{ from: 'a', to: 'b' }, /must hold a list/],
        [[], /lists no moves/],
        [[{ from: 'README.md', to: 'docs/README.md' }, { from: 'x' }], /entry 2: "to" must be a non-empty string/],
        [[{ from: 'README.md', to: 'docs/README.md', force: true }], /entry 1: unknown key 'force'/],
        [['README.md'], /entry 1: not an object/],
        [[{ from: '../x', to: 'y' }], /entry 1: FROM \.\.\/x is outside the root/],
      ];
      for (const [content, message] of cases) {
        write('moves.json', JSON.stringify(content));
        const result = await run(['move', '--moves', 'moves.json', '--dry-run']);
        assert.equal(result.code, 2, JSON.stringify(content));
        assert.match(result.stderr, message);
      }
      write('moves.json', '[{"from": ');
      assert.match((await run(['move', '--moves', 'moves.json', '--dry-run'])).stderr, /moves file moves\.json is not JSON/);
      assert.match((await run(['move', '--moves', 'absent.json', '--dry-run'])).stderr, /cannot read moves file absent\.json: ENOENT/);
      assert.match((await run(['move', 'a', 'b', '--moves', 'moves.json'])).stderr, /either FROM TO or --moves/);
    });

    it('applies with --yes after capturing a baseline; verify passes; rollback restores every byte', async function () {
      if (findKustomizeTool(undefined, process.env).status !== 'found') this.skip(); // needs kubectl or kustomize to render
      const before = treeHashes();
      const moved = await run(['move', 'k8s/base', 'k8s/apps/web', '--yes']);
      assert.equal(moved.code, 0, moved.stderr);
      assert.match(moved.stdout, /k8s\/overlays\/dev\/kustomization\.yaml:3 {2}\.\.\/\.\.\/base → \.\.\/\.\.\/apps\/web {2}\(kustomize\.resources, exact\)/);
      assert.match(moved.stdout, /Applied 3 renames, \d+ edits?, 0 created files\. Run `relayout verify`/);
      const baseline = JSON.parse(readFileSync(nodePath.join(root, '.relayout/baseline.json'), 'utf8'));
      assert.equal(baseline.renders.status, 'rendered');
      assert.equal(readFileSync(nodePath.join(root, 'k8s/overlays/dev/kustomization.yaml'), 'utf8'), 'namespace: dev\nresources:\n  - ../../apps/web\n');

      const verified = await run(['verify']);
      assert.equal(verified.code, 0, verified.stdout + verified.stderr);
      assert.match(verified.stdout, /same +k8s\/apps\/web \(was k8s\/base\) {2}2 objects/);
      assert.match(verified.stdout, /same +k8s\/overlays\/dev {2}2 objects/);

      // The same baseline, named explicitly from outside the root.
      const elsewhere = mkdtempSync(nodePath.join(tmpdir(), 'relayout-baseline-'));
      after(() => rmSync(elsewhere, { recursive: true, force: true }));
      cpSync(nodePath.join(root, '.relayout/baseline.json'), nodePath.join(elsewhere, 'baseline.json'));
      const explicit = await run(['verify', '--baseline', nodePath.join(elsewhere, 'baseline.json'), '--format', 'sarif']);
      assert.equal(explicit.code, 0, explicit.stderr);
      assert.deepEqual(JSON.parse(explicit.stdout).runs[0].results, []);

      const rolledBack = await run(['rollback']);
      assert.equal(rolledBack.code, 0, rolledBack.stderr);
      assert.deepEqual(treeHashes(), before);
      const again = await run(['verify', '--json']);
      assert.equal(again.code, 0);
      assert.equal(JSON.parse(again.stdout).passed, true);
      const nothing = await run(['rollback']);
      assert.equal(nothing.code, 1);
      assert.match(nothing.stderr, /no apply to roll back/);
    });

    it('applies after a yes on the terminal, with --json still one document', async () => {
      const result = await run(['move', 'scripts/deploy.sh', 'bin/deploy.sh', '--json', '--kustomize-bin', 'no-such-kustomize-anywhere'], {
        isTTY: true,
        answer: 'y\n',
      });
      assert.equal(result.code, 2);
      assert.match(result.stderr, /kustomize binary not found or not executable: no-such-kustomize-anywhere/);
      const applied = await run(['move', 'scripts/deploy.sh', 'bin/deploy.sh', '--json'], { isTTY: true, answer: 'yes\n', env: { ...process.env, PATH: '' } });
      assert.equal(applied.code, 0, applied.stderr);
      const document = JSON.parse(applied.stdout);
      assert.equal(document.applied, true);
      assert.deepEqual(document.baseline, {
        file: '.relayout/baseline.json',
        renders: 'skipped',
        reason: 'no kustomize found (install kustomize or kubectl, or pass --kustomize-bin)',
      });
      assert.match(applied.stderr, /baseline without renders: no kustomize found/);
      assert.match(applied.stderr, /Run `relayout verify`/);
      assert.equal(readFileSync(nodePath.join(root, 'bin/deploy.sh'), 'utf8'), TREE['scripts/deploy.sh']);
    });

    it('refuses to move while an apply is interrupted, until recover', async () => {
      const before = treeHashes();
      mkdirSync(nodePath.join(root, '.relayout'), { recursive: true });
      // What an apply killed before its first step leaves: a started journal and an empty progress log.
      writeFileSync(
        nodePath.join(root, '.relayout/journal.json'),
        JSON.stringify({ version: 1, phase: 'started', startedAt: '2026-01-01T00:00:00.000Z', renames: [], files: [], creates: [], relinks: [], steps: [], expectedAfter: {} }),
      );
      const blocked = await run(['move', 'README.md', 'docs/README.md', '--yes']);
      assert.equal(blocked.code, 1);
      assert.match(blocked.stderr, /an apply was interrupted .*run `relayout recover`/);
      const rollbackBlocked = await run(['rollback']);
      assert.equal(rollbackBlocked.code, 1);
      assert.match(rollbackBlocked.stderr, /an apply was interrupted/);
      const inventory = await run(['inventory', '--json']);
      assert.equal(inventory.code, 0);
      assert.match(inventory.stderr, /an apply was interrupted/);
      assert.equal(JSON.parse(inventory.stdout).totalFiles, 6);
      const recovered = await run(['recover']);
      assert.equal(recovered.code, 0, recovered.stderr);
      assert.match(recovered.stdout, /interrupted apply/);
      assert.deepEqual(treeHashes(), before);
      assert.match((await run(['recover'])).stdout, /Nothing to recover/);
      assert.equal((await run(['move', 'README.md', 'docs/README.md', '--yes'])).code, 0);
    });

    it('asks on a terminal and writes nothing unless the answer is yes', async () => {
      const before = treeHashes();
      const result = await run(['move', 'k8s/base/service.yaml', 'k8s/net/service.yaml'], { isTTY: true, answer: 'n\n' });
      assert.equal(result.code, 0);
      assert.match(result.stderr, /Apply 1 rename and \d+ edits?\? \[y\/N\] /);
      assert.match(result.stderr, /not applied: nothing written/);
      assert.deepEqual(treeHashes(), before);
    });
  });

  describe('on a copy of the Bakery-IA sample', () => {
    const sample = nodePath.resolve(__dirname, '../../../sample/bakery-ia');
    const moves = [
      { from: 'infrastructure/kubernetes/base/components', to: 'infrastructure/services' },
      { from: 'infrastructure/kubernetes/overlays/prod', to: 'infrastructure/environments/prod' },
      { from: 'infrastructure/kubernetes/kubernetes_restart.sh', to: 'infrastructure/scripts/kubernetes_restart.sh' },
      { from: 'docs/deployment.md', to: 'docs/guides/deployment.md' },
    ];

    beforeEach(() => {
      rmSync(root, { recursive: true, force: true });
      cpSync(sample, root, { recursive: true });
    });

    /**
     * Every place a moved path is still written out in full. The proposal is left out: it documents the old layout
     * on purpose (and `relayout.yaml` names paths below its own root, so it never matches).
     */
    function staleOccurrences(): string[] {
      const found: string[] = [];
      for (const path of Object.keys(treeHashes())) {
        if (path === 'docs/proposal.md') continue;
        const text = readFileSync(nodePath.join(root, path), 'utf8');
        text.split('\n').forEach((line, index) => {
          for (const { from } of moves) {
            const escaped = from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
            if (new RegExp(`(?<![A-Za-z0-9_.-])${escaped}(?![A-Za-z0-9_-])`).test(line)) found.push(`${path}:${index + 1}: ${line.trim()}`);
          }
        });
      }
      return found;
    }

    async function moveAll(): Promise<void> {
      const movesFolder = mkdtempSync(nodePath.join(tmpdir(), 'relayout-moves-'));
      try {
        writeFileSync(nodePath.join(movesFolder, 'moves.json'), JSON.stringify(moves));
        const moved = await run(['move', '--moves', nodePath.join(movesFolder, 'moves.json'), '--yes', '--json']);
        assert.equal(moved.code, 0, moved.stderr);
        const result = JSON.parse(moved.stdout);
        assert.equal(result.applied, true);
        assert.deepEqual(result.conflicts, []);
        assert.ok(result.renames.length > 50, `${result.renames.length} renames`);
      } finally {
        rmSync(movesFolder, { recursive: true, force: true });
      }
    }

    it('moves the components and more in one batch; verify passes; rollback restores every byte', async function () {
      if (findKustomizeTool(undefined, process.env).status !== 'found') this.skip(); // render equivalence needs kubectl or kustomize
      const before = treeHashes();
      await moveAll();
      const verified = await run(['verify', '--json']);
      const report = JSON.parse(verified.stdout);
      assert.equal(verified.code, 0, JSON.stringify(report, null, 1));
      assert.deepEqual(report.references.introduced, []);
      const rootAt = (dir: string) => report.renders.roots.find((r: { dir: string }) => r.dir === dir);
      assert.equal(rootAt('infrastructure/kubernetes/overlays/dev').status, 'same');
      assert.equal(rootAt('infrastructure/environments/prod').status, 'same');
      assert.equal(rootAt('infrastructure/environments/prod').baselineDir, 'infrastructure/kubernetes/overlays/prod');

      const rolledBack = await run(['rollback']);
      assert.equal(rolledBack.code, 0, rolledBack.stderr);
      assert.deepEqual(treeHashes(), before);
    });

    it('leaves no stale path to a moved file anywhere', async () => {
      assert.notDeepEqual(staleOccurrences(), [], 'the sample names the paths this test moves');
      await moveAll();
      assert.deepEqual(staleOccurrences(), []);
    });
  });

  describe('the built binary', () => {
    it('runs as a node script with a shebang and honours the exit-code contract', async function () {
      this.timeout(120_000);
      const esbuild = await import('esbuild');
      const buildDir = mkdtempSync(nodePath.join(tmpdir(), 'relayout-build-'));
      after(() => rmSync(buildDir, { recursive: true, force: true }));
      const out = nodePath.join(buildDir, 'cli.js');
      await esbuild.build({
        entryPoints: [nodePath.resolve(__dirname, '../../../src/cli/main.ts')],
        outfile: out,
        bundle: true,
        format: 'cjs',
        platform: 'node',
        target: 'node20',
        banner: { js: '#!/usr/bin/env node' },
        logLevel: 'silent',
      });
      assert.ok(readFileSync(out, 'utf8').startsWith('#!/usr/bin/env node\n'));
      const version = execFileSync(process.execPath, [out, '--version'], { encoding: 'utf8' });
      assert.match(version, /^\d+\.\d+\.\d+\n$/);
      const inventory = JSON.parse(execFileSync(process.execPath, [out, '--root', root, 'inventory', '--json'], { encoding: 'utf8' }));
      assert.equal(inventory.totalFiles, 6);
      assert.throws(
        () => execFileSync(process.execPath, [out, '--root', root, 'move', 'README.md', 'docs/README.md'], { stdio: 'pipe' }),
        (error: { status: number; stderr: Buffer }) => error.status === 2 && /pass --yes to apply or --dry-run/.test(error.stderr.toString()),
      );
      // A reader that stops early (`relayout refs | head`) closes the pipe: the command ends as usual, without a stack.
      const child = spawn(process.execPath, [out, '--root', root, 'refs'], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.equal(stderr, '');
      assert.equal(status, 0);
    });
  });
});
