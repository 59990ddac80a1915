/**
 * Paths in tool configuration files that resolve against the file's own folder: skaffold, Docker Compose, Helm
 * `Chart.yaml` dependencies, and MkDocs (`mkdocs.yml`, whose pages and assets resolve in its `docs_dir`).
 */
import { isMap } from 'yaml';
import { join } from '../paths';
import { isTemplated, PathRule, RefCollector } from './yamlRefs';
import { mapEntries, mapGet, mapPath, oneOrMany, scalarText, seqItems, stringValue } from './yamlSource';

const referrerRule = (kind: string, base: string, extra: Partial<PathRule> = {}): PathRule => ({
  kind,
  base,
  baseRule: 'referrer',
  confidence: 'exact',
  ...extra,
});

/** True for a skaffold configuration document (`apiVersion: skaffold/v…`). */
export function isSkaffoldConfig(root: unknown): boolean {
  return stringValue(mapGet(root, 'apiVersion'))?.startsWith('skaffold/') === true;
}

/** Extracts a skaffold document's manifests, deploy, build and config-dependency paths, and those of its profiles. */
export function extractSkaffold(collector: RefCollector, root: unknown, folder: string): void {
  skaffoldConfig(collector, root, folder);
  for (const profile of seqItems(mapGet(root, 'profiles'))) {
    skaffoldConfig(collector, profile, folder);
    for (const patch of seqItems(mapGet(profile, 'patches'))) skaffoldPatch(collector, patch, folder);
  }
}

function skaffoldConfig(collector: RefCollector, config: unknown, folder: string): void {
  const rule = (kind: string, extra: Partial<PathRule> = {}) => referrerRule(`skaffold.${kind}`, folder, extra);
  for (const path of seqItems(mapPath(config, 'manifests', 'kustomize', 'paths'))) collector.pathNode(path, rule('manifests.kustomize'));
  for (const path of seqItems(mapPath(config, 'manifests', 'rawYaml'))) collector.pathNode(path, rule('manifests.rawYaml', { glob: true }));
  for (const path of seqItems(mapPath(config, 'deploy', 'kustomize', 'paths'))) collector.pathNode(path, rule('deploy.kustomize'));
  for (const path of seqItems(mapPath(config, 'deploy', 'kubectl', 'manifests'))) collector.pathNode(path, rule('deploy.kubectl', { glob: true }));
  for (const helm of [mapPath(config, 'manifests', 'helm'), mapPath(config, 'deploy', 'helm')]) {
    for (const release of seqItems(mapGet(helm, 'releases'))) {
      collector.pathNode(mapGet(release, 'chartPath'), rule('helm.chartPath'));
      for (const file of seqItems(mapGet(release, 'valuesFiles'))) collector.pathNode(file, rule('helm.valuesFiles'));
    }
  }
  for (const artifact of seqItems(mapPath(config, 'build', 'artifacts'))) {
    const context = mapGet(artifact, 'context');
    const contextRef = collector.pathNode(context, rule('build.context'));
    const dockerfile = mapPath(artifact, 'docker', 'dockerfile');
    if (context === undefined) collector.pathNode(dockerfile, rule('build.dockerfile'));
    else if (contextRef) collector.pathNode(dockerfile, { ...rule('build.dockerfile'), base: contextRef.target, baseRule: 'fixed' });
  }
  for (const dependency of seqItems(mapGet(config, 'requires'))) collector.pathNode(mapGet(dependency, 'path'), rule('requires'));
}

/** Profile JSON patches whose `value` replaces one of the path fields above. */
const SKAFFOLD_PATCHED_PATH =
  /^\/(manifests\/kustomize\/paths\/(\d+|-)|manifests\/rawYaml\/(\d+|-)|deploy\/kustomize\/paths\/(\d+|-)|deploy\/kubectl\/manifests\/(\d+|-)|build\/artifacts\/\d+\/context)$/;

function skaffoldPatch(collector: RefCollector, patch: unknown, folder: string): void {
  const op = stringValue(mapGet(patch, 'op'));
  const path = stringValue(mapGet(patch, 'path'));
  if ((op !== 'add' && op !== 'replace') || path === undefined || !SKAFFOLD_PATCHED_PATH.test(path)) return;
  collector.pathNode(mapGet(patch, 'value'), referrerRule('skaffold.profilePatch', folder, { glob: /rawYaml|manifests\/\d|manifests\/-/.test(path) }));
}

/** Extracts a Compose file's build contexts and Dockerfiles, bind mounts, env files, includes, configs and secrets. */
export function extractCompose(collector: RefCollector, root: unknown, folder: string): void {
  const rule = (kind: string) => referrerRule(`compose.${kind}`, folder);
  for (const { value: service } of mapEntries(mapGet(root, 'services'))) {
    composeBuild(collector, mapGet(service, 'build'), folder);
    for (const volume of seqItems(mapGet(service, 'volumes'))) composeVolume(collector, volume, folder);
    for (const entry of oneOrMany(mapGet(service, 'env_file'))) collector.pathNode(isMap(entry) ? mapGet(entry, 'path') : entry, rule('env_file'));
    collector.pathNode(mapPath(service, 'extends', 'file'), rule('extends'));
  }
  for (const section of ['configs', 'secrets']) {
    for (const { value } of mapEntries(mapGet(root, section))) collector.pathNode(mapGet(value, 'file'), rule(`${section}.file`));
  }
  for (const entry of oneOrMany(mapGet(root, 'include'))) {
    for (const path of isMap(entry) ? oneOrMany(mapGet(entry, 'path')) : [entry]) collector.pathNode(path, rule('include'));
  }
}

