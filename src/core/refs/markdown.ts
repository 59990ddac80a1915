/**
 * Path references in Markdown.
 *
 * - Inline links and images `[x](../a/b.md#frag "title")`, `<…>` destinations and reference definitions
 *   `[id]: path` are exact, relative to the document's folder, and kept when broken. The range covers the path only:
 *   no `#fragment`, `?query`, angle brackets or title. A root-absolute destination `/a/b` resolves against the
 *   workspace root (base `''`, rule `fixed`) and its range includes the leading `/`, so a rewrite keeps that style.
 *   URLs (any `scheme:`), protocol-relative `//host` links and pure `#anchors` are skipped.
 * - `src`/`href` attributes of inline HTML tags (`<img src="img/a.png">`) are exact `markdown.html` references; any
 *   other attribute whose value is a path (`filePath="./k8s/x.yaml"`) is a probable `markdown.htmlAttribute`.
 * - Inline code spans are scanned as shell (kinds `markdown.code.*`): a lone `` `infrastructure/x.sh` `` is a
 *   probable reference when it resolves from the root or, failing that, from the document's folder.
 * - The text of an inline link or image that is itself a path (`[docs/x.md](docs/x.md)`, also in backticks) is a
 *   probable `markdown.linkText` reference, resolved like a code span; a leading `/` resolves from the root only.
 *   An emphasized word that is a path (`**apps/base/**`) is a probable `markdown.emphasis` reference, resolved alike.
 * - Fenced blocks tagged bash/sh/shell/zsh are scanned as shell run from the root (kinds `markdown.shell.*`); in
 *   `console` blocks only the `$ ` prompt lines are. The blocks of a document are one session: a variable set in one
 *   (`DEMO_HOME=$(mktemp -d)`) is known in the next; each starts again at the root. An untagged fence is read the
 *   same way when it holds commands: its `$ ` prompt lines when it has any, the whole block when its first line
 *   starts with a well-known command (`kubectl`, `argocd`, `./x.sh`, …) or a variable assignment; READMEs often
 *   leave command blocks untagged.
 * - Fenced `yaml` blocks are parsed: the paths of GitOps documents in them (Flux, Argo CD, Tekton) are probable
 *   `markdown.yaml.*` references from the root (`markdown.yaml.flux.path`). A `yaml` block that starts with a
 *   command is read as shell. No other fence is scanned.
 * - ASCII tree diagrams (`├──`, `└──`, `│`) whose names resolve are one needs-review item each.
 */
import type { Extractor, Reference, ReviewItem, WorkspaceView } from '../types';
import { LineIndex, isWhitespaceAt } from '../text';
import { dirname, escapesRoot, join, normalize } from '../paths';
import { extractGitOpsDocument } from './gitops';
import { extractShellFragment, extractShellSession, isPathLike } from './shell';
import { RefCollector } from './yamlRefs';
import { parseYaml } from './yamlSource';

interface Line {
  start: number;
  /** End of the content, before `\r\n` or `\n`. */
  end: number;
  text: string;
}

interface Fence {
  /** The lines between the opening and closing fence. */
  lines: Line[];
  language: string;
}

