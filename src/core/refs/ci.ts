/** Repository paths in CI definitions: GitHub Actions workflows and GitLab CI files (all repository-root based). */
import { isMap, isScalar, isSeq } from 'yaml';
import { join } from '../paths';
import { isTemplated, PathRule, RefCollector } from './yamlRefs';
import { blockScalarBody, mapEntries, mapGet, mapPath, oneOrMany, parseYaml, scalarText, seqItems, stringValue } from './yamlSource';

const rootRule = (kind: string, extra: Partial<PathRule> = {}): PathRule => ({ kind, base: '', baseRule: 'fixed', confidence: 'exact', ...extra });

/** A glob entry, possibly negated with a leading `!` that is not part of the path. */
function globEntry(collector: RefCollector, node: unknown, rule: PathRule): void {
  const scalar = scalarText(node, collector.text);
  if (scalar && scalar.source === scalar.value && scalar.source.startsWith('!')) collector.pathRange(scalar.start + 1, scalar.end, rule);
  else collector.pathNode(node, rule);
}

/** The runners set these to the repository checkout: `source $GITHUB_WORKSPACE/versions.env` names a root path. */
const GITHUB_SHELL = { rootVariables: new Set(['GITHUB_WORKSPACE']) };
const GITLAB_SHELL = { rootVariables: new Set(['CI_PROJECT_DIR']) };

/** Shells GitHub runs a `run:` step with as shell script text; others (pwsh, python, cmd) are left alone. */
function isPosixShell(shell: string | undefined): boolean {
  return shell === undefined || /^(bash|sh)(\s|$)/.test(shell);
}

/** Extracts a GitHub Actions workflow's paths, working directories, local actions, `with:` paths and `run:` scripts. */
export function extractGitHubWorkflow(collector: RefCollector, root: unknown): void {
  for (const { value: trigger } of mapEntries(mapGet(root, 'on'))) {
    for (const entry of seqItems(mapGet(trigger, 'paths'))) globEntry(collector, entry, rootRule('github.paths', { glob: true }));
    for (const entry of seqItems(mapGet(trigger, 'paths-ignore'))) globEntry(collector, entry, rootRule('github.pathsIgnore', { glob: true }));
  }
  const workflowDefaults = mapPath(root, 'defaults', 'run');
  workingDirectory(collector, workflowDefaults);
  namedValues(collector, mapGet(root, 'env'), 'github.env');
  for (const { value: job } of mapEntries(mapGet(root, 'jobs'))) {
    const jobDefaults = mapPath(job, 'defaults', 'run');
    workingDirectory(collector, jobDefaults);
    matrixValues(collector, mapPath(job, 'strategy', 'matrix'));
    localAction(collector, mapGet(job, 'uses'));
    namedValues(collector, mapGet(job, 'with'), 'github.with');
    namedValues(collector, mapGet(job, 'env'), 'github.env');
    const defaultFolder = stringValue(mapGet(jobDefaults, 'working-directory')) ?? stringValue(mapGet(workflowDefaults, 'working-directory'));
    const defaultShell = stringValue(mapGet(jobDefaults, 'shell')) ?? stringValue(mapGet(workflowDefaults, 'shell'));
    githubSteps(collector, mapGet(job, 'steps'), defaultFolder, defaultShell);
  }
}

/** Extracts the steps of a composite action (`action.yml`): they run in the repository checkout like workflow steps. */
export function extractGitHubAction(collector: RefCollector, root: unknown): void {
  githubSteps(collector, mapPath(root, 'runs', 'steps'), undefined, undefined);
}

function githubSteps(collector: RefCollector, steps: unknown, defaultFolder: string | undefined, defaultShell: string | undefined): void {
  for (const step of seqItems(steps)) {
    localAction(collector, mapGet(step, 'uses'));
    namedValues(collector, mapGet(step, 'with'), 'github.with');
    namedValues(collector, mapGet(step, 'env'), 'github.env');
    const folder = workingDirectory(collector, step) ?? defaultFolder ?? '';
    if (!isTemplated(folder) && isPosixShell(stringValue(mapGet(step, 'shell')) ?? defaultShell)) {
      collector.shellNode(mapGet(step, 'run'), join('', folder), 'github.run', GITHUB_SHELL);
    }
  }
}

