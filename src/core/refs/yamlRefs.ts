/**
 * Turning path scalars of a YAML file into References and ReviewItems, with the rules every YAML extractor shares:
 * templated paths are reviewed, never guessed; remote URLs and paths outside the workspace's reach are not references.
 */
import { join, normalize } from '../paths';
import { LineIndex } from '../text';
import { BaseRule, Confidence, Extraction, Reference, ReviewItem, WorkspaceView } from '../types';
import { scanShell, ShellScanOptions } from './shell';
import { blockScalarBody, scalarText, stringValue } from './yamlSource';

/** How one path field resolves. */
export interface PathRule {
  kind: string;
  /** The folder the text resolves against. */
  base: string;
  baseRule: BaseRule;
  confidence: Confidence;
  /** A leading `/` means the workspace root (GitLab `include`); otherwise such paths are outside the workspace. */
  rootAbsolute?: boolean;
  /** The field takes glob patterns: a wildcard makes a glob reference to the static folder prefix. */
  glob?: boolean;
  /** Keep the reference only when its target exists (paths guessed from free-form values). */
  mustExist?: boolean;
  generatorKey?: string;
}

const TEMPLATE = /\$\{|\$\(|\$[A-Za-z_]|\{\{/;
const WILDCARD = /[*?[{]/;

/**
 * A URL scheme, `user@host:`, a known git host, a `?ref=`/`?version=` query, or a `//` repository-subfolder separator
 * (kustomize's remote syntax). One pattern, as every path of every file is tested against it.
 */
const REMOTE_URL =
  /^[A-Za-z][A-Za-z0-9+.-]*:\/\/|^[\w.-]+@[\w.-]+:|^(?:github\.com|gitlab\.com|bitbucket\.org|dev\.azure\.com|ssh\.dev\.azure\.com)\/|\?ref=|\?version=|[^/]\/\/[^/]|^\/\//;

/** True for a kustomize/git remote target (`https://…`, `git@…`, `github.com/org/repo//path?ref=v1`). */
export function isRemoteUrl(text: string): boolean {
  return REMOTE_URL.test(text);
}

/** True when a path is built from a variable or template (`${X}`, `$X`, `$(params.x)`, `{{path}}`, `${{ matrix.x }}`). */
export function isTemplated(text: string): boolean {
  return TEMPLATE.test(text);
}

/** The folders before the first segment that matches `special` (a wildcard or a template), as a workspace path. */
export function staticPrefix(text: string, special: RegExp = WILDCARD): string {
  const segments = text.split('/');
  const fixed: string[] = [];
  for (const segment of segments) {
    if (special.test(segment)) break;
    fixed.push(segment);
  }
  if (fixed.length === segments.length) fixed.pop();
  return normalize(fixed.join('/'));
}

/** True unless the text starts with a `#!` line naming an interpreter that is not a POSIX-style shell. */
export function isShellScript(script: string): boolean {
  const shebang = /^#!([^\r\n]*)/.exec(script);
  return !shebang || /(^|[\/\s])(sh|bash|dash|ash|zsh|ksh)(\s|$)/.test(shebang[1]);
}

/**
 * `join(base, path)`, without re-normalizing what is already normal: almost every path written in a file is, and
 * normalizing each again is a good part of extracting a kustomization.
 */
function resolveAgainst(base: string, path: string): string {
  return normalize(base === '' ? path : `${base}/${path}`);
}

/** Collects the references, review items and problems of one file. */
export class RefCollector {
  readonly extraction: Extraction = { refs: [], review: [], problems: [] };

  constructor(
    readonly file: string,
    readonly text: string,
    readonly lines: LineIndex,
    readonly workspace: WorkspaceView,
  ) {}

  /** A path written as a whole scalar (plain or quoted). Returns the reference when one was recorded. */
  pathNode(node: unknown, rule: PathRule): Reference | undefined {
    const scalar = scalarText(node, this.text);
    if (!scalar) return undefined;
    if (scalar.source !== scalar.value) {
      if (scalar.value.includes('/') && !scalar.value.includes('\n') && !isRemoteUrl(scalar.value)) {
        this.review(scalar.start, scalar.end, rule.kind, 'The path is written with escape sequences or across lines, so it cannot be rewritten in place.');
      }
      return undefined;
    }
    return this.pathRange(scalar.start, scalar.end, rule);
  }

  /** A path occupying `text.slice(start, end)`. */
  pathRange(start: number, end: number, rule: PathRule): Reference | undefined {
    const text = this.text.slice(start, end);
    if (text.trim() === '' || text !== text.trim() || /[\r\n]/.test(text) || isRemoteUrl(text)) return undefined;
    if (isTemplated(text)) {
      const target = staticPrefix(rule.rootAbsolute ? text.replace(/^\/+/, '') : text, TEMPLATE);
      this.review(start, end, rule.kind, 'The path is built from a variable or template, so it cannot be rewritten statically.', target === '' ? undefined : join(rule.base, target));
      return undefined;
    }
    if (text.startsWith('~') || (text.startsWith('/') && !rule.rootAbsolute) || /^[A-Za-z]:[\\/]/.test(text)) return undefined;
    const isGlob = rule.glob === true && WILDCARD.test(text);
    const target = resolveAgainst(rule.base, isGlob ? staticPrefix(text) : text);
    if (target === '' && !isGlob) return undefined;
    if (rule.mustExist && this.workspace.stat(target) === undefined) return undefined;
    const { line, column } = this.lines.position(start);
    const reference: Reference = {
      from: this.file,
      start,
      end,
      line,
      column,
      text,
      kind: rule.kind,
      base: rule.base,
      baseRule: rule.baseRule,
      target,
      confidence: rule.confidence,
    };
    if (isGlob) reference.glob = true;
    if (rule.generatorKey !== undefined) reference.generatorKey = rule.generatorKey;
    this.extraction.refs.push(reference);
    return reference;
  }

  /** Records a needs-review item over `text.slice(start, end)`. */
  review(start: number, end: number, kind: string, reason: string, target?: string): void {
    const { line, column } = this.lines.position(start);
    const item: ReviewItem = { file: this.file, start, end, line, column, text: this.text.slice(start, end), kind, reason };
    if (target !== undefined) item.target = target;
    this.extraction.review.push(item);
  }

  /** Records a needs-review item over a whole scalar. */
  reviewNode(node: unknown, kind: string, reason: string, target?: string): void {
    const scalar = scalarText(node, this.text);
    if (scalar) this.review(scalar.start, scalar.end, kind, reason, target);
  }

  /**
   * Scans a scalar as shell (a block scalar's body, or a plain/quoted scalar's content), with unanchored relative
   * paths resolving in `cwd`. A script whose `#!` line names another interpreter (python, node) is left alone.
   */
  shellNode(node: unknown, cwd: string, kindPrefix: string, options: ShellScanOptions = {}): void {
    const range = blockScalarBody(node, this.text) ?? scalarText(node, this.text);
    const value = stringValue(node);
    if (!range || value === undefined || !isShellScript(value)) return;
    const fragment = { file: this.file, text: this.text, start: range.start, end: range.end, cwd, cwdRule: 'fixed' as const, kindPrefix };
    this.merge(scanShell(fragment, this.workspace, this.lines, options));
  }

  /** Adds another extraction's findings (a shell fragment), dropping those over ranges already recorded here. */
  merge(other: Extraction): void {
    const taken = (start: number, end: number) =>
      this.extraction.refs.some((ref) => ref.start < end && start < ref.end) ||
      this.extraction.review.some((item) => item.start < end && start < item.end);
    const refs = other.refs.filter((ref) => !taken(ref.start, ref.end));
    const review = other.review.filter((item) => !taken(item.start, item.end));
    this.extraction.refs.push(...refs);
    this.extraction.review.push(...review);
    this.extraction.problems.push(...other.problems);
  }
}
