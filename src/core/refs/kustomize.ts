/** References written in kustomization files, each relative to the kustomization's folder (REFERENCE-KINDS.md). */
import { basename, dirname } from '../paths';
import { Extractor } from '../types';
import { extractGitOpsDocument } from './gitops';
import { isRemoteUrl, PathRule, RefCollector } from './yamlRefs';
import { commentLines, mapEntries, mapGet, oneOrMany, parseYaml, scalarText, seqItems, stringValue, YamlDocument } from './yamlSource';

const KUSTOMIZATION_FILE_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

/** Fields whose value is a list of paths (some may also hold inline documents, which are not references). */
const PATH_LIST_FIELDS = [
  'resources',
  'bases',
  'components',
  'patchesStrategicMerge',
  'configurations',
  'crds',
  'generators',
  'transformers',
  'validators',
];

/** Fields whose value is a list of objects with a `path`. */
const PATH_OBJECT_FIELDS = ['patches', 'patchesJson6902', 'replacements'];

const GENERATOR_FIELDS = ['configMapGenerator', 'secretGenerator'];

/** Every top-level field that names files: commented-out entries below these are probable references. */
const FIELDS_WITH_PATHS = new Set([
  ...PATH_LIST_FIELDS,
  ...PATH_OBJECT_FIELDS,
  ...GENERATOR_FIELDS,
  'openapi',
  'helmCharts',
  'helmChartInflationGenerator',
  'helmGlobals',
]);

/** True for the file names kustomize reads as a kustomization. */
export function isKustomizationFile(path: string): boolean {
  return KUSTOMIZATION_FILE_NAMES.has(basename(path));
}

/**
 * True when a document is kustomize's own configuration (`kustomize.config.k8s.io`, or no `apiVersion` at all), not a
 * Flux `Kustomization` or another object that happens to live in a file named like a kustomization.
 */
function isKustomizeDocument(root: unknown): boolean {
  const apiVersion = stringValue(mapGet(root, 'apiVersion'));
  return apiVersion === undefined || apiVersion.startsWith('kustomize.config.k8s.io/');
}

/** True when a file named like a kustomization really is one for kustomize (not a Flux `Kustomization`). */
export function isKustomizeConfig(text: string): boolean {
  const { documents, problems } = parseYaml('', text);
  return problems.length === 0 && documents.some((document) => isKustomizeDocument(document.contents));
}

/** True when a kustomization's text declares `kind: Component` (a building block that does not render alone). */
export function isKustomizeComponent(text: string): boolean {
  const { documents } = parseYaml('', text);
  return documents.some((document) => stringValue(mapGet(document.contents, 'kind')) === 'Component');
}

