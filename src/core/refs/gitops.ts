/**
 * Repository-root paths in GitOps documents: Flux Kustomization and HelmRelease, Argo CD Application and
 * ApplicationSet, Tekton resources. Each handler reads one parsed document.
 */
import { isMap, isScalar } from 'yaml';
import { join } from '../paths';
import { ignorePatternRefs } from './ignorePatterns';
import { isTemplated, PathRule, RefCollector } from './yamlRefs';
import { allScalars, blockScalarBody, mapGet, mapPath, oneOrMany, scalarText, seqItems, stringValue, walkNodes } from './yamlSource';

/** `apiVersion` group and `kind` of a Kubernetes-style document. */
export interface ResourceType {
  group: string;
  kind: string;
}

/** The API group (`apiVersion` before the `/`) and kind of a document's root, when it has them. */
export function resourceType(root: unknown): ResourceType | undefined {
  const apiVersion = stringValue(mapGet(root, 'apiVersion'));
  const kind = stringValue(mapGet(root, 'kind'));
  if (apiVersion === undefined || kind === undefined) return undefined;
  const slash = apiVersion.indexOf('/');
  return { group: slash < 0 ? '' : apiVersion.slice(0, slash), kind };
}

const rootRule = (kind: string, confidence: PathRule['confidence'] = 'exact'): PathRule => ({ kind, base: '', baseRule: 'fixed', confidence });

/** True for Tekton pipelines, tasks, runs and trigger resources. */
export function isTektonGroup(group: string): boolean {
  return group === 'tekton.dev' || group.endsWith('.tekton.dev');
}

/**
 * Extracts the paths of a GitOps document (Flux, Argo CD, Tekton) into `collector`.
 * Returns false when the document is none of those, so the caller can try other readers.
 */
export function extractGitOpsDocument(collector: RefCollector, root: unknown): boolean {
  const type = resourceType(root);
  if (!type) return false;
  if (type.group === 'kustomize.toolkit.fluxcd.io' && type.kind === 'Kustomization') fluxKustomization(collector, root);
  else if (type.group === 'source.extensions.fluxcd.io' && type.kind === 'ArtifactGenerator') fluxArtifactGenerator(collector, root);
  else if (type.group === 'helm.toolkit.fluxcd.io' && type.kind === 'HelmRelease') fluxHelmRelease(collector, root);
  else if (type.group === 'argoproj.io' && type.kind === 'Application') argoApplicationSpec(collector, mapGet(root, 'spec'));
  else if (type.group === 'argoproj.io' && type.kind === 'ApplicationSet') argoApplicationSet(collector, root);
  else if (isTektonGroup(type.group)) tekton(collector, root);
  else if (type.group === 'source.toolkit.fluxcd.io' && type.kind === 'GitRepository') fluxGitRepository(collector, root);
  else return false;
  return true;
}

/** Flux sources whose artifact is this repository's tree (an absent kind defaults to GitRepository). */
function isGitSource(sourceRef: unknown): boolean {
  const kind = stringValue(mapGet(sourceRef, 'kind'));
  return kind === undefined || kind === 'GitRepository';
}

function fluxKustomization(collector: RefCollector, root: unknown): void {
  const path = mapPath(root, 'spec', 'path');
  const sourceRef = mapPath(root, 'spec', 'sourceRef');
  if (isGitSource(sourceRef)) {
    const pathRef = collector.pathNode(path, rootRule('flux.path'));
    // Flux `spec.components` resolve against the folder `spec.path` names.
    const componentBase = pathRef?.target ?? (path === undefined ? '' : undefined);
    for (const component of seqItems(mapPath(root, 'spec', 'components'))) {
      if (componentBase !== undefined) collector.pathNode(component, { ...rootRule('flux.components'), base: componentBase });
    }
  } else {
    const source = `${stringValue(mapGet(sourceRef, 'kind'))} ${stringValue(mapGet(sourceRef, 'name')) ?? ''}`.trim();
    collector.reviewNode(path, 'flux.path', `The path is relative to the ${source} artifact, not to this repository's tree.`);
  }
}

/**
 * Flux ArtifactGenerator: each `copy[].from` is an `@alias/path/glob` whose alias names one of `spec.sources`; for a
 * GitRepository source the part after `@alias/` is a glob over this repository's tree.
 */