/** Records the `working-directory` of a step or of `defaults.run`, and returns its text. */
function workingDirectory(collector: RefCollector, holder: unknown): string | undefined {
  const node = mapGet(holder, 'working-directory');
  collector.pathNode(node, rootRule('github.workingDirectory'));
  return stringValue(node);
}

function localAction(collector: RefCollector, node: unknown): void {
  if (stringValue(node)?.startsWith('./')) collector.pathNode(node, rootRule('github.uses'));
}

/**
 * `with:` inputs and `env:` variables (GitLab `variables:`): a value naming an existing path is probable; a path built
 * from variables (`${{ … }}`, `$VAR`) is reviewed. Values that name nothing are settings, not paths.
 */
function namedValues(collector: RefCollector, holder: unknown, kind: string): void {
  for (const { value: entry } of mapEntries(holder)) {
    const value = isMap(entry) ? mapGet(entry, 'value') : entry;
    // Numbers and booleans (`3.11`, `true`) are settings even when a file of that name exists.
    if (!isScalar(value) || typeof value.value !== 'string') continue;
    const text = value.value;
    if (text.includes('\n')) {
      embeddedGlobLists(collector, value, 'github.pathFilter');
      continue;
    }
    if (kind === 'github.with' && /^\S+\s+\S/.test(text.replace(/\$\{\{[^}]*\}\}/g, '${}').trim())) {
      // A command line (mikefarah/yq `cmd: yq e '.version' charts/app/Chart.yaml`): its words are scanned as shell.
      collector.shellNode(value, '', kind, GITHUB_SHELL);
      continue;
    }
    if (isTemplated(text)) {
      if (text.replace(/\$\{\{[^}]*\}\}|\$\{[^}]*\}|\$\w+/g, '').includes('/')) collector.pathNode(value, rootRule(kind));
    } else {
      collector.pathNode(value, rootRule(kind, { confidence: 'probable', mustExist: true, glob: true }));
    }
  }
}

/**
 * The values of a job's `strategy.matrix` (lists, `include:` maps) that name an existing path from the root
 * (`- file: ./src/ad/Dockerfile`): steps use them as `${{ matrix.file }}`, so they are probable references.
 */
function matrixValues(collector: RefCollector, node: unknown): void {
  if (isSeq(node)) {
    for (const item of node.items) matrixValues(collector, item);
  } else if (isMap(node)) {
    for (const pair of node.items) matrixValues(collector, pair.value);
  } else if (isScalar(node) && typeof node.value === 'string' && !isTemplated(node.value) && /\/|\.[A-Za-z0-9]+$/.test(node.value)) {
    collector.pathNode(node, rootRule('github.matrix', { confidence: 'probable', mustExist: true }));
  }
}

/**
 * A value written as a block of YAML (dorny/paths-filter's `filters: |` with `- 'src/api/**'` items): each list item
 * that is a path or glob whose static folder exists is a probable repository-root glob reference.
 */
function embeddedGlobLists(collector: RefCollector, value: unknown, kind: string): void {
  const body = blockScalarBody(value, collector.text);
  if (!body || body.start >= body.end) return;
  const snippet = collector.text.slice(body.start, body.end);
  const parsed = parseYaml(collector.file, snippet);
  // Lines of paths are no YAML collection (a `!` or `#` line may even make them invalid YAML).
  if (parsed.problems.length > 0 || parsed.documents.every((document) => !isSeq(document.contents) && !isMap(document.contents))) {
    embeddedLineList(collector, body.start, snippet, kind);
    return;
  }
  const inner = new RefCollector(collector.file, snippet, parsed.lines, collector.workspace);
  const rule = rootRule(kind, { confidence: 'probable', mustExist: true, glob: true });
  const visit = (node: unknown): void => {
    if (isSeq(node)) {
      for (const item of node.items) {
        if (isScalar(item) && typeof item.value === 'string') {
          if (!isTemplated(item.value) && /\/|\*/.test(item.value)) globEntry(inner, item, rule);
        } else {
          visit(item);
        }
      }
    } else if (isMap(node)) {
      for (const pair of node.items) visit(pair.value);
    }
  };
  for (const document of parsed.documents) visit(document.contents);
  for (const ref of inner.extraction.refs) {
    const start = ref.start + body.start;
    collector.extraction.refs.push({ ...ref, start, end: ref.end + body.start, ...collector.lines.position(start) });
  }
}

