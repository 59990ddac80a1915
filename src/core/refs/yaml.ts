/** The extractor for every YAML file: dispatches by file name and, per document, by `apiVersion`/`kind`. */
import { basename, dirname } from '../paths';
import { fullLineComments, LineIndex, mayNamePath } from '../text';
import { ExtractInput, Extractor, FileKind } from '../types';
import { extractGitHubAction, extractGitHubWorkflow, extractGitLabCi } from './ci';
import { extractGitOpsDocument } from './gitops';
import { extractKustomization, isKustomizationFile } from './kustomize';
import { extractShellFragment } from './shell';
import { RefCollector } from './yamlRefs';
import { commentLines, parseYaml } from './yamlSource';
import { extractCompose, extractHelmChart, extractMkdocs, extractSkaffold, isSkaffoldConfig } from './yamlTools';

const WORKFLOW_PATH = /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/;
const ACTION_NAME = /^action\.ya?ml$/;
const GITLAB_CI_NAME = /^(.+\.)?\.?gitlab-ci\.ya?ml$/;
const COMPOSE_NAME = /^(docker-)?compose([.-][^/]*)?\.ya?ml$/;
const MKDOCS_NAME = /^mkdocs\.ya?ml$/;

/** What a YAML file is, by its kind from the inventory or, failing that, by its name. */
function fileFormat(input: ExtractInput): FileKind | 'github-action' | 'mkdocs' | undefined {
  const name = basename(input.path);
  if (input.kind === 'github-workflow' || WORKFLOW_PATH.test(input.path)) return 'github-workflow';
  if (ACTION_NAME.test(name)) return 'github-action';
  if (input.kind === 'gitlab-ci' || GITLAB_CI_NAME.test(name)) return 'gitlab-ci';
  if (input.kind === 'compose' || COMPOSE_NAME.test(name)) return 'compose';
  if (input.kind === 'helm-chart' || name === 'Chart.yaml') return 'helm-chart';
  if (MKDOCS_NAME.test(name)) return 'mkdocs';
  return undefined;
}

/**
 * Extracts the references of any YAML file: kustomizations, Flux/Argo CD/Tekton documents, skaffold, Compose, Helm
 * charts, GitHub Actions and GitLab CI. A file with a syntax error yields its Problems and no references.
 */
export const extractYaml: Extractor = (input, workspace) => {
  if (input.kind === 'kustomization' || isKustomizationFile(input.path)) return extractKustomization(input, workspace);
  const parsed = parseYaml(input.path, input.text);
  if (parsed.problems.length > 0) return { refs: [], review: [], problems: parsed.problems };
  const collector = new RefCollector(input.path, input.text, parsed.lines, workspace);
  const folder = dirname(input.path);
  const format = fileFormat(input);
  for (const document of parsed.documents) {
    const root = document.contents;
    if (format === 'github-workflow') extractGitHubWorkflow(collector, root);
    else if (format === 'github-action') extractGitHubAction(collector, root);
    else if (format === 'gitlab-ci') extractGitLabCi(collector, root);
    else if (format === 'compose') extractCompose(collector, root, folder);
    else if (format === 'helm-chart') extractHelmChart(collector, root, folder);
    else if (format === 'mkdocs') extractMkdocs(collector, root, folder);
    else if (isSkaffoldConfig(root)) extractSkaffold(collector, root, folder);
    else extractGitOpsDocument(collector, root);
  }
  // Plain YAML and Helm values get their free-text paths, comments included, from the plain-text reader.
  if (input.kind !== 'yaml' && input.kind !== 'helm-values') commentPaths(collector, commentLines(input.text, parsed.documents));
  return collector.extraction;
};

/**
 * Plain Kubernetes manifests are not parsed (see `extract.ts`); only their full-line comments are read, as in any
 * other YAML file. A `#` line inside a block scalar is taken for a comment here, which at worst reports a path
 * written in an embedded script.
 */
export const extractManifestComments: Extractor = (input, workspace) => {
  const comments = fullLineComments(input.text).filter((comment) => mayNamePath(comment.body));
  // Most manifests have no such comment: no line index is built for them.
  if (comments.length === 0) return { refs: [], review: [], problems: [] };
  const collector = new RefCollector(input.path, input.text, new LineIndex(input.text), workspace);
  commentPaths(collector, comments);
  return collector.extraction;
};

/**
 * Full-line comments are free text read like a shell comment (`# Apply with kubectl apply -k infra/overlays/gke`):
 * a path-like word in one that resolves from the root or, failing that, from the file's folder is a probable
 * `yaml.comment` reference, so it follows a move; a comment yields no review item.
 */
function commentPaths(collector: RefCollector, comments: readonly { hash: number; bodyEnd: number; body: string }[]): void {
  for (const comment of comments) {
    // Most comment lines name no path: only those with a `/` or a file extension are read.
    if (!mayNamePath(comment.body)) continue;
    const fragment = { file: collector.file, text: collector.text, start: comment.hash, end: comment.bodyEnd, cwd: '', cwdRule: 'fixed' as const, kindPrefix: 'yaml' };
    const found = extractShellFragment(fragment, collector.workspace, collector.lines);
    collector.merge({ refs: found.refs.filter((ref) => ref.kind === 'yaml.comment'), review: [], problems: [] });
  }
}