/** A list entry that is an inline patch or generator config rather than a file path. */
function isInlineDocument(value: string): boolean {
  return value.includes('\n') || /^\s*[{[]/.test(value) || /:\s/.test(value) || value.endsWith(':');
}

/**
 * Extracts every path field of a kustomization file (`kustomization.yaml`, `.yml`, `Kustomization`). Documents in it
 * that are not kustomize configuration (a Flux `Kustomization` saved under that name) are read as GitOps documents.
 */
export const extractKustomization: Extractor = (input, workspace) => {
  const parsed = parseYaml(input.path, input.text);
  if (parsed.problems.length > 0) return { refs: [], review: [], problems: parsed.problems };
  const collector = new RefCollector(input.path, input.text, parsed.lines, workspace);
  const folder = dirname(input.path);
  const rule = (kind: string): PathRule => ({ kind: `kustomize.${kind}`, base: folder, baseRule: 'referrer', confidence: 'exact' });

  const kustomizeDocuments = parsed.documents.filter((document) => isKustomizeDocument(document.contents));
  for (const document of parsed.documents) {
    if (!kustomizeDocuments.includes(document)) extractGitOpsDocument(collector, document.contents);
  }
  for (const document of kustomizeDocuments) {
    const root = document.contents;
    for (const field of PATH_LIST_FIELDS) {
      for (const item of seqItems(mapGet(root, field))) {
        const value = stringValue(item);
        if (value === undefined || isInlineDocument(value)) continue;
        collector.pathNode(item, rule(field));
      }
    }
    for (const field of PATH_OBJECT_FIELDS) {
      for (const item of seqItems(mapGet(root, field))) {
        // A bare path written where an object belongs (`patches: [- overlay.yaml]`, carried over from
        // `patchesStrategicMerge`) fails to build, but still names the file: a move must keep it naming it.
        const value = stringValue(item);
        if (value !== undefined && !isInlineDocument(value)) collector.pathNode(item, rule(field));
        else collector.pathNode(mapGet(item, 'path'), rule(field));
      }
    }
    for (const field of GENERATOR_FIELDS) {
      for (const generator of seqItems(mapGet(root, field))) {
        for (const entry of seqItems(mapGet(generator, 'files'))) generatorFile(collector, entry, rule(`${field}.files`));
        for (const entry of seqItems(mapGet(generator, 'envs'))) collector.pathNode(entry, rule(`${field}.envs`));
        collector.pathNode(mapGet(generator, 'env'), rule(`${field}.env`));
      }
    }
    collector.pathNode(mapGet(mapGet(root, 'openapi'), 'path'), rule('openapi'));
    for (const chart of seqItems(mapGet(root, 'helmCharts'))) {
      collector.pathNode(mapGet(chart, 'valuesFile'), rule('helmCharts.valuesFile'));
      for (const file of seqItems(mapGet(chart, 'additionalValuesFiles'))) {
        collector.pathNode(file, rule('helmCharts.additionalValuesFiles'));
      }
    }
    for (const generator of oneOrMany(mapGet(root, 'helmChartInflationGenerator'))) {
      collector.pathNode(mapGet(generator, 'chartHome'), rule('helmChartInflationGenerator.chartHome'));
      collector.pathNode(mapGet(generator, 'values'), rule('helmChartInflationGenerator.values'));
    }
    collector.pathNode(mapGet(mapGet(root, 'helmGlobals'), 'chartHome'), rule('helmGlobals.chartHome'));
  }
  if (kustomizeDocuments.length > 0) commentedEntries(collector, kustomizeDocuments, folder);
  return collector.extraction;
};

/** A generator `files` entry: `path`, or `key=path` where only the path is the reference. */
function generatorFile(collector: RefCollector, entry: unknown, rule: PathRule): void {
  const scalar = scalarText(entry, collector.text);
  if (!scalar || scalar.source !== scalar.value) {
    collector.pathNode(entry, rule);
    return;
  }
  const equals = scalar.source.indexOf('=');
  if (equals >= 0) {
    collector.pathRange(scalar.start + equals + 1, scalar.end, rule);
  } else {
    collector.pathRange(scalar.start, scalar.end, { ...rule, generatorKey: basename(scalar.source) });
  }
}

/**
 * Commented-out entries (`# - ../base`, `#- old.yaml`, `#   path: p.yaml`, `# - key=file.env`) below a field that names
 * files: probable references, kept only when they name something that exists.
 */
function commentedEntries(collector: RefCollector, documents: readonly YamlDocument[], folder: string): void {
  const comments = commentLines(collector.text, documents);
  if (comments.length === 0) return;
  const markers: { offset: number; field: string }[] = [];
  for (const document of documents) {
    for (const { key, keyNode } of mapEntries(document.contents)) {
      if (keyNode.range) markers.push({ offset: keyNode.range[0], field: key });
    }
  }
  for (const comment of comments) {
    const commentedKey = /^\s*([A-Za-z0-9]+):\s*$/.exec(comment.body);
    if (commentedKey) markers.push({ offset: comment.hash, field: commentedKey[1] });
  }
  markers.sort((a, b) => a.offset - b.offset);
  const rule: PathRule = { kind: 'kustomize.commented', base: folder, baseRule: 'referrer', confidence: 'probable', mustExist: true };
  for (const comment of comments) {
    const field = markers.filter((marker) => marker.offset < comment.hash).pop()?.field;
    if (field === undefined || !FIELDS_WITH_PATHS.has(field)) continue;
    const entry = /^(\s*(?:-\s*)?(?:path:\s*)?)(["']?)([^\s"'#]+)\2\s*(?:#.*)?$/.exec(comment.body);
    if (!entry || (!entry[1].includes('-') && !entry[1].includes('path:'))) continue;
    let text = entry[3];
    let start = comment.bodyStart + entry[1].length + entry[2].length;
    const equals = text.indexOf('=');
    if (GENERATOR_FIELDS.includes(field) && equals >= 0) {
      start += equals + 1;
      text = text.slice(equals + 1);
    }
    if (text.endsWith(':') || isRemoteUrl(text)) continue;
    collector.pathRange(start, start + text.length, rule);
  }
}
