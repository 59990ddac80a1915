import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as nodePath from 'node:path';
import { DiskFileSource } from '../../../../src/core/inventory/source';
import { extractKustomization, isKustomizationFile } from '../../../../src/core/refs/kustomize';
import type { FileSource, Move, Reference, ReferenceGraph, ReviewItem, Problem, FileKind } from '../../../../src/core/types';
import { isInside } from '../../../../src/core/paths';
import { BaselineError, captureBaseline, readBaseline } from '../../../../src/core/verify/baseline';
import { findKustomizeTool, type KustomizeTool } from '../../../../src/core/verify/kustomizeTool';
import { formatObjectId } from '../../../../src/core/verify/objects';
import { verify, type RootComparison, type VerifyReport } from '../../../../src/core/verify/verify';

/** The references of every kustomization, read by the real kustomize extractor. */
class KustomizationGraph implements ReferenceGraph {
  private readonly refs: Reference[] = [];
  private readonly reviewItems: ReviewItem[] = [];
  private readonly problemList: Problem[] = [];
  private readonly fileList: string[];

  constructor(source: FileSource) {
    this.fileList = source.listFiles();
    for (const path of this.fileList.filter(isKustomizationFile)) {
      const read = source.readText(path);
      if (!read.ok) continue;
      const found = extractKustomization({ path, text: read.text, kind: 'kustomization' }, source);
      this.refs.push(...found.refs);
      this.reviewItems.push(...found.review);
      this.problemList.push(...found.problems);
    }
  }
  files(): readonly string[] {
    return this.fileList;
  }
  kindOf(path: string): FileKind | undefined {
    return isKustomizationFile(path) ? 'kustomization' : this.fileList.includes(path) ? 'kubernetes' : undefined;
  }
  refsFrom(file: string): readonly Reference[] {
    return this.refs.filter((ref) => ref.from === file);
  }
  refsInto(path: string): readonly Reference[] {
    return this.refs.filter((ref) => isInside(ref.target, path));
  }
  allRefs(): Iterable<Reference> {
    return this.refs;
  }
  review(): readonly ReviewItem[] {
    return this.reviewItems;
  }
  problems(): readonly Problem[] {
    return this.problemList;
  }
}

