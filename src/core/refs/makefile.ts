/**
 * Path references in Makefiles. Recipes run in the Makefile's folder, so they are scanned as shell with that folder
 * as working directory; `$(NAME)`/`${NAME}` in a recipe expand from the Makefile's own variables, and a path is
 * reported once, where the variable is assigned, not at each use. Prerequisites and `include`s that name files are
 * references too; a `$(wildcard …)` pattern is a glob reference to its static folder (review when built from variables).
 */
import type { Extraction, Extractor, Reference, ReviewItem, WorkspaceView } from '../types';
import { LineIndex } from '../text';
import { dirname, escapesRoot, join } from '../paths';
import { scanShell, type PathValue } from './shell';

/** Extracts references from a Makefile (`Makefile`, `GNUmakefile`, `*.mk`). */
export const extractMakefile: Extractor = (input, workspace) => {
  const lines = new LineIndex(input.text);
  const reader = new MakefileReader(input.path, input.text, workspace, lines);
  return reader.read();
};

interface LogicalLine {
  start: number;
  /** End of the last physical line, before its line break. */
  end: number;
  /** Starts with a tab after a rule: a recipe line. */
  recipe: boolean;
  /** How many rule lines start at or before this line: a rule and its recipe lines share it. */
  rule: number;
}

interface Token {
  text: string;
  start: number;
}

