/** The extractor for every YAML file: dispatches by file name and, per document, by `apiVersion`/`kind`. */
import { basename, dirname } from '../paths';
import { ExtractInput, Extractor, FileKind } from '../types';
import { extractGitHubAction, extractGitHubWorkflow, extractGitLabCi } from './ci';
import { extractGitOpsDocument } from './gitops';
import { extractKustomization, isKustomizationFile } from './kustomize';
import { RefCollector } from './yamlRefs';
import { parseYaml } from './yamlSource';
import { extractCompose, extractHelmChart, extractSkaffold, isSkaffoldConfig } from './yamlTools';

const WORKFLOW_PATH = /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/;
const ACTION_NAME = /^action\.ya?ml$/;
const GITLAB_CI_NAME = /^(.+\.)?\.?gitlab-ci\.ya?ml$/;
const COMPOSE_NAME = /^(docker-)?compose([.-][^/]*)?\.ya?ml$/;

/** What a YAML file is, by its kind from the inventory or, failing that, by its name. */
function fileFormat(input: ExtractInput): FileKind | 'github-action' | undefined {
  const name = basename(input.path);
  if (input.kind === 'github-workflow' || WORKFLOW_PATH.test(input.path)) return 'github-workflow';
  if (ACTION_NAME.test(name)) return 'github-action';
  if (input.kind === 'gitlab-ci' || GITLAB_CI_NAME.test(name)) return 'gitlab-ci';
  if (input.kind === 'compose' || COMPOSE_NAME.test(name)) return 'compose';
  if (input.kind === 'helm-chart' || name === 'Chart.yaml') return 'helm-chart';
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
    else if (isSkaffoldConfig(root)) extractSkaffold(collector, root, folder);
    else extractGitOpsDocument(collector, root);
  }
  return collector.extraction;
};
