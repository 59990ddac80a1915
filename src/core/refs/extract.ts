/** Extraction dispatch: reads one file, classifies it and runs the extractor for its kind. */
import type {
  EntryType,
  Extraction,
  ExtractInput,
  Extractor,
  FileKind,
  FileSource,
  Problem,
  Reference,
  WorkspaceView,
} from '../types';
import { dirname } from '../paths';
import { classifySourceFile, type ClassifyContext } from '../inventory/classify';
import { extractDockerfile } from './dockerfile';
import { extractSourceIgnore, ignoreFileExtractor, isSourceIgnoreFile } from './ignorePatterns';
import { extractKustomization } from './kustomize';
import { extractMakefile } from './makefile';
import { extractMarkdown } from './markdown';
import { extractPlainText } from './plainText';
import { extractShell } from './shell';
import { extractTerraform } from './terraform';
import { extractTiltfile } from './tiltfile';
import { extractManifestComments, extractYaml } from './yaml';

/**
 * The extractor for each kind that can hold references; kinds not listed hold none (or are never parsed).
 *
 * Plain `kubernetes` manifests are not parsed: `extractYaml` finds references only in Flux, Argo CD, Tekton, skaffold,
 * Compose, Helm chart and CI documents, and classification already found no such top-level document in them. They are
 * most of an infrastructure tree, so parsing them would double the index build for nothing (a syntax error in one is
 * left to kustomize to report). Only their comment lines are read, for paths written in prose.
 *
 * Files no specific extractor reads (source code, tool configs, JSON, Helm values, plain YAML of no known tool) are
 * scanned as free text for words that name an existing workspace path. Dashboards are not: they are large, name
 * queries and data sources rather than files, and are referenced rather than referring.
 */
const EXTRACTORS: Partial<Record<FileKind, Extractor>> = {
  kustomization: extractKustomization,
  kubernetes: extractManifestComments,
  flux: extractYaml,
  argocd: extractYaml,
  tekton: extractYaml,
  skaffold: extractYaml,
  compose: extractYaml,
  'helm-chart': extractYaml,
  'helm-values': extractPlainYaml,
  'github-workflow': extractYaml,
  'gitlab-ci': extractYaml,
  yaml: extractPlainYaml,
  shell: extractShell,
  makefile: extractMakefile,
  dockerfile: extractDockerfile,
  terraform: extractTerraform,
  tiltfile: extractTiltfile,
  markdown: extractMarkdown,
  json: extractPlainText,
  other: extractPlainText,
};

/** A Relayout plan, whatever it is named, has a top-level `root:` beside `rules:`, `layout:` or `phases:`. */
function isRelayoutPlan(text: string): boolean {
  return /^root:/m.test(text) && /^(?:rules|layout|phases):/m.test(text);
}

/**
 * YAML of no known tool and Helm values: what the YAML extractor finds (a GitOps document it recognizes), then the
 * free-text paths outside those ranges (a linter config's `skip-dirs`, an app-of-apps chart's `path: apps/web`). A Relayout plan gets no free-text paths: its
 * rules and layout name where files go and are relative to its `root`, so a move must never rewrite them.
 */
function extractPlainYaml(input: ExtractInput, workspace: WorkspaceView): Extraction {
  const structured = extractYaml(input, workspace);
  if (isRelayoutPlan(input.text)) return structured;
  const taken = [...structured.refs, ...structured.review];
  const overlapsTaken = (reference: Reference): boolean =>
    taken.some((other) => other.start < reference.end && reference.start < other.end);
  const freeText = extractPlainText(input, workspace).refs.filter((reference) => !overlapsTaken(reference));
  if (freeText.length === 0) return structured;
  return { ...structured, refs: [...structured.refs, ...freeText].sort((a, b) => a.start - b.start) };
}

/** The extractor that `extractFile` runs for a kind; undefined for kinds that hold no references. */
export function extractorFor(kind: FileKind): Extractor | undefined {
  return EXTRACTORS[kind];
}

export interface ExtractFileOptions {
  /** What classification may know beyond the file (chart folders). */
  context?: ClassifyContext;
  /** The entry's type when the caller already knows it, sparing a `stat`. */
  type?: EntryType;
}

export interface FileExtraction {
  kind: FileKind;
  extraction: Extraction;
}

/**
 * Reads `path` from `source`, classifies it and extracts its references. A symlink into the workspace is one exact
 * `symlink` reference on its link text; a file that cannot be decoded (unreadable, not UTF-8) yields a Problem naming
 * it; binaries and kinds without an extractor yield nothing.
 */
export function extractFile(
  path: string,
  source: FileSource,
  workspace: WorkspaceView,
  options: ExtractFileOptions = {},
): FileExtraction {
  const { kind, read } = classifySourceFile(path, source, options.context, options.type ?? source.stat(path));
  if (kind === 'symlink') return { kind, extraction: symlinkExtraction(path, source) };
  if (isVendored(path, workspace)) return { kind, extraction: emptyExtraction() };
  if (read === undefined || !read.ok) {
    if (read === undefined || read.reason === 'binary') return { kind, extraction: emptyExtraction() };
    const problem: Problem = {
      file: path,
      line: 1,
      column: 1,
      message: read.message,
      severity: read.reason === 'not-utf8' ? 'warning' : 'error',
    };
    return { kind, extraction: { refs: [], review: [], problems: [problem] } };
  }
  const extractor = isSourceIgnoreFile(path) ? extractSourceIgnore : (ignoreFileExtractor(path) ?? extractorFor(kind));
  if (!extractor) return { kind, extraction: emptyExtraction() };
  return { kind, extraction: extractor({ path, text: read.text, kind }, workspace) };
}

/**
 * A file of a Go module's vendored dependencies (below a `vendor/` folder holding `modules.txt`) is another project's
 * copy: its paths (`hack/update-codegen.sh` in a generated comment) name places in that project, and `go mod vendor`
 * rewrites the folder, so it refers to nothing here.
 */
function isVendored(path: string, workspace: WorkspaceView): boolean {
  if (!path.includes('vendor/')) return false;
  const parts = path.split('/');
  for (let i = 0; i < parts.length - 1; i++) {
    if (parts[i] === 'vendor' && workspace.stat([...parts.slice(0, i + 1), 'modules.txt'].join('/')) === 'file') return true;
  }
  return false;
}

function symlinkExtraction(path: string, source: FileSource): Extraction {
  const link = source.readSymlink(path);
  if (!link || link.target === undefined) return emptyExtraction();
  const reference: Reference = {
    from: path,
    start: 0,
    end: link.linkText.length,
    line: 1,
    column: 1,
    text: link.linkText,
    kind: 'symlink',
    base: dirname(path),
    baseRule: 'referrer',
    target: link.target,
    confidence: 'exact',
  };
  return { refs: [reference], review: [], problems: [] };
}

function emptyExtraction(): Extraction {
  return { refs: [], review: [], problems: [] };
}