const SHELL_LANGUAGES = new Set(['bash', 'sh', 'shell', 'zsh', 'ksh']);
const CONSOLE_LANGUAGES = new Set(['console', 'shell-session', 'shellsession', 'terminal']);
const YAML_LANGUAGES = new Set(['yaml', 'yml']);
/** A line of a tree diagram (`├── x`, ASCII `|-- x`); a table's delimiter row (`|---|:--|`) is not one. */
const TREE_LINE = /[├└│]|^\s*[|`]--(?!-*\s*[|:])/;
const PROMPT = /^\s*\$\s+/;
/** A table's delimiter row: `|---|:--:|`, `--- | ---` (at least one `|` and only dashes, colons, blanks). */
const TABLE_DELIMITER = /^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?\s*$|^\s*\|\s*:?-+:?\s*\|\s*$/;
/** Emphasis (`*x*`, `**x**`, `_x_`, `__x__`) around one word without blanks, stars or backticks. */
const EMPHASIZED_WORD = /^(\*{1,3}|_{1,3})([^\s*_`][^\s*`]*?)\1(?![*_])/;
/** First words that make an untagged fence a block of commands rather than output, YAML or prose. */
const COMMAND_WORDS = new Set([
  'kubectl', 'kustomize', 'helm', 'flux', 'argocd', 'kind', 'k3d', 'minikube', 'skaffold', 'tilt', 'terraform',
  'docker', 'podman', 'git', 'make', 'cd', 'source', 'bash', 'sh', 'export', 'cat', 'cp', 'mv', 'mkdir', 'curl',
  'go', 'npm', 'npx', 'yq', 'jq', 'sops', 'kubeseal', 'cosign', 'mage',
]);

/** Extracts links, code paths, shell blocks and tree diagrams from a Markdown document. */
export const extractMarkdown: Extractor = (input, workspace) => {
  const { path, text } = input;
  const reader = new MarkdownReader(path, text, workspace);
  return reader.read();
};

class MarkdownReader {
  private readonly refs: Reference[] = [];
  private readonly review: ReviewItem[] = [];
  private readonly lines: LineIndex;
  private readonly folder: string;
  /** The shell blocks and prompt lines, scanned together at the end as one session that shares variables. */
  private readonly shellRanges: { start: number; end: number }[] = [];

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly workspace: WorkspaceView,
  ) {
    this.lines = new LineIndex(text);
    this.folder = dirname(file);
  }

  read(): { refs: Reference[]; review: ReviewItem[]; problems: [] } {
    const lines = splitLines(this.text);
    let paragraph: Line[] = [];
    const flushParagraph = (): void => {
      if (paragraph.length > 0) this.paragraph(paragraph);
      paragraph = [];
    };
    let i = skipFrontMatter(lines);
    while (i < lines.length) {
      const line = lines[i];
      const open = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)/.exec(line.text.replace(/^\uFEFF/, ''));
      if (open) {
        flushParagraph();
        this.mdoxExec(line);
        const fence: Fence = { lines: [], language: open[3].toLowerCase().replace(/^\{?\.?|\}$/g, '') };
        i++;
        while (i < lines.length && !isFenceClose(lines[i].text, open[2])) fence.lines.push(lines[i++]);
        i++;
        this.fence(fence);
        continue;
      }
      if (line.text.trim() === '') flushParagraph();
      else paragraph.push(line);
      i++;
    }
    flushParagraph();
    const session = extractShellSession(
      { file: this.file, text: this.text, cwd: '', cwdRule: 'fixed', kindPrefix: 'markdown.shell' },
      this.shellRanges,
      this.workspace,
      this.lines,
    );
    this.refs.push(...session.refs);
    this.review.push(...session.review);
    this.refs.sort((a, b) => a.start - b.start);
    this.review.sort((a, b) => a.start - b.start);
    return { refs: this.refs, review: this.review, problems: [] };
  }

  /**
   * mdox's `mdox-exec="cat examples/app.jsonnet"` on a fence's opening line: the command whose output mdox writes into
   * the block, run from where mdox runs (the repository root, as `make fmt` does), read as shell.
   */
  private mdoxExec(line: Line): void {
    const exec = /\bmdox-exec=(["'])([^"'`]+)\1/.exec(line.text);
    if (!exec) return;
    const start = line.start + exec.index + exec[0].indexOf(exec[1]) + 1;
    const result = extractShellFragment(
      { file: this.file, text: this.text, start, end: start + exec[2].length, cwd: '', cwdRule: 'fixed', kindPrefix: 'markdown.shell' },
      this.workspace,
      this.lines,
    );
    this.refs.push(...result.refs);
    this.review.push(...result.review);
  }

  private fence(fence: Fence): void {
    if (fence.lines.length === 0) return;
    const untaggedCommands = fence.language === '' && !fence.lines.some((line) => TREE_LINE.test(line.text));
    const prompted = fence.lines.some((line) => PROMPT.test(line.text));
    // A `yaml` tag on a block of commands (`flux create … --export > x.yaml`) is a common slip.
    const yaml = YAML_LANGUAGES.has(fence.language);
    const commandsTaggedYaml = yaml && startsWithCommand(fence.lines) && !/^\s*[^\s:]+:(\s|$)/.test(fence.lines[0].text);
    if (yaml && !commandsTaggedYaml) {
      this.yamlFence(fence.lines[0].start, fence.lines[fence.lines.length - 1].end);
    } else if (SHELL_LANGUAGES.has(fence.language) || commandsTaggedYaml || (untaggedCommands && !prompted && startsWithCommand(fence.lines))) {
      this.shellRanges.push({ start: fence.lines[0].start, end: fence.lines[fence.lines.length - 1].end });
    } else if (CONSOLE_LANGUAGES.has(fence.language) || (untaggedCommands && prompted)) {
      for (const line of fence.lines) {
        const prompt = PROMPT.exec(line.text);
        if (prompt) this.shellRanges.push({ start: line.start + prompt[0].length, end: line.end });
      }
    } else {
      this.trees(fence.lines);
    }
  }

  /**
   * A YAML block: the paths of the GitOps documents in it (a Flux Kustomization's `spec.path`, an Argo CD
   * Application's `source.path`), repository-root based as in a real file, probable because they are an example.
   */
  private yamlFence(start: number, end: number): void {
    const snippet = this.text.slice(start, end);
    const parsed = parseYaml(this.file, snippet);
    if (parsed.problems.length > 0) return;
    const collector = new RefCollector(this.file, snippet, parsed.lines, this.workspace);
    for (const document of parsed.documents) extractGitOpsDocument(collector, document.contents);
    for (const ref of collector.extraction.refs) {
      const at = ref.start + start;
      this.refs.push({ ...ref, start: at, end: ref.end + start, ...this.lines.position(at), kind: `markdown.yaml.${ref.kind}`, confidence: 'probable' });
    }
    for (const item of collector.extraction.review) {
      const at = item.start + start;
      this.review.push({ ...item, start: at, end: item.end + start, ...this.lines.position(at), kind: `markdown.yaml.${item.kind}` });
    }
  }

  /** A run of non-blank lines outside fences: tree diagrams, reference definitions, then inline content. */
  private paragraph(lines: Line[]): void {
    if (lines.some((line) => TREE_LINE.test(line.text))) {
      this.trees(lines);
      return;
    }
    this.tableCells(lines);
    let inlineStart = lines[0].start;
    for (const line of lines) {
      const definition = /^ {0,3}\[((?:[^\]\\]|\\.)+)\]:[ \t]*/.exec(line.text);
      if (definition && inlineStart === line.start) {
        const destination = this.destination(line.start + definition[0].length, line.end);
        if (destination) this.link(destination.start, destination.end, 'markdown.definition');
        inlineStart = line.end + (this.text[line.end] === '\r' ? 2 : 1);
      }
    }
    this.inline(inlineStart, lines[lines.length - 1].end);
  }

  /** Scans inline content: code spans (as shell), links and images; escapes and autolinks are stepped over. */
  private inline(start: number, end: number): void {
    const openBrackets: { at: number; image: boolean }[] = [];
    let i = start;
    while (i < end) {
      const c = this.text[i];
      if (c === '\\') {
        i += 2;
      } else if (c === '`') {
        i = this.codeSpan(i, end);
      } else if (c === '<') {
        const ahead = this.text.slice(i, Math.min(end, i + 2048));
        const autolink = /^<[A-Za-z][A-Za-z0-9+.-]*:[^\s<>]*>/.exec(ahead);
        const tag = autolink ? null : /^<[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?>/.exec(ahead);
        if (tag) this.htmlAttributes(i, tag[0]);
        i += autolink ? autolink[0].length : tag ? tag[0].length : 1;
      } else if (c === '*' || c === '_') {
        i = this.emphasis(i, end);
      } else if (c === '[') {
        openBrackets.push({ at: i, image: this.text[i - 1] === '!' });
        i++;
      } else if (c === ']' && openBrackets.length > 0) {
        const open = openBrackets.pop()!;
        i++;
        if (this.text[i] !== '(') continue;
        const destination = this.destination(i + 1, end);
        if (!destination) continue;
        const close = this.afterTitle(destination.after, end);
        if (close < 0) continue;
        this.link(destination.start, destination.end, open.image ? 'markdown.image' : 'markdown.link');
        this.linkText(open.at + 1, i - 1);
        if (!open.image) openBrackets.length = 0;
        i = close;
      } else {
        i++;
      }
    }
  }

  /**
   * The cells of a table (a header row, then a delimiter row `|---|:--|`): a cell that holds nothing but a path
   * (`| Cert Manager | common/cert-manager | … |`), or paths split by `<br>`, names it as prose does.
   */
  private tableCells(lines: Line[]): void {
    if (lines.length < 2 || !TABLE_DELIMITER.test(lines[1].text) || !lines[0].text.includes('|')) return;
    for (const line of [lines[0], ...lines.slice(2)]) {
      let cellStart = 0;
      for (let i = 0; i <= line.text.length; i++) {
        if (line.text[i] === '\\') {
          i++;
          continue;
        }
        if (i < line.text.length && line.text[i] !== '|') continue;
        // A part of a cell (the whole cell, or a piece between `<br>` tags) that is one word: a word in a sentence is
        // prose, and a link or code span in a cell is read by `inline`.
        const cell = line.text.slice(cellStart, i);
        for (const part of cell.matchAll(/(?:^|<br\s*\/?>)\s*([^\s<>|`[\]()*]+)\s*(?=$|<br\s*\/?>)/gi)) {
          const from = line.start + cellStart + part.index + part[0].indexOf(part[1]);
          this.prosePath(from, from + part[1].length, 'markdown.tableCell');
        }
        cellStart = i + 1;
      }
    }
  }

  /**
   * Emphasis opening at `at` whose content is one word (`**apps/base/**`, `_values.yaml_`): a path written there is
   * prose naming a file. Returns the offset after the opening run, so that links and code inside are still read.
   */
  private emphasis(at: number, end: number): number {
    let run = at;
    while (run < end && this.text[run] === this.text[at]) run++;
    // An underscore inside a word (`snake_case_name`) opens no emphasis.
    if (this.text[at] === '_' && /[A-Za-z0-9]/.test(this.text[at - 1] ?? '')) return run;
    const match = EMPHASIZED_WORD.exec(this.text.slice(at, Math.min(end, at + 1024)));
    if (match) this.prosePath(at + match[1].length, at + match[1].length + match[2].length, 'markdown.emphasis');
    return run;
  }

  /**
   * Reports the `src`/`href` attributes of an inline HTML tag (`<img src="…">`, `<a href="…">`) as links, and any
   * other attribute whose whole value is a path (`<walkthrough-editor-open-file filePath="./k8s/x.yaml">`) as a
   * probable `markdown.htmlAttribute`, resolved like a code span.
   */
  private htmlAttributes(at: number, tag: string): void {
    for (const attribute of tag.matchAll(/\s([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      const value = attribute[2] ?? attribute[3];
      const start = at + attribute.index + attribute[0].length - value.length - 1;
      if (/^(?:src|href)$/i.test(attribute[1])) {
        const pathLength = value.search(/[#?]/);
        this.link(start, start + (pathLength < 0 ? value.length : pathLength), 'markdown.html');
      } else {
        this.prosePath(start, start + value.length, 'markdown.htmlAttribute');
      }
    }
  }

  /** Scans a code span opening at `at` as shell; returns the offset after it (or after the backticks if unclosed). */
  private codeSpan(at: number, end: number): number {
    let run = at;
    while (run < end && this.text[run] === '`') run++;
    const width = run - at;
    let search = run;
    while (search < end) {
      const close = this.text.indexOf('`', search);
      if (close < 0 || close >= end) break;
      let closeEnd = close;
      while (closeEnd < end && this.text[closeEnd] === '`') closeEnd++;
      if (closeEnd - close === width) {
        this.shell(run, close, 'markdown.code');
        return closeEnd;
      }
      search = closeEnd;
    }
    return run;
  }

  /**
   * Reads a link destination starting at `from` (leading blanks allowed): `<…>` or a run without blanks and with
   * balanced parentheses. Returns the range of its path part (no `#fragment`, no `?query`) and the offset after it.
   */
  private destination(from: number, end: number): { start: number; end: number; after: number } | undefined {
    let i = from;
    while (i < end && (this.text[i] === ' ' || this.text[i] === '\t')) i++;
    let start = i;
    let stop: number;
    let after: number;
    if (this.text[i] === '<') {
      const close = this.text.indexOf('>', i + 1);
      const newline = this.text.indexOf('\n', i + 1);
      if (close < 0 || close >= end || (newline >= 0 && newline < close)) return undefined;
      start = i + 1;
      stop = close;
      after = close + 1;
    } else {
      let depth = 0;
      while (i < end && !isWhitespaceAt(this.text, i)) {
        const c = this.text[i];
        if (c === '\\') i++;
        else if (c === '(') depth++;
        else if (c === ')') {
          if (depth === 0) break;
          depth--;
        }
        i++;
      }
      stop = i;
      after = i;
    }
    const raw = this.text.slice(start, stop);
    const pathLength = raw.search(/[#?]/);
    return { start, end: start + (pathLength < 0 ? raw.length : pathLength), after };
  }

  /** Skips an optional title and the closing `)` of an inline link; returns the offset after `)`, or -1. */
  private afterTitle(from: number, end: number): number {
    const rest = this.text.slice(from, Math.min(end, from + 4096));
    const match = /^[ \t]*(?:\r?\n[ \t]*)?(?:(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\))[ \t]*(?:\r?\n[ \t]*)?)?\)/.exec(rest);
    return match ? from + match[0].length : -1;
  }

  /** Reports a link destination's path part; URLs, anchors and paths out of the workspace are skipped. */
  private link(start: number, end: number, kind: string): void {
    const written = this.text.slice(start, end);
    if (written === '' || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(written) || written.startsWith('//')) return;
    // Both steps change only text with a `\` or a `%`, which few links have.
    let decoded = written.includes('\\') ? written.replace(/\\([!-/:-@[-`{-~])/g, '$1') : written;
    if (decoded.includes('%')) {
      try {
        decoded = decodeURIComponent(decoded);
      } catch {
        // A stray `%` is a literal percent sign in a file name.
      }
    }
    const rootAbsolute = decoded.startsWith('/');
    const base = rootAbsolute ? '' : this.folder;
    const target = rootAbsolute ? normalize(decoded) : join(base, decoded);
    if (escapesRoot(target)) return;
    this.refs.push({
      from: this.file,
      start,
      end,
      ...this.lines.position(start),
      text: written,
      kind,
      base,
      baseRule: rootAbsolute ? 'fixed' : 'referrer',
      target,
      confidence: 'exact',
    });
  }

  /**
   * Reports the text of a link or image (between `[` and `]`) when it is itself a path: it names the same file as
   * the destination, so it goes stale when that file moves.
   */
  private linkText(start: number, end: number): void {
    let from = start;
    let to = end;
    const trim = (): void => {
      while (from < to && isWhitespaceAt(this.text, from)) from++;
      while (to > from && isWhitespaceAt(this.text, to - 1)) to--;
    };
    trim();
    const ticks = /^`*/.exec(this.text.slice(from, to))![0].length;
    if (ticks > 0) {
      if (to - from <= 2 * ticks || this.text.slice(to - ticks, to) !== '`'.repeat(ticks)) return;
      from += ticks;
      to -= ticks;
      trim();
    }
    this.prosePath(from, to, 'markdown.linkText');
  }

  /**
   * Reports prose that is a path (a link's text, an emphasized `**apps/base/**`) as a probable reference, resolved
   * from the root or, failing that, from the document's folder; a leading `/` resolves from the root only.
   */
  private prosePath(from: number, to: number, kind: string): void {
    const written = this.text.slice(from, to);
    // Escapes and line breaks would put characters in the range that are not in the path; a `:` starts a URL.
    if (!isPathLike(written) || /[\n`\\:]/.test(written)) return;
    const rootAbsolute = written.startsWith('/');
    const bases: { path: string; rule: 'fixed' | 'referrer' }[] = rootAbsolute
      ? [{ path: '', rule: 'fixed' }]
      : [{ path: '', rule: 'fixed' }, { path: this.folder, rule: 'referrer' }];
    for (const base of bases) {
      const target = join(base.path, written);
      if (!this.exists(target)) continue;
      // A code span as the link text was already scanned as shell: one reference per range, under the kind it is.
      const sameRange = this.refs.findIndex((ref) => ref.start === from && ref.end === to);
      if (sameRange >= 0) this.refs.splice(sameRange, 1);
      this.refs.push({
        from: this.file,
        start: from,
        end: to,
        ...this.lines.position(from),
        text: written,
        kind,
        base: base.path,
        baseRule: base.rule,
        target,
        confidence: 'probable',
      });
      return;
    }
  }

  private shell(start: number, end: number, kindPrefix: string): void {
    const result = extractShellFragment(
      { file: this.file, text: this.text, start, end, cwd: '', cwdRule: 'fixed', kindPrefix },
      this.workspace,
      this.lines,
    );
    this.refs.push(...result.refs);
    this.review.push(...result.review);
  }

  /** One review item per tree diagram (a run of tree lines and the root line above it) naming existing paths. */
  private trees(lines: Line[]): void {
    let i = 0;
    while (i < lines.length) {
      if (!TREE_LINE.test(lines[i].text)) {
        i++;
        continue;
      }
      const first = i > 0 && lines[i - 1].text.trim() !== '' && !TREE_LINE.test(lines[i - 1].text) ? i - 1 : i;
      let last = i;
      while (last + 1 < lines.length && TREE_LINE.test(lines[last + 1].text)) last++;
      this.tree(lines.slice(first, last + 1), first < i);
      i = last + 1;
    }
  }

  private tree(lines: Line[], hasRoot: boolean): void {
    const root = hasRoot ? treeName(lines[0].text) : undefined;
    const entries: string[] = [];
    const stack: { column: number; name: string }[] = [];
    for (const line of lines.slice(hasRoot ? 1 : 0)) {
      const match = /^[\s│├└─|`+\-\u00a0]*/.exec(line.text)!;
      const name = treeName(line.text.slice(match[0].length));
      if (!name) continue;
      while (stack.length > 0 && stack[stack.length - 1].column >= match[0].length) stack.pop();
      stack.push({ column: match[0].length, name });
      entries.push(stack.map((entry) => entry.name).join('/'));
    }
    const bases = [...new Set([root !== undefined ? join(this.folder, root) : this.folder, root ?? '', ''])];
    let described: string | undefined;
    let resolved = 0;
    for (const base of bases) {
      const count = entries.filter((entry) => this.exists(join(base, entry))).length;
      if (count > resolved) {
        resolved = count;
        described = base;
      }
    }
    if (resolved === 0 && !(root !== undefined && this.exists(root))) return;
    if (resolved === 0) described = root;
    const start = lines[0].start;
    const end = lines[lines.length - 1].end;
    this.review.push({
      file: this.file,
      start,
      end,
      ...this.lines.position(start),
      text: this.text.slice(start, end),
      kind: 'markdown.tree',
      reason: 'tree diagram names moved paths; update by hand',
      ...(described !== undefined ? { target: normalize(described) } : {}),
    });
  }

  private exists(path: string): boolean {
    return !escapesRoot(path) && this.workspace.stat(path) !== undefined;
  }
}

/** The file or folder name at the start of a tree line, without a trailing `/` or a trailing comment. */
function treeName(text: string): string | undefined {
  const name = /^[^\s#←<(]+/.exec(text.trim())?.[0].replace(/\/+$/, '');
  if (!name || /[*…]/.test(name) || /^\.+$/.test(name) || name.includes('://')) return undefined;
  return name;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let offset = 0;
  while (offset <= text.length) {
    const newline = text.indexOf('\n', offset);
    const lineEnd = newline < 0 ? text.length : newline;
    const end = text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
    lines.push({ start: offset, end, text: text.slice(offset, end) });
    if (newline < 0) break;
    offset = newline + 1;
  }
  return lines;
}

/** Index of the first line after a `---` YAML front matter block (0 when there is none). */
function skipFrontMatter(lines: Line[]): number {
  if (lines.length === 0 || lines[0].text.replace(/^\uFEFF/, '') !== '---') return 0;
  for (let i = 1; i < lines.length; i++) if (lines[i].text === '---' || lines[i].text === '...') return i + 1;
  return 0;
}

/**
 * True when the first non-blank line of a block is a command: a well-known tool, a `./script` run or a variable
 * assignment (`DEMO_HOME=$(mktemp -d)`).
 */
function startsWithCommand(lines: Line[]): boolean {
  const words = lines.filter((line) => line.text.trim() !== '').map((line) => /^\s*(?:sudo\s+)?(\S+)/.exec(line.text)![1]);
  if (words.length === 0) return false;
  const isCommand = (word: string) => COMMAND_WORDS.has(word) || /^\.{1,2}\/[\w./-]+$/.test(word) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(word);
  // A tool the list does not know first (`helm-docs --chart-search-root charts`), then a known command: commands too.
  return isCommand(words[0]) || (/^[a-z][a-z0-9_.-]*$/.test(words[0]) && words.slice(1).some(isCommand));
}

function isFenceClose(text: string, open: string): boolean {
  const match = /^\s*(`{3,}|~{3,})\s*$/.exec(text);
  return match !== null && match[1][0] === open[0] && match[1].length >= open.length;
}
