import type { FileSource } from '../types';
import { dirname } from '../paths';
import { isKustomizationFile, isKustomizeComponent, isKustomizeConfig } from '../refs/kustomize';
import { parseYaml } from '../refs/yamlSource';

/** A folder kustomize can build on its own. */
export interface KustomizationRoot {
  /** The folder (workspace path). */
  dir: string;
  /** Its kustomization file. */
  file: string;
}

/**
 * Every folder with a kustomization file that is not a `kind: Component` (components do not render on their own) nor
 * a Flux `Kustomization` that happens to be named `kustomization.yaml` (kustomize cannot build those).
 * A file that cannot be read still makes a root: rendering it reports why it fails. A folder with two
 * kustomization files is one root (kustomize refuses to build it, and the render says so).
 */
export function findKustomizationRoots(source: FileSource): KustomizationRoot[] {
  const roots = new Map<string, KustomizationRoot>();
  for (const file of source.listFiles()) {
    if (!isKustomizationFile(file) || roots.has(dirname(file))) continue;
    const read = source.stat(file) === 'file' ? source.readText(file) : undefined;
    if (read?.ok && (isKustomizeComponent(read.text) || isForAnotherTool(read.text))) continue;
    roots.set(dirname(file), { dir: dirname(file), file });
  }
  return [...roots.values()].sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
}

/** Valid YAML that is not a kustomize kustomization (a Flux `Kustomization`); broken YAML stays a root to report. */
function isForAnotherTool(text: string): boolean {
  const { documents, problems } = parseYaml('', text);
  return problems.length === 0 && documents.length > 0 && !isKustomizeConfig(text);
}