function composeBuild(collector: RefCollector, build: unknown, folder: string): void {
  if (!isMap(build)) {
    collector.pathNode(build, referrerRule('compose.build.context', folder));
    return;
  }
  const context = mapGet(build, 'context');
  const contextRef = collector.pathNode(context, referrerRule('compose.build.context', folder));
  const dockerfile = mapGet(build, 'dockerfile');
  const contextText = stringValue(context);
  if (contextText === undefined) collector.pathNode(dockerfile, referrerRule('compose.build.dockerfile', folder));
  else if (contextRef || join(folder, contextText) === folder) {
    const base = join(folder, contextText);
    collector.pathNode(dockerfile, { ...referrerRule('compose.build.dockerfile', base), baseRule: base === folder ? 'referrer' : 'fixed' });
  }
}

/** A bind mount's host path: `./x:/y[:ro]` (short syntax, up to the first `:`) or `source:` of the long syntax. */
function composeVolume(collector: RefCollector, volume: unknown, folder: string): void {
  const rule = referrerRule('compose.volume', folder);
  if (isMap(volume)) {
    const source = stringValue(mapGet(volume, 'source'));
    if (stringValue(mapGet(volume, 'type')) === 'bind' || /^[.$]/.test(source ?? '')) collector.pathNode(mapGet(volume, 'source'), rule);
    return;
  }
  const scalar = scalarText(volume, collector.text);
  if (!scalar || scalar.source !== scalar.value || !/^[.$]/.test(scalar.source)) return;
  const colon = isTemplated(scalar.source) ? scalar.source.indexOf(':', scalar.source.indexOf('}')) : scalar.source.indexOf(':');
  if (colon > 0) collector.pathRange(scalar.start, scalar.start + colon, rule);
}

/** Extracts `file://` chart dependencies of a Helm `Chart.yaml`, relative to the chart folder. */
export function extractHelmChart(collector: RefCollector, root: unknown, folder: string): void {
  for (const dependency of seqItems(mapGet(root, 'dependencies'))) {
    const scalar = scalarText(mapGet(dependency, 'repository'), collector.text);
    if (!scalar || scalar.source !== scalar.value || !scalar.source.startsWith('file://')) continue;
    collector.pathRange(scalar.start + 'file://'.length, scalar.end, referrerRule('helm.dependency', folder));
  }
}

/**
 * An MkDocs configuration: `docs_dir` (default `docs`) and `theme.custom_dir` relative to the file's folder; the
 * `nav` pages, `theme.logo`/`theme.favicon` and `extra_css`/`extra_javascript` relative to the docs folder (a folder
 * of its own, base rule `fixed`). URLs in `nav` are not references.
 */
export function extractMkdocs(collector: RefCollector, root: unknown, folder: string): void {
  if (!isMap(root)) return;
  const docsDirNode = mapGet(root, 'docs_dir');
  const docsDirRef = collector.pathNode(docsDirNode, referrerRule('mkdocs.docsDir', folder));
  const docsDirText = stringValue(docsDirNode);
  if (docsDirText !== undefined && (docsDirRef === undefined || isTemplated(docsDirText))) return;
  const docs = docsDirRef?.target ?? join(folder, 'docs');
  if (docsDirNode === undefined && isMap(root)) {
    // The default is written nowhere: a move of that folder needs a `docs_dir:` line no rewrite can add.
    const key = root.items[0]?.key;
    const scalar = scalarText(key, collector.text);
    if (scalar) {
      collector.review(scalar.start, scalar.end, 'mkdocs.docsDir.default', `MkDocs reads its pages from the default docs_dir ${docs}; moving that folder needs a docs_dir line`, docs);
    }
  }
  const rule = (kind: string): PathRule => ({ kind: `mkdocs.${kind}`, base: docs, baseRule: 'fixed', confidence: 'exact' });
  const theme = mapGet(root, 'theme');
  collector.pathNode(mapGet(theme, 'custom_dir'), referrerRule('mkdocs.customDir', folder));
  for (const key of ['logo', 'favicon']) collector.pathNode(mapGet(theme, key), { ...rule('theme'), mustExist: true });
  for (const key of ['extra_css', 'extra_javascript']) {
    for (const entry of seqItems(mapGet(root, key))) collector.pathNode(isMap(entry) ? mapGet(entry, 'path') : entry, { ...rule('extra'), mustExist: true });
  }
  const nav = (node: unknown): void => {
    for (const item of seqItems(node)) {
      if (isMap(item)) {
        for (const { value } of mapEntries(item)) {
          if (stringValue(value) !== undefined) collector.pathNode(value, rule('nav'));
          else nav(value);
        }
      } else {
        collector.pathNode(item, rule('nav'));
      }
    }
  };
  nav(mapGet(root, 'nav'));
}