function fluxArtifactGenerator(collector: RefCollector, root: unknown): void {
  const gitAliases = new Set<string>();
  for (const source of seqItems(mapPath(root, 'spec', 'sources'))) {
    const alias = stringValue(mapGet(source, 'alias'));
    if (alias !== undefined && isGitSource(source)) gitAliases.add(alias);
  }
  for (const artifact of seqItems(mapPath(root, 'spec', 'artifacts'))) {
    for (const copy of seqItems(mapGet(artifact, 'copy'))) {
      const from = scalarText(mapGet(copy, 'from'), collector.text);
      const alias = from && from.source === from.value ? /^@([^/]+)\//.exec(from.value) : null;
      if (!from || !alias || !gitAliases.has(alias[1])) continue;
      collector.pathRange(from.start + alias[0].length, from.end, { ...rootRule('flux.artifactCopy'), glob: true });
    }
  }
}

/** Flux GitRepository `spec.ignore`: gitignore-syntax lines over this repository's tree, from its root. */
function fluxGitRepository(collector: RefCollector, root: unknown): void {
  const body = blockScalarBody(mapPath(root, 'spec', 'ignore'), collector.text);
  if (!body) return;
  const block = { file: collector.file, text: collector.text, ...body, base: '', baseRule: 'fixed' as const, kind: 'flux.ignore' };
  collector.extraction.refs.push(...ignorePatternRefs(block, collector.workspace, collector.lines));
}

function fluxHelmRelease(collector: RefCollector, root: unknown): void {
  const chartSpec = mapPath(root, 'spec', 'chart', 'spec');
  if (stringValue(mapPath(chartSpec, 'sourceRef', 'kind')) !== 'GitRepository') return;
  const chart = mapGet(chartSpec, 'chart');
  const chartText = stringValue(chart);
  if (chartText !== undefined && (chartText.startsWith('.') || chartText.includes('/'))) {
    collector.pathNode(chart, rootRule('flux.helmChart'));
  }
  for (const file of seqItems(mapGet(chartSpec, 'valuesFiles'))) collector.pathNode(file, rootRule('flux.helmValuesFiles'));
}

function argoApplicationSpec(collector: RefCollector, spec: unknown): void {
  const sources = [mapGet(spec, 'source'), ...seqItems(mapGet(spec, 'sources'))];
  for (const source of sources) {
    if (!isMap(source)) continue;
    const path = collector.pathNode(mapGet(source, 'path'), rootRule('argocd.path'));
    for (const component of seqItems(mapPath(source, 'kustomize', 'components'))) {
      if (path) collector.pathNode(component, { ...rootRule('argocd.kustomize.components'), base: path.target });
    }
    for (const file of seqItems(mapPath(source, 'helm', 'valueFiles'))) {
      const text = stringValue(file);
      if (text?.startsWith('$')) {
        collector.reviewNode(file, 'argocd.helm.valueFiles', 'The values file is in another source of the application, named by a `$ref` variable.');
      } else if (path) {
        collector.pathNode(file, { kind: 'argocd.helm.valueFiles', base: path.target, baseRule: 'fixed', confidence: 'exact' });
      }
    }
  }
}

function argoApplicationSet(collector: RefCollector, root: unknown): void {
  argoApplicationSpec(collector, mapPath(root, 'spec', 'template', 'spec'));
  walkNodes(mapPath(root, 'spec', 'generators'), (node, keys) => {
    if (keys[keys.length - 1] !== 'git' || !isMap(node)) return;
    for (const entry of seqItems(mapGet(node, 'directories'))) {
      collector.pathNode(mapGet(entry, 'path'), { ...rootRule('argocd.generator.directories'), glob: true });
    }
    for (const entry of seqItems(mapGet(node, 'files'))) {
      collector.pathNode(mapGet(entry, 'path'), { ...rootRule('argocd.generator.files'), glob: true });
    }
  });
}

const WORKSPACE_PATH = /\$\(workspaces\.[A-Za-z0-9_-]+\.path\)\/([A-Za-z0-9._@+\/-]+)/g;

