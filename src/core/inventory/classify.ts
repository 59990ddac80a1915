/** What a file is, as far as references go: by name, by path and by a light look at its content. */
import type { EntryType, FileKind, FileSource, ReadResult } from '../types';
import { basename, dirname, extname, isInside } from '../paths';

/** What classification may know beyond one file. */
export interface ClassifyContext {
  /** Folders holding a `Chart.yaml`: YAML files inside them (outside `templates/`) are Helm values. */
  chartFolders?: ReadonlySet<string>;
}

/** The folders of a file list that hold a Helm chart (a `Chart.yaml`). */
export function chartFoldersOf(files: Iterable<string>): Set<string> {
  const folders = new Set<string>();
  for (const file of files) if (basename(file) === 'Chart.yaml') folders.add(dirname(file));
  return folders;
}

const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);
const MAKEFILE_NAMES = new Set(['Makefile', 'makefile', 'GNUmakefile']);
const SHELL_EXTENSIONS = new Set(['.sh', '.bash']);
const MARKDOWN_EXTENSIONS = new Set(['.md', '.markdown']);
const PEM_EXTENSIONS = new Set(['.pem', '.crt', '.cer', '.key']);

const WORKFLOW_PATH = /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/;
const GITLAB_CI_NAME = /^(.+\.)?\.?gitlab-ci\.ya?ml$/;
const COMPOSE_NAME = /^(docker-)?compose([.-][^/]*)?\.ya?ml$/;
/** `values.yaml`, `values-prod.yaml`, and the common `signoz-values-dev.yaml` / `ingress-nginx-values.yaml` forms. */
const HELM_VALUES_NAME = /^(.*[-._])?values([-._][^/]*)?\.ya?ml$/;
const DOCKERFILE_NAME = /^(Dockerfile(\..+)?|.+\.[Dd]ockerfile|Containerfile)$/;
const SHELL_SHEBANG = /^#![ \t]*(\/usr\/bin\/env[ \t]+(-\S+[ \t]+)*)?(\/\S*\/)?(ba|da|k|z)?sh\b/;
const TOP_LEVEL_API_VERSION = /^\uFEFF?(["']?)apiVersion\1:[ \t]*["']?([^\s"'#,]+)/gm;
const TOP_LEVEL_KIND = /^\uFEFF?(["']?)kind\1:[ \t]*["']?[A-Za-z]/m;
const OPENSSL_SECTION = /^[ \t]*\[[ \t]*(req|v3_\w*)[ \t]*\]/m;

/**
 * Classifies a file from its workspace path and, when it could be read, its text. `text` undefined means the content
 * is unknown (unreadable or not UTF-8): the kind then comes from the name alone. Symlinks are classified by
 * `classifySourceFile`, which can see them.
 */
export function classifyFile(path: string, text: string | undefined, context: ClassifyContext = {}): FileKind {
  if (text !== undefined && text.slice(0, 8192).includes('\0')) return 'binary';
  const name = basename(path);
  const extension = extname(path).toLowerCase();

  if (KUSTOMIZATION_NAMES.has(name)) return 'kustomization';
  if (extension === '.yaml' || extension === '.yml') return classifyYaml(path, name, text, context);
  if (SHELL_EXTENSIONS.has(extension)) return 'shell';
  if (MAKEFILE_NAMES.has(name) || extension === '.mk') return 'makefile';
  if (DOCKERFILE_NAME.test(name)) return 'dockerfile';
  if (extension === '.tf') return 'terraform';
  if (name === 'Tiltfile') return 'tiltfile';
  if (MARKDOWN_EXTENSIONS.has(extension)) return 'markdown';
  if (extension === '.json') return text !== undefined && looksLikeDashboard(text) ? 'dashboard' : 'json';
  if (extension === '.csr') return 'csr';
  if (PEM_EXTENSIONS.has(extension) && text !== undefined) {
    const pemKind = classifyPem(text);
    if (pemKind) return pemKind;
  }
  if ((extension === '.cnf' || extension === '.conf') && text !== undefined && OPENSSL_SECTION.test(text)) {
    return 'cert-config';
  }
  if (text !== undefined && SHELL_SHEBANG.test(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)) return 'shell';
  return 'other';
}

function classifyYaml(path: string, name: string, text: string | undefined, context: ClassifyContext): FileKind {
  if (WORKFLOW_PATH.test(path)) return 'github-workflow';
  if (GITLAB_CI_NAME.test(name)) return 'gitlab-ci';
  if (COMPOSE_NAME.test(name)) return 'compose';
  if (name === 'Chart.yaml') return 'helm-chart';
  const chart = chartFolderOf(path, context);
  // Chart templates are Go templates, not YAML: parsing them would only report noise.
  if (chart !== undefined && isInside(path, chart === '' ? 'templates' : `${chart}/templates`)) return 'other';
  if (text !== undefined) {
    const contentKind = classifyByApiVersion(text);
    if (contentKind) return contentKind;
  }
  if (HELM_VALUES_NAME.test(name) || chart !== undefined) return 'helm-values';
  return 'yaml';
}

function chartFolderOf(path: string, context: ClassifyContext): string | undefined {
  const charts = context.chartFolders;
  if (!charts || charts.size === 0) return undefined;
  for (let folder = dirname(path); ; folder = dirname(folder)) {
    if (charts.has(folder)) return folder;
    if (folder === '') return undefined;
  }
}

/** The kind told by the top-level `apiVersion` of any document; GitOps and pipeline groups win over plain objects. */
function classifyByApiVersion(text: string): FileKind | undefined {
  let found: FileKind | undefined;
  TOP_LEVEL_API_VERSION.lastIndex = 0;
  for (let match = TOP_LEVEL_API_VERSION.exec(text); match; match = TOP_LEVEL_API_VERSION.exec(text)) {
    const group = match[2].split('/')[0];
    if (/^(kustomize|source|helm)\.toolkit\.fluxcd\.io$|^source\.extensions\.fluxcd\.io$/.test(group)) return 'flux';
    if (group === 'argoproj.io') found = 'argocd';
    else if ((group === 'tekton.dev' || group.endsWith('.tekton.dev')) && found !== 'argocd') found = 'tekton';
    else if (group === 'skaffold' && found === undefined) found = 'skaffold';
  }
  if (found) return found;
  TOP_LEVEL_API_VERSION.lastIndex = 0;
  return TOP_LEVEL_API_VERSION.test(text) && TOP_LEVEL_KIND.test(text) ? 'kubernetes' : undefined;
}

function classifyPem(text: string): FileKind | undefined {
  if (/-----BEGIN (NEW )?CERTIFICATE REQUEST-----/.test(text)) return 'csr';
  if (/-----BEGIN ([A-Z]+ )?PRIVATE KEY-----/.test(text)) return 'private-key';
  if (text.includes('-----BEGIN CERTIFICATE-----')) return 'certificate';
  return undefined;
}

/**
 * A Grafana dashboard (top-level `panels` or legacy `rows`, with a `title` or `schemaVersion`; also wrapped as
 * `{"dashboard": {…}}` by the HTTP API) or a SigNoz dashboard (`widgets` with a `layout` or a `title`).
 */
export function looksLikeDashboard(text: string): boolean {
  if (!text.includes('"panels"') && !text.includes('"rows"') && !text.includes('"widgets"')) return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return false;
  }
  if (!isObject(parsed)) return false;
  const dashboard = isObject(parsed.dashboard) ? parsed.dashboard : parsed;
  const titled = typeof dashboard.title === 'string';
  if ((Array.isArray(dashboard.panels) || Array.isArray(dashboard.rows)) && (titled || 'schemaVersion' in dashboard)) {
    return true;
  }
  return Array.isArray(dashboard.widgets) && (Array.isArray(dashboard.layout) || titled);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A file's kind together with what reading it gave (undefined for a symlink, which is not read). */
export interface ClassifiedFile {
  kind: FileKind;
  read: ReadResult | undefined;
}

/**
 * Reads and classifies one file of a source: symlinks by their type, binaries by their bytes, the rest by name and
 * text. `type` is the entry's type when the caller already knows it (from a typed listing); otherwise it is stat'ed.
 */
export function classifySourceFile(
  path: string,
  source: FileSource,
  context: ClassifyContext = {},
  type: EntryType | undefined = source.stat(path),
): ClassifiedFile {
  if (type === 'symlink') return { kind: 'symlink', read: undefined };
  const read = source.readText(path);
  if (read.ok) return { kind: classifyFile(path, read.text, context), read };
  return { kind: read.reason === 'binary' ? 'binary' : classifyFile(path, undefined, context), read };
}