const ASSIGNMENT = /^(?:(?:export|override|private)\s+)*([A-Za-z_][A-Za-z0-9_.-]*)\s*(::=|:::=|:=|\?=|\+=|!=|=)/;
/** A make variable at the start of a path, with the slashes after it (`$(TEST_DIR)/`). */
const VARIABLE_PREFIX = /^\$(?:\(([A-Za-z_][A-Za-z0-9_.-]*)\)|\{([A-Za-z_][A-Za-z0-9_.-]*)\})\/+/;
const RULE = /^([^:=#]+?)\s*::?(?!=)/;
/** `$(patsubst PATTERN,…)` whose pattern is written out (`deploy/chart/templates/%`). */
const PATSUBST = /\$[({]patsubst\s+([^,(){}$\s]*%[^,(){}$\s]*),/g;
/** `$(wildcard …)` with its arguments, which may hold variables (`$(DIR)/*.yaml`). */
const WILDCARD = /\$[({]wildcard\s+((?:[^(){}$]|\$[({][^(){}]*[)}]|\$.)*)[)}]/g;

class MakefileReader {
  private readonly refs: Reference[] = [];
  private readonly review: ReviewItem[] = [];
  private readonly variables = new Map<string, PathValue>();
  /** The folder each path variable's value is written relative to (see ShellScanOptions.makeVariableBases). */
  private readonly variableBases = new Map<string, string>();
  private lastBase = '';
  private readonly folder: string;
  /**
   * `#` comments outside recipes (`# generates ./manifests/crds/`), read like a recipe's shell comments, and the
   * commands of `$(shell …)` calls in assignments and rule lines (`VERSION = $(shell grep x data.yaml)`), which make
   * runs in the Makefile's folder.
   */
  private readonly comments: { start: number; end: number }[] = [];
  /**
   * Variables every assignment sets to recipe prefixes only (`Q = @`, `VECHO ?= @`, `V =`): `$(Q)./hack/x.sh` runs
   * `./hack/x.sh`. The value false marks one also assigned something else.
   */
  private readonly prefixVariables = new Map<string, boolean>();
  /** Below the root, recipes may run from the root too: a `*.mk` included by the root Makefile, or `make -f`. */
  private readonly fallbackBases: PathValue[];

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly workspace: WorkspaceView,
    private readonly lines: LineIndex,
  ) {
    this.folder = dirname(file);
    // make sets CURDIR to the folder it runs in, which for a Makefile's recipes is the Makefile's folder.
    this.variables.set('CURDIR', { path: this.folder, rule: 'referrer', anchored: true });
    this.fallbackBases = this.folder === '' ? [] : [{ path: '', rule: 'fixed', anchored: false }];
  }

  read(): Extraction {
    const logicalLines = this.logicalLines();
    const recipes: LogicalLine[] = [];
    for (const line of logicalLines) {
      if (line.recipe) recipes.push(line);
      else this.directive(line, recipes);
    }
    this.wildcards();
    if (this.text.includes('patsubst')) {
      for (const match of this.text.matchAll(PATSUBST)) {
        const start = match.index + match[0].lastIndexOf(match[1]);
        this.patternFolder({ text: match[1], start }, 'make.patsubst');
      }
    }
    const problems = [];
    for (const comment of this.comments) {
      const result = scanShell(
        { file: this.file, text: this.text, start: comment.start, end: comment.end, cwd: this.folder, cwdRule: 'referrer', kindPrefix: 'make' },
        this.workspace,
        this.lines,
        { dialect: 'make', makeVariables: this.variables, makeVariableBases: this.variableBases, fallbackBases: this.fallbackBases },
      );
      this.refs.push(...result.refs);
    }
    for (const recipe of /^\.ONESHELL\s*:/m.test(this.text) ? joinByRule(recipes) : recipes) {
      const start = this.recipeStart(recipe.start + 1, recipe.end);
      const result = scanShell(
        { file: this.file, text: this.text, start, end: recipe.end, cwd: this.folder, cwdRule: 'referrer', kindPrefix: 'make.recipe' },
        this.workspace,
        this.lines,
        { dialect: 'make', makeVariables: this.variables, makeVariableBases: this.variableBases, fallbackBases: this.fallbackBases },
      );
      this.refs.push(...result.refs);
      this.review.push(...result.review);
      problems.push(...result.problems);
    }
    this.refs.sort((a, b) => a.start - b.start);
    this.review.sort((a, b) => a.start - b.start);
    return { refs: this.refs, review: this.review, problems };
  }

  /** Where a recipe line's command starts: after its `@`/`-`/`+` prefixes, written or from a prefix variable. */
  private recipeStart(start: number, end: number): number {
    for (;;) {
      while (start < end && /[@+\- \t]/.test(this.text[start])) start++;
      const variable = /^\$(?:\(([A-Za-z_][A-Za-z0-9_.-]*)\)|\{([A-Za-z_][A-Za-z0-9_.-]*)\})/.exec(this.text.slice(start, Math.min(end, start + 200)));
      if (!variable || this.prefixVariables.get(variable[1] ?? variable[2]) !== true) return start;
      start += variable[0].length;
    }
  }

  /** Joins backslash-continued lines and tells recipes from directives; skips `define … endef` bodies. */
  private logicalLines(): LogicalLine[] {
    const result: LogicalLine[] = [];
    let offset = 0;
    let rules = 0;
    let inDefine = false;
    while (offset < this.text.length) {
      const start = offset;
      let end = this.lineEnd(offset);
      while (this.continues(start, end) && end < this.text.length) end = this.lineEnd(end + 1);
      offset = end + 1;
      const content = this.text.slice(start, end).replace(/^\uFEFF/, '');
      if (inDefine) {
        if (/^\s*endef\b/.test(content)) inDefine = false;
        continue;
      }
      if (/^\s*define\s/.test(content)) {
        inDefine = true;
        continue;
      }
      const recipe = rules > 0 && content.startsWith('\t');
      if (!recipe && RULE.test(content) && !ASSIGNMENT.test(content)) rules++;
      result.push({ start: start + (content.length < end - start ? 1 : 0), end: this.stripCarriageReturn(end), recipe, rule: rules });
    }
    return result;
  }

  private lineEnd(from: number): number {
    const newline = this.text.indexOf('\n', from);
    return newline < 0 ? this.text.length : newline;
  }

  private continues(start: number, end: number): boolean {
    let last = this.stripCarriageReturn(end) - 1;
    let backslashes = 0;
    while (last >= start && this.text[last] === '\\') {
      backslashes++;
      last--;
    }
    return backslashes % 2 === 1;
  }

  private stripCarriageReturn(end: number): number {
    return end > 0 && this.text[end - 1] === '\r' ? end - 1 : end;
  }

  /** A variable assignment, a rule line (its prerequisites and an inline `; recipe`), or an `include`. */
  private directive(line: LogicalLine, recipes: LogicalLine[]): void {
    const content = this.text.slice(line.start, line.end);
    const commentAt = findComment(content);
    if (commentAt >= 0 && /[\w.-]\/[\w.-]/.test(content.slice(commentAt))) this.comments.push({ start: line.start + commentAt, end: line.end });
    const end = line.start + (commentAt < 0 ? content.length : commentAt);
    const code = this.text.slice(line.start, end);
    if (code.includes('shell')) this.comments.push(...shellCalls(code, line.start));
    const assignment = ASSIGNMENT.exec(code);
    if (assignment) {
      const value = this.text.slice(line.start + assignment[0].length, end).trim();
      const prefixOnly = /^[@+-]*$/.test(value) && assignment[2] !== '!=';
      if (this.prefixVariables.get(assignment[1]) !== false) this.prefixVariables.set(assignment[1], prefixOnly);
      if (assignment[2] === '+=' || assignment[2] === '!=') return;
      const tokens = this.tokens(line.start + assignment[0].length, end);
      const values = tokens.map((token) => this.token(token, 'make.variable', tokens.length === 1));
      this.variableBases.delete(assignment[1]);
      if (tokens.length === 1 && values[0]) {
        this.variables.set(assignment[1], values[0]);
        this.variableBases.set(assignment[1], this.lastBase);
      }
      // `$(shell pwd)` is where make runs the recipes: the Makefile's folder, like CURDIR.
      else if (tokens.length === 1 && /MAKEFILE_LIST|^\$[({](?:CURDIR|shell\s+pwd(?:\s+-[LP])?\s*)[)}]$/.test(tokens[0].text) && !tokens[0].text.includes('/')) {
        this.variables.set(assignment[1], { path: this.folder, rule: 'referrer', anchored: true });
      } else if (tokens.length === 1 && /^\$[({]shell\s+git\s+rev-parse\s+--show-toplevel\s*[)}]$/.test(tokens[0].text)) {
        this.variables.set(assignment[1], { path: '', rule: 'fixed', anchored: true });
      } else this.variables.delete(assignment[1]);
      return;
    }
    const include = /^\s*-?(?:include|sinclude)\s+/.exec(code);
    if (include) {
      for (const token of this.tokens(line.start + include[0].length, end)) this.token(token, 'make.include');
      return;
    }
    const rule = RULE.exec(code);
    if (!rule || rule[1].trim().startsWith('.')) return;
    // A target that is a file or folder of the tree (`examples/standard: scripts/standard.jsonnet`) names it: make
    // rebuilds it there, and `make examples/standard` is how it is asked for.
    for (const token of this.tokens(line.start, line.start + rule[1].length)) {
      if (token.text.includes('/') || /\.[A-Za-z0-9]+$/.test(token.text)) this.token(token, 'make.target');
    }
    const prerequisitesStart = line.start + rule[0].length;
    const semicolon = code.indexOf(';', rule[0].length);
    const prerequisitesEnd = semicolon < 0 ? end : line.start + semicolon;
    for (const token of this.tokens(prerequisitesStart, prerequisitesEnd)) {
      if (token.text.includes('/') || /\.[A-Za-z0-9]+$/.test(token.text)) this.token(token, 'make.prerequisite');
    }
    if (semicolon >= 0) recipes.push({ start: line.start + semicolon, end: line.end, recipe: true, rule: line.rule });
  }

  /** Splits make text into words, keeping `$(…)` whole and treating backslash-newline as a blank. */
  private tokens(start: number, end: number): Token[] {
    const tokens: Token[] = [];
    let i = start;
    while (i < end) {
      if (/\s/.test(this.text[i]) || (this.text[i] === '\\' && /[\r\n]/.test(this.text[i + 1] ?? ''))) {
        i++;
        continue;
      }
      const tokenStart = i;
      let depth = 0;
      while (i < end && (depth > 0 || !/\s/.test(this.text[i]))) {
        if (this.text[i] === '$' && /[({]/.test(this.text[i + 1] ?? '')) {
          depth++;
          i += 2;
          continue;
        }
        if (depth > 0 && /[)}]/.test(this.text[i])) depth--;
        if (depth === 0 && this.text[i] === '\\' && /[\r\n]/.test(this.text[i + 1] ?? '')) break;
        i++;
      }
      tokens.push({ text: this.text.slice(tokenStart, i), start: tokenStart });
    }
    return tokens;
  }

  /**
   * Reports one make word naming a path; returns the path it names, when known. `namesBase`: the word is a variable's
   * whole value, so paths written after the variable resolve in what it names.
   */
  private token(written: Token, kind: string, namesBase = false): PathValue | undefined {
    // Make keeps quotes as characters, but a quoted value (`DIR="manifests/base"`) reaches a recipe's shell, which
    // drops them: the path is what they enclose.
    const quoted = /^(["'])([^"']+)\1$/.exec(written.text);
    const token = quoted ? { text: quoted[2], start: written.start + 1 } : written;
    if (/\$[({]wildcard\s/.test(token.text)) return undefined;
    const variable = /^\$(?:\(([A-Za-z_][A-Za-z0-9_.-]*)\)|\{([A-Za-z_][A-Za-z0-9_.-]*)\})\/+/.exec(token.text);
    if (variable) {
      let base = this.variables.get(variable[1] ?? variable[2]);
      let skipped = variable[0].length;
      // `$(ROOT_DIR)/$(TEST_DIR)/x`: TEST_DIR written relative to the folder ROOT_DIR names.
      for (let next = VARIABLE_PREFIX.exec(token.text.slice(skipped)); base && next; next = VARIABLE_PREFIX.exec(token.text.slice(skipped))) {
        const name = next[1] ?? next[2];
        const value = this.variables.get(name);
        if (!value || this.variableBases.get(name) !== base.path) break;
        base = value;
        skipped += next[0].length;
      }
      const rest = token.text.slice(skipped);
      if (!base) return undefined;
      if (rest.includes('$') || /[*?]/.test(rest)) {
        this.addReview(token, kind, 'path is built from a variable whose value is not known statically', base.path);
        return undefined;
      }
      return this.resolve(token.start + skipped, rest, [base], kind, base.anchored ? 'exact' : 'probable', namesBase);
    }
    if (token.text.includes('$') || /^[/~]/.test(token.text) || token.text.includes('://') || token.text.startsWith('-')) return undefined;
    if (/[*?%]/.test(token.text)) {
      if (kind === 'make.prerequisite' || kind === 'make.target') this.patternFolder(token, kind);
      return undefined;
    }
    return this.resolve(token.start, token.text, this.relativeBases(), kind, 'probable', namesBase);
  }

  /** The Makefile's folder, where `make` runs, then the repository root for Makefiles run with `make -f`. */
  private relativeBases(): PathValue[] {
    const own: PathValue = { path: this.folder, rule: 'referrer', anchored: false };
    return this.folder === '' ? [own] : [own, { path: '', rule: 'fixed', anchored: false }];
  }

  private resolve(
    start: number,
    text: string,
    bases: PathValue[],
    kind: string,
    confidence: 'exact' | 'probable',
    namesBase: boolean,
  ): PathValue | undefined {
    if (text === '') return undefined;
    for (const base of bases) {
      const target = join(base.path, text);
      if (escapesRoot(target) || this.workspace.stat(target) === undefined) continue;
      this.refs.push({
        from: this.file,
        start,
        end: start + text.length,
        ...this.lines.position(start),
        text,
        kind,
        base: base.path,
        baseRule: base.rule,
        target,
        confidence,
        ...(namesBase ? { namesBase: true as const } : {}),
      });
      this.lastBase = base.path;
      return { path: target, rule: 'fixed', anchored: confidence === 'exact' };
    }
    return undefined;
  }

  /**
   * A pattern rule's target or prerequisite (`out/%.yaml: deploy/chart/templates/%.yaml`) names its static folder,
   * like a `$(wildcard …)`: a glob reference to that folder, which follows it when it moves.
   */
  private patternFolder(token: Token, kind: string): void {
    if (!/^[^*?[%]*%[^*?[%]*$/.test(token.text)) return;
    const folder = token.text.slice(0, token.text.lastIndexOf('/', token.text.indexOf('%')) + 1);
    if (folder === '') return;
    for (const base of this.relativeBases()) {
      const target = join(base.path, folder);
      if (escapesRoot(target) || this.workspace.stat(target) === undefined) continue;
      this.refs.push({
        from: this.file,
        start: token.start,
        end: token.start + token.text.length,
        ...this.lines.position(token.start),
        text: token.text,
        kind,
        base: base.path,
        baseRule: base.rule,
        target,
        confidence: 'probable',
        glob: true,
      });
      return;
    }
  }

  /**
   * Every `$(wildcard …)` pattern whose static folder exists: a glob reference to that folder when the pattern is
   * written out (the planner rewrites the folder and reviews a change of what it matches), else a review item.
   */
  private wildcards(): void {
    for (const match of this.text.matchAll(WILDCARD)) {
      const argumentsStart = match.index + match[0].indexOf(match[1], 10);
      for (const pattern of this.tokens(argumentsStart, argumentsStart + match[1].length)) {
        const staticEnd = pattern.text.search(/[*?[$]/);
        const staticText = staticEnd < 0 ? pattern.text : pattern.text.slice(0, staticEnd);
        const folder = staticText.slice(0, staticText.lastIndexOf('/') + 1);
        // `$(wildcard $(OPM))`, a lone variable, tests whether a file exists: no more a path than `$(OPM)` is.
        if (/^\$[({][^(){}]*[)}]$/.test(pattern.text)) continue;
        const writtenOut = folder !== '' && !pattern.text.includes('$') && !/^[/~]/.test(folder);
        for (const base of this.relativeBases()) {
          const target = join(base.path, folder);
          if (escapesRoot(target) || this.workspace.stat(target) === undefined) continue;
          if (writtenOut) {
            this.refs.push({
              from: this.file,
              start: pattern.start,
              end: pattern.start + pattern.text.length,
              ...this.lines.position(pattern.start),
              text: pattern.text,
              kind: 'make.wildcard',
              base: base.path,
              baseRule: base.rule,
              target,
              confidence: 'probable',
              glob: true,
            });
          } else {
            this.addReview(pattern, 'make.wildcard', '$(wildcard …) glob: a move may change what it matches', target);
          }
          break;
        }
      }
    }
  }

  private addReview(token: Token, kind: string, reason: string, target: string): void {
    this.review.push({
      file: this.file,
      start: token.start,
      end: token.start + token.text.length,
      ...this.lines.position(token.start),
      text: token.text,
      kind,
      reason,
      target,
    });
  }
}

/** The command ranges of the `$(shell …)`/`${shell …}` calls in `code` (which starts at `offset`). */
function shellCalls(code: string, offset: number): { start: number; end: number }[] {
  const calls: { start: number; end: number }[] = [];
  const call = /\$([({])shell\s+/g;
  for (let match = call.exec(code); match; match = call.exec(code)) {
    const close = match[1] === '(' ? ')' : '}';
    let depth = 1;
    let i = match.index + match[0].length;
    for (; i < code.length; i++) {
      if (code[i] === match[1]) depth++;
      else if (code[i] === close && --depth === 0) break;
    }
    if (depth === 0) calls.push({ start: offset + match.index + match[0].length, end: offset + i });
    call.lastIndex = i;
  }
  return calls;
}

/** With `.ONESHELL:`, all recipe lines of a rule run in one shell: one range from the first line to the last. */
function joinByRule(recipes: LogicalLine[]): LogicalLine[] {
  const joined: LogicalLine[] = [];
  for (const recipe of recipes) {
    const last = joined[joined.length - 1];
    if (last && last.rule === recipe.rule) last.end = recipe.end;
    else joined.push({ ...recipe });
  }
  return joined;
}

/** Offset of a `#` comment in a make line (not escaped as `\#`), or -1. */
function findComment(content: string): number {
  for (let i = 0; i < content.length; i++) {
    if (content[i] === '\\') i++;
    else if (content[i] === '#') return i;
  }
  return -1;
}