/**
 * Pipelines-as-Code annotations naming the pipeline and tasks a run uses: `pipelinesascode.tekton.dev/pipeline`,
 * `…/task`, `…/task-N`. Their value is one item or a `[a, b]` list of items; an item is a URL, a Tekton Hub name, or a
 * file of this repository from its root. Items naming an existing file or folder are exact root references.
 */
function pipelinesAsCodeAnnotations(collector: RefCollector, root: unknown): void {
  const annotations = mapPath(root, 'metadata', 'annotations');
  if (!isMap(annotations)) return;
  for (const pair of annotations.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!/^pipelinesascode\.tekton\.dev\/(?:pipeline|task(?:-\d+)?)$/.test(key)) continue;
    const scalar = scalarText(pair.value, collector.text);
    if (!scalar || scalar.source !== scalar.value) continue;
    const item = /[^\s,[\]]+/g;
    for (const match of scalar.source.matchAll(item)) {
      const start = scalar.start + match.index;
      collector.pathRange(start, start + match[0].length, { ...rootRule('tekton.pacAnnotation'), mustExist: true });
    }
  }
}

function tekton(collector: RefCollector, root: unknown): void {
  pipelinesAsCodeAnnotations(collector, root);
  walkNodes(root, (node) => {
    if (!isMap(node) || stringValue(mapGet(node, 'resolver')) !== 'git') return;
    for (const param of seqItems(mapGet(node, 'params'))) {
      if (stringValue(mapGet(param, 'name')) === 'pathInRepo') collector.pathNode(mapGet(param, 'value'), rootRule('tekton.pathInRepo'));
    }
  });
  walkNodes(root, (node, keys) => {
    if (keys[keys.length - 1] !== 'params' || !isMap(node) || stringValue(mapGet(node, 'name')) === 'pathInRepo') return;
    for (const value of [...oneOrMany(mapGet(node, 'value')), ...oneOrMany(mapGet(node, 'default'))]) {
      const text = stringValue(value);
      if (text !== undefined && !isTemplated(text)) collector.pathNode(value, { ...rootRule('tekton.param', 'probable'), mustExist: true });
    }
  });
  for (const scalar of allScalars(root)) {
    const range = scalarText(scalar, collector.text) ?? blockScalarBody(scalar, collector.text);
    if (range) workspacePaths(collector, range.start, range.end);
  }
  walkNodes(root, (node) => {
    const script = mapGet(node, 'script');
    if (script !== undefined) collector.shellNode(script, tektonWorkingFolder(stringValue(mapGet(node, 'workingDir'))), 'tekton.script');
  });
}

/** The repository folder a step's `workingDir` names inside a cloned workspace; the root when it names none. */
function tektonWorkingFolder(workingDir: string | undefined): string {
  const match = workingDir === undefined ? null : /^\$\(workspaces\.[A-Za-z0-9_-]+\.path\)(?:\/([^$]*))?$/.exec(workingDir);
  return match?.[1] === undefined ? '' : join('', match[1]);
}

/** Where a word that continues with `$(…)`/`${…}` expansions ends: at a blank, a quote or a separator outside them. */
function wordEnd(text: string, from: number, limit: number): number {
  let depth = 0;
  let index = from;
  for (; index < limit; index++) {
    const char = text[index];
    if (char === '(' || char === '{') depth++;
    else if (char === ')' || char === '}') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && /[\s"';|&]/.test(char)) break;
  }
  return index;
}

/** `$(workspaces.NAME.path)/sub/path`: `sub/path` is a repository path when the workspace holds the clone. */
function workspacePaths(collector: RefCollector, start: number, end: number): void {
  const source = collector.text.slice(start, end);
  for (const match of source.matchAll(WORKSPACE_PATH)) {
    const pathStart = start + match.index + match[0].length - match[1].length;
    const pathEnd = pathStart + match[1].length;
    const next = collector.text[pathEnd];
    if (next === '$' || next === '{') {
      collector.review(
        pathStart,
        wordEnd(collector.text, pathEnd, end),
        'tekton.workspacePath',
        'The path below the workspace is built from a parameter, so it cannot be rewritten statically.',
        join('', match[1]),
      );
    } else {
      collector.pathRange(pathStart, pathEnd, { ...rootRule('tekton.workspacePath', 'probable'), mustExist: true });
    }
  }
}