/**
 * A value written as lines of paths (softprops/action-gh-release `files: |`, actions/upload-artifact and actions/cache
 * `path: |`): each line that is one path-like word (with a `/`, an extension or a `*`, possibly negated with `!`) and
 * names something existing from the root is a probable root reference.
 */
function embeddedLineList(collector: RefCollector, offset: number, snippet: string, kind: string): void {
  const rule = rootRule(kind, { confidence: 'probable', mustExist: true, glob: true });
  const line = /^([ \t]*!?)([^\s#'"!][^\s#'"]*)[ \t]*\r?$/gm;
  for (let match = line.exec(snippet); match; match = line.exec(snippet)) {
    const word = match[2];
    if (isTemplated(word) || !/\/|\*|\.[A-Za-z0-9]+$/.test(word)) continue;
    const start = offset + match.index + match[1].length;
    collector.pathRange(start, start + word.length, rule);
  }
}

/** Top-level GitLab CI keys that are not jobs. */
const GITLAB_RESERVED = new Set(['default', 'include', 'stages', 'variables', 'workflow', 'image', 'services', 'cache', 'before_script', 'after_script', 'spec']);
const SCRIPT_KEYS = ['before_script', 'script', 'after_script'];

/** Extracts a GitLab CI file's scripts, `changes`/`exists` globs and local includes. */
export function extractGitLabCi(collector: RefCollector, root: unknown): void {
  gitlabIncludes(collector, mapGet(root, 'include'));
  gitlabScripts(collector, root);
  namedValues(collector, mapGet(root, 'variables'), 'gitlab.variables');
  gitlabRules(collector, mapGet(root, 'workflow'));
  for (const { key, value: job } of mapEntries(root)) {
    if (GITLAB_RESERVED.has(key) || !isMap(job)) continue;
    gitlabScripts(collector, job);
    gitlabRules(collector, job);
    namedValues(collector, mapGet(job, 'variables'), 'gitlab.variables');
    for (const filter of [mapGet(job, 'only'), mapGet(job, 'except')]) {
      for (const entry of oneOrMany(mapGet(filter, 'changes'))) globEntry(collector, entry, rootRule('gitlab.changes', { glob: true }));
    }
    const trigger = mapGet(job, 'trigger');
    gitlabIncludes(collector, mapGet(trigger, 'include'));
  }
  gitlabScripts(collector, mapGet(root, 'default'));
}

function gitlabScripts(collector: RefCollector, holder: unknown): void {
  for (const key of SCRIPT_KEYS) {
    for (const entry of oneOrMany(mapGet(holder, key))) {
      // `!reference [.job, script]` names another job's script; nested plain lists are part of this one.
      if (isSeq(entry)) {
        if (entry.tag === undefined) for (const line of entry.items) collector.shellNode(line, '', 'gitlab.script', GITLAB_SHELL);
      } else {
        collector.shellNode(entry, '', 'gitlab.script', GITLAB_SHELL);
      }
    }
  }
}

function gitlabRules(collector: RefCollector, holder: unknown): void {
  for (const rule of seqItems(mapGet(holder, 'rules'))) {
    for (const [field, kind] of [['changes', 'gitlab.changes'], ['exists', 'gitlab.exists']] as const) {
      const value = mapGet(rule, field);
      const entries = isMap(value) ? seqItems(mapGet(value, 'paths')) : oneOrMany(value);
      for (const entry of entries) globEntry(collector, entry, rootRule(kind, { glob: true }));
    }
  }
}

/** `include:` entries naming a file of this repository (`/x.yml`, `x.yml`, `local: …`); remote ones are skipped. */
function gitlabIncludes(collector: RefCollector, include: unknown): void {
  const rule = rootRule('gitlab.include', { glob: true, rootAbsolute: true });
  for (const entry of oneOrMany(include)) {
    if (isMap(entry)) collector.pathNode(mapGet(entry, 'local'), rule);
    else collector.pathNode(entry, rule);
  }
}