const deployment = (replicas: number): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: ${replicas}\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n`;

const TREE: Record<string, string> = {
  'base/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n  - service.yaml\n',
  'base/deployment.yaml': deployment(1),
  'base/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n',
  'overlays/dev/kustomization.yaml': 'resources:\n  - ../../base\nnamespace: dev\ncomponents:\n  - ../../components/probe\n',
  'components/probe/kustomization.yaml':
    'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nlabels:\n  - pairs: {probe: "on"}\n',
  'README.md': 'docs\n',
};

describe('verify/verify', function () {
  this.timeout(60_000);
  let tool: KustomizeTool | undefined;
  let root: string;

  before(function () {
    const lookup = findKustomizeTool(undefined, process.env);
    if (lookup.status !== 'found') {
      this.skip(); // no kubectl or kustomize on this machine: render equivalence cannot be exercised
    } else {
      tool = lookup.tool;
    }
  });

  beforeEach(() => {
    root = mkdtempSync(nodePath.join(tmpdir(), 'relayout-verify-'));
    for (const [path, text] of Object.entries(TREE)) write(path, text);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function write(path: string, text: string): void {
    mkdirSync(nodePath.dirname(nodePath.join(root, path)), { recursive: true });
    writeFileSync(nodePath.join(root, path), text);
  }
  function move(from: string, to: string): Move {
    mkdirSync(nodePath.dirname(nodePath.join(root, to)), { recursive: true });
    renameSync(nodePath.join(root, from), nodePath.join(root, to));
    return { from, to };
  }
  async function baselineNow() {
    const source = new DiskFileSource(root);
    return captureBaseline(root, source, new KustomizationGraph(source), { tool });
  }
  async function verifyNow(baseline: Awaited<ReturnType<typeof baselineNow>>, renames: Move[]): Promise<VerifyReport> {
    const source = new DiskFileSource(root);
    return verify(root, source, new KustomizationGraph(source), baseline, renames, { tool });
  }
  function rootsByStatus(report: VerifyReport): Record<string, string> {
    assert.equal(report.renders.status, 'compared');
    const roots: RootComparison[] = report.renders.status === 'compared' ? report.renders.roots : [];
    return Object.fromEntries(roots.map((r) => [r.dir, r.status]));
  }

  it('writes .relayout/baseline.json with every non-component root rendered', async () => {
    const baseline = await baselineNow();
    assert.equal(baseline.renders.status, 'rendered');
    if (baseline.renders.status !== 'rendered') return;
    assert.deepEqual(
      baseline.renders.roots.map((r) => [r.dir, r.ok]),
      [
        ['base', true],
        ['overlays/dev', true],
      ],
    );
    const dev = baseline.renders.roots[1];
    assert.ok(dev.ok && dev.objects.some((o) => o.includes('"probe":"on"') && o.includes('"namespace":"dev"')));
    assert.deepEqual(await readBaseline(nodePath.join(root, '.relayout/baseline.json')), baseline);
  });

  it('passes when a manifest moves into a new folder that the old kustomization wraps', async () => {
    const baseline = await baselineNow();
    const renames = [move('base/deployment.yaml', 'apps/web/deployment.yaml')];
    write('apps/web/kustomization.yaml', 'resources:\n  - deployment.yaml\n');
    write('base/kustomization.yaml', TREE['base/kustomization.yaml'].replace('deployment.yaml', '../apps/web'));
    const report = await verifyNow(baseline, renames);
    assert.deepEqual(rootsByStatus(report), { 'apps/web': 'new-root', base: 'same', 'overlays/dev': 'same' });
    assert.equal(report.passed, true);
    assert.deepEqual(report.references.introduced, []);
  });

  it('follows a root whose folder moved and compares it at its new location', async () => {
    const baseline = await baselineNow();
    const renames = [move('overlays/dev/kustomization.yaml', 'environments/dev/kustomization.yaml')];
    const report = await verifyNow(baseline, renames);
    assert.deepEqual(rootsByStatus(report), { base: 'same', 'environments/dev': 'same' });
    assert.equal(report.renders.status === 'compared' && report.renders.roots[1].baselineDir, 'overlays/dev');
    assert.equal(report.passed, true);
  });

  it('accepts objects that differ only in moved paths their content names, and still fails on other changes', async () => {
    write('ops/kustomization.yaml', 'resources:\n  - task.yaml\n');
    const task = (path: string, extra = '') =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deploy-script\ndata:\n  run.sh: kubectl apply -k ${path}${extra}\n`;
    write('ops/task.yaml', task('overlays/dev'));
    const baseline = await baselineNow();
    const renames = [move('overlays/dev/kustomization.yaml', 'environments/dev/kustomization.yaml')];
    write('ops/task.yaml', task('environments/dev'));
    const rewritten = await verifyNow(baseline, renames);
    assert.equal(rootsByStatus(rewritten).ops, 'paths-rewritten');
    assert.equal(rewritten.passed, true);
    write('ops/task.yaml', task('environments/dev', ' --prune'));
    const changed = await verifyNow(baseline, renames);
    assert.equal(rootsByStatus(changed).ops, 'changed');
    assert.equal(changed.passed, false);
  });

  it('does not take a Flux Kustomization named kustomization.yaml for a kustomize root', async () => {
    write('clusters/prod/kustomization.yaml', 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\nspec:\n  path: ./overlays/dev\n');
    const baseline = await baselineNow();
    assert.deepEqual(baseline.renders.status === 'rendered' && baseline.renders.roots.map((r) => r.dir), ['base', 'overlays/dev']);
  });

  it('fails when a manifest changes, naming the object and the field', async () => {
    const baseline = await baselineNow();
    write('base/deployment.yaml', deployment(3));
    const report = await verifyNow(baseline, []);
    assert.equal(report.passed, false);
    assert.deepEqual(rootsByStatus(report), { base: 'changed', 'overlays/dev': 'changed' });
    const dev = report.renders.status === 'compared' ? report.renders.roots[1] : undefined;
    assert.deepEqual(
      dev?.diff?.modified.map((o) => [formatObjectId(o), o.fields]),
      [['Deployment dev/web', ['spec.replicas']]],
    );
  });

  it('fails when a root stops rendering or disappears, but not for roots that failed already', async () => {
    write('broken/kustomization.yaml', 'resources:\n  - nowhere.yaml\n');
    const baseline = await baselineNow();
    rmSync(nodePath.join(root, 'base/service.yaml'));
    rmSync(nodePath.join(root, 'overlays'), { recursive: true });
    const report = await verifyNow(baseline, []);
    assert.deepEqual(rootsByStatus(report), { base: 'failed', broken: 'still-failing', 'overlays/dev': 'root-gone' });
    const base = report.renders.status === 'compared' ? report.renders.roots[0] : undefined;
    assert.match(base?.error ?? '', /service\.yaml/);
    assert.equal(report.passed, false);
  });

  it('reports a root that failed in the baseline and renders now as fixed, which passes', async () => {
    write('late/kustomization.yaml', 'resources:\n  - configmap.yaml\n');
    const baseline = await baselineNow();
    write('late/configmap.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: late\n');
    const report = await verifyNow(baseline, []);
    assert.equal(rootsByStatus(report).late, 'fixed');
    assert.deepEqual(report.references.fixed.map((r) => r.text), ['configmap.yaml']);
    assert.equal(report.passed, true);
  });

  it('reports a broken reference the change introduced with its line, and old ones as pre-existing', async () => {
    const baselineText = 'resources:\n  - ../../base\n  - ../../missing.yaml\n';
    write('overlays/stage/kustomization.yaml', baselineText);
    const baseline = await baselineNow();
    assert.deepEqual(
      baseline.brokenReferences.map((r) => [r.from, r.text]),
      [['overlays/stage/kustomization.yaml', '../../missing.yaml']],
    );
    const renames = [move('overlays/stage/kustomization.yaml', 'envs/stage/kustomization.yaml')];
    rmSync(nodePath.join(root, 'base/service.yaml'));
    const report = await verifyNow(baseline, renames);
    assert.deepEqual(
      report.references.preExisting.map((r) => [r.from, r.text]),
      [['envs/stage/kustomization.yaml', '../../missing.yaml']],
    );
    assert.deepEqual(
      report.references.introduced.map((r) => [r.from, r.line, r.text]),
      [['base/kustomization.yaml', 5, 'service.yaml']],
    );
    assert.equal(report.references.passed, false);
    assert.equal(report.passed, false);
    assert.equal(rootsByStatus(report)['envs/stage'], 'still-failing');
  });

  it('skips rendering, without failing, when no kustomize was available for the baseline', async () => {
    const source = new DiskFileSource(root);
    const baseline = await captureBaseline(root, source, new KustomizationGraph(source), { tool: undefined, file: null });
    assert.deepEqual(baseline.renders, {
      status: 'skipped',
      reason: 'no kustomize found (install kustomize or kubectl, or pass --kustomize-bin)',
    });
    const report = await verify(root, source, new KustomizationGraph(source), baseline, [], { tool });
    assert.equal(report.renders.status, 'skipped');
    assert.equal(report.passed, true);
    const noTool = await verify(root, source, new KustomizationGraph(source), undefined, [], { tool: undefined });
    assert.deepEqual(noTool.renders, {
      status: 'skipped',
      reason: 'no kustomize found (install kustomize or kubectl, or pass --kustomize-bin)',
    });
  });

  it('rejects a baseline file that is not a baseline', async () => {
    write('bad.json', JSON.stringify({ format: 1, brokenReferences: 'no' }));
    await assert.rejects(readBaseline(nodePath.join(root, 'bad.json')), BaselineError);
    await assert.rejects(readBaseline(nodePath.join(root, 'absent.json')), /cannot read baseline/);
    write('text.json', 'not json');
    await assert.rejects(readBaseline(nodePath.join(root, 'text.json')), /is not JSON/);
    assert.equal(readFileSync(nodePath.join(root, 'README.md'), 'utf8'), 'docs\n');
  });
});
