/**
 * Path references in shell text: whole scripts, and shell fragments embedded in other files (YAML `run:`/`script:`
 * blocks, Makefile recipes, Markdown fenced blocks).
 *
 * The text is tokenized as the shell would (quotes, escapes, `$(…)`, backticks, `${…}`, comments, line
 * continuations, separators, heredocs), then walked in order while tracking the working directory (`cd`, `pushd`,
 * subshells) and the variables known to name a workspace folder (`SCRIPT_DIR`, `REPO_ROOT`, …).
 *
 * - A word is a Reference only when it resolves to an existing workspace path. A plain word must look like a path
 *   (a `/` or a file extension) unless it sits where a command takes a path (`cd x`, `kubectl apply -k x`, `cat x`).
 * - Except a file a command writes (an output redirection's target, a `tee` operand), which need not exist: written
 *   with a folder (`> ./tenants/dev/auth.yaml`), it is an `output` Reference (`<prefix>.output`) when that folder
 *   exists, and a later path naming the same file is one too. A bare `> out.yaml` names only the working directory.
 * - Unanchored relative paths resolve in the working directory (the fragment's `cwd`), and while no `cd` has changed
 *   it, failing that in the referring file's folder. A `cd` into a folder that does not exist still moves the working
 *   directory there (its operand is then a broken reference), so the paths after it and a `cd ../..` back resolve.
 * - A `cd` operand and a variable's assigned path are marked `namesBase`: the paths after them resolve in what they
 *   name. The literal prefix of a `^`-anchored search pattern is a glob reference (it selects every path below it).
 * - A variable assigned a resolving path (or an anchor: `$(dirname "$0")`, `$(git rev-parse --show-toplevel)`)
 *   names that path; a path written after it is reported with that base. The assignment's own path is a Reference,
 *   so a variable derived from the script's folder (`REPO_ROOT="$SCRIPT_DIR/../.."`) names a fixed folder afterwards.
 * - A glob written out after its static folder is a glob reference to that folder; an unquoted one among a command's
 *   arguments (or a `for … in` list), which the shell expands into several words, is of kind `<prefix>.globWord`.
 *   Words built from unknown variables, and paths behind a variable of unknown value, are ReviewItems when their
 *   static folder (or what follows the variable) exists.
 * - Quoted messages and heredoc bodies are free text: each path-like word in them is a probable Reference.
 * - Comments are free text too, never run: a word in one that looks like a path (not a URL, a glob or a variable) and
 *   resolves like an unanchored word is a probable `<prefix>.comment` Reference; a comment yields no ReviewItem.
 *
 * Confidence: a path written after a variable anchored at the script's location or at the repository root
 * (`$SCRIPT_DIR/x`, `$(git rev-parse --show-toplevel)/x`, the `../..` of `REPO_ROOT="$SCRIPT_DIR/../.."`) is `exact`;
 * every other path is `probable`, because whether a plain word is a path is a guess.
 */
import type { BaseRule, Extraction, Extractor, Problem, Reference, ReviewItem, WorkspaceView } from '../types';
import { LineIndex, isWhitespaceAt } from '../text';
import { basename, dirname, escapesRoot, isInside, join } from '../paths';

/** A part of a file to scan as shell. */
export interface ShellFragment {
  /** The referring file and its whole text. */
  file: string;
  text: string;
  /** The part of `text` to scan as shell (may be indented YAML block content). */
  start: number;
  end: number;
  /** Where unanchored relative paths resolve (`''` with rule `fixed` for the repository root). */
  cwd: string;
  cwdRule: BaseRule;
  /** Prefix of the reported kinds, e.g. `shell`, `tekton.script`, `github.run`, `make.recipe`. */
  kindPrefix: string;
}

/** A workspace path a shell value is known to name, and how that path follows the referring file when it moves. */
export interface PathValue {
  path: string;
  rule: BaseRule;
  /** True when the value derives from the script's own location or the repository root, not from a guess. */
  anchored: boolean;
}

/** How `$(…)`/`${…}` are read: plain shell, or a Makefile recipe where they are make variables and `$$` is `$`. */
export type ShellDialect = 'shell' | 'make';

/** Extra knowledge for a scan that the public fragment contract does not carry. */
export interface ShellScanOptions {
  /** The script file itself, when the fragment is a whole script: `$0` and `${BASH_SOURCE[0]}` name it. */
  scriptPath?: string;
  dialect?: ShellDialect;
  /** Make variables known to name a workspace path (make dialect). */
  makeVariables?: ReadonlyMap<string, PathValue>;
  /**
   * For a make variable whose value is a path written relative to a folder (`TEST_DIR := test`, from the Makefile's
   * folder), that folder: `$(ROOT_DIR)/$(TEST_DIR)/x` names `x` in TEST_DIR when ROOT_DIR is that folder.
   */
  makeVariableBases?: ReadonlyMap<string, string>;
  /** Environment variables the runner sets to the repository checkout (GitHub's `GITHUB_WORKSPACE`), unless assigned. */
  rootVariables?: ReadonlySet<string>;
  /**
   * Folders an unanchored relative path also resolves in, after the working directory, while no `cd` has changed it:
   * the repository root for the recipes of a Makefile below it (`make/ci.mk` included from the root `Makefile`).
   */
  fallbackBases?: readonly PathValue[];
}

/**
 * Extracts references from a whole shell script run from the repository root. A script whose `#!` line names an
 * interpreter that is not a shell (python, node, …) holds no shell syntax and yields nothing.
 */
export const extractShell: Extractor = (input, workspace) => {
  const shebang = /^\uFEFF?#!\s*(\S+)(?:[ \t]+(\S+))?/.exec(input.text);
  const interpreter = shebang ? (shebang[1].endsWith('/env') ? shebang[2] ?? '' : shebang[1]).split('/').pop()! : 'sh';
  if (!/^(?:ba|da|k|z|a)?sh$/.test(interpreter)) return { refs: [], review: [], problems: [] };
  return scanShell(
    { file: input.path, text: input.text, start: 0, end: input.text.length, cwd: '', cwdRule: 'fixed', kindPrefix: 'shell' },
    workspace,
    new LineIndex(input.text),
    { scriptPath: input.path },
  );
};

/** Extracts references from a shell fragment embedded in another file. */
export function extractShellFragment(fragment: ShellFragment, workspace: WorkspaceView, lines: LineIndex): Extraction {
  return scanShell(fragment, workspace, lines, {});
}

/** Extracts references from a shell fragment with extra knowledge (script identity, make dialect and variables). */
export function scanShell(
  fragment: ShellFragment,
  workspace: WorkspaceView,
  lines: LineIndex,
  options: ShellScanOptions,
): Extraction {
  const walker = new ShellWalker(fragment, workspace, lines, options);
  const problems = walkRange(walker, fragment, fragment, options.dialect ?? 'shell', walker.initialState(), lines);
  return { refs: walker.refs, review: walker.review, problems };
}

/**
 * Extracts references from several ranges of one file read in order as one shell session: a tutorial's code blocks
 * (`DEMO_HOME=$(mktemp -d)` in one, `cat $DEMO_HOME/x` in the next). Variables carry from one range to the next; the
 * working directory starts afresh at `cwd` in each, since a document's blocks are as often run on their own.
 */
export function extractShellSession(
  fragment: Omit<ShellFragment, 'start' | 'end'>,
  ranges: readonly { start: number; end: number }[],
  workspace: WorkspaceView,
  lines: LineIndex,
): Extraction {
  const session = { ...fragment, start: 0, end: fragment.text.length };
  const walker = new ShellWalker(session, workspace, lines, {});
  const shared = walker.initialState();
  const problems: Problem[] = [];
  for (const range of ranges) {
    const state = { ...walker.initialState(), variables: shared.variables, outside: shared.outside, created: shared.created, written: shared.written };
    problems.push(...walkRange(walker, session, range, 'shell', state, lines));
  }
  return { refs: walker.refs, review: walker.review, problems };
}

/** Parses one range of a fragment's text and walks it from `state`; returns the syntax problems found. */
function walkRange(
  walker: ShellWalker,
  fragment: ShellFragment,
  range: { start: number; end: number },
  dialect: ShellDialect,
  state: WalkState,
  lines: LineIndex,
): Problem[] {
  const parser = new ShellParser(fragment.text, range.start, range.end, dialect);
  const statements = parser.parseList('eof');
  walker.walk(statements, state);
  return parser.problems.map((problem) => ({
    file: fragment.file,
    ...lines.position(problem.offset),
    message: problem.message,
    severity: 'warning',
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// Syntax

interface TextPiece {
  type: 'text';
  /** The text parsed: the piece's characters are read from it. */
  source: string;
  /**
   * Where the characters are in `source`, as start and end offsets of runs of neighbouring characters (a quote or an
   * escape between them starts a new run; an escaped character maps to itself, not its backslash).
   */
  runs: number[];
  /** The characters as one string, made when first asked for. */
  text?: string;
}

interface ParamPiece {
  type: 'param';
  start: number;
  end: number;
  /** The variable name, or undefined for an expansion that is not a plain variable (`${x:-y}`, `$(( … ))`). */
  name: string | undefined;
  dialect: ShellDialect;
  /** The elements of an array assignment's value `(a "b" c)`: each may name a path. */
  elements?: Word[];
}

interface CommandPiece {
  type: 'command';
  start: number;
  end: number;
  body: Statement[];
}

type Piece = TextPiece | ParamPiece | CommandPiece;

interface Word {
  start: number;
  end: number;
  pieces: Piece[];
}

interface SimpleCommand {
  type: 'simple';
  words: Word[];
  redirects: Redirect[];
}

/** The target of a redirection; `output` for one the command writes (`>`, `>>`, `>|`, `&>`, `&>>`, `N>`). */
interface Redirect {
  word: Word;
  output: boolean;
}

interface Subshell {
  type: 'subshell';
  body: Statement[];
}

/** A heredoc body: free text whose path-like words are paths (expanded like a double-quoted string unless quoted). */
interface HeredocText {
  type: 'text';
  word: Word;
}

/** The text of a comment after its `#`, up to the end of the line. */
interface CommentText {
  type: 'comment';
  start: number;
  end: number;
}

type Statement = SimpleCommand | Subshell | HeredocText | CommentText;

/** The name given to `${0%/*}` and `${BASH_SOURCE%/*}`, which strip the script's file name. */
const SCRIPT_FOLDER_PARAMETER = '0%/*';

const BLANKS = new Set([' ', '\t', '\r', '\uFEFF']);

interface PendingHeredoc {
  delimiter: string;
  /** False for `<<'EOF'`, `<<"EOF"`, `<<\EOF`: the body is taken literally. */
  expands: boolean;
}

class ShellParser {
  readonly problems: { offset: number; message: string }[] = [];
  private pos: number;
  private readonly heredocs: PendingHeredoc[] = [];
  /** Nesting of `case … esac`: what the parser expects next at each level. */
  private readonly caseStates: ('subject' | 'pattern' | 'commands')[] = [];
  private inTestExpression = false;

  constructor(
    private readonly text: string,
    start: number,
    private limit: number,
    private readonly dialect: ShellDialect,
  ) {
    this.pos = start;
  }

  /**
   * Parses statements until the end of the text, the closing `)` of a subshell or `$(`, or the closing `}` of a
   * function body.
   */
  parseList(until: 'eof' | ')' | '}'): Statement[] {
    const statements: Statement[] = [];
    let current: SimpleCommand | undefined;
    /** `{ … }` groups opened inside this list, so that their `}` does not end a function body. */
    let openGroups = 0;
    const finish = (): void => {
      if (current && (current.words.length > 0 || current.redirects.length > 0)) statements.push(current);
      current = undefined;
    };
    while (this.pos < this.limit) {
      const c = this.text[this.pos];
      if (BLANKS.has(c)) {
        this.pos++;
        continue;
      }
      if (c === '\\' && this.isLineContinuation(this.pos)) {
        this.pos += this.text[this.pos + 1] === '\r' ? 3 : 2;
        continue;
      }
      if (c === '#') {
        // The command before the comment ends here, so the comment is walked after it (a `cd` on its line counts).
        finish();
        const commentEnd = this.lineEnd(this.pos);
        statements.push({ type: 'comment', start: this.pos + 1, end: commentEnd });
        this.pos = commentEnd;
        continue;
      }
      if (c === '\n') {
        finish();
        this.pos++;
        statements.push(...this.readHeredocBodies());
        continue;
      }
      if (this.atCasePattern() && !current) {
        if (this.peekWordIs('esac')) {
          this.caseStates.pop();
        } else {
          this.skipCasePattern();
          continue;
        }
      }
      if (c === ')' && !this.inTestExpression) {
        this.pos++;
        if (until === ')') {
          finish();
          return statements;
        }
        finish();
        continue;
      }
      if (c === '(' && !this.inTestExpression) {
        if (current && current.words.length > 0 && this.nextNonBlankAfter(this.pos + 1) === ')') {
          this.pos = this.text.indexOf(')', this.pos) + 1;
          finish();
          const body = this.functionBody();
          if (body) statements.push(body);
          continue;
        }
        if (this.text[this.pos + 1] === '(') {
          this.skipBalanced(this.pos, '(', ')');
          finish();
          continue;
        }
        finish();
        this.pos++;
        statements.push({ type: 'subshell', body: this.parseList(')') });
        continue;
      }
      if ((c === '<' || c === '>') && this.text[this.pos + 1] === '(') {
        current ??= { type: 'simple', words: [], redirects: [] };
        current.words.push(this.parseWord());
        continue;
      }
      const redirect = this.matchRedirect();
      if (redirect !== undefined && !this.inTestExpression) {
        current ??= { type: 'simple', words: [], redirects: [] };
        this.pos += redirect.length;
        this.skipBlanks();
        if (redirect.endsWith('&') && /[0-9-]/.test(this.text[this.pos] ?? '')) {
          while (this.pos < this.limit && /[0-9-]/.test(this.text[this.pos])) this.pos++;
          continue;
        }
        if (this.pos >= this.limit || this.isWordEnd(this.text[this.pos])) continue;
        const target = this.parseWord();
        if (redirect.startsWith('<<') && redirect !== '<<<') {
          const written = this.text.slice(target.start, target.end);
          this.heredocs.push({ delimiter: target.pieces.map(staticPrefix).join(''), expands: !/['"\\]/.test(written) });
        } else {
          current.redirects.push({ word: target, output: /^[0-9]*(?:>|&>)/.test(redirect) });
        }
        continue;
      }
      if (c === ';' || c === '&' || c === '|') {
        const op = this.text.slice(this.pos, this.pos + 3);
        if (op.startsWith(';;') || op.startsWith(';&')) {
          this.pos += op.startsWith(';;&') ? 3 : 2;
          if (this.caseStates.length > 0) this.caseStates[this.caseStates.length - 1] = 'pattern';
        } else {
          this.pos += op.startsWith('&&') || op.startsWith('||') || op.startsWith('|&') ? 2 : 1;
        }
        finish();
        continue;
      }
      if (!current || current.words.every((word) => KEYWORDS.has(literalOf(word) ?? ''))) {
        if (this.isGroupBrace('{')) openGroups++;
        else if (this.isGroupBrace('}')) {
          if (openGroups === 0 && until === '}') {
            this.pos++;
            finish();
            return statements;
          }
          openGroups = Math.max(0, openGroups - 1);
        }
      }
      current ??= { type: 'simple', words: [], redirects: [] };
      const word = this.parseWord();
      if (word.end === word.start) {
        // A character no rule consumes (a stray operator); step over it rather than loop.
        this.pos++;
        continue;
      }
      current.words.push(word);
      if (current.words.length === 2 && literalOf(current.words[0]) === 'function' && this.nextNonBlankAfter(this.pos) === '{') {
        finish();
        const body = this.functionBody();
        if (body) statements.push(body);
        continue;
      }
      if (this.noteKeyword(word, current.words.length === 1)) finish();
    }
    if (until === ')') this.problems.push({ offset: this.limit, message: 'Unclosed "(" or "$(" in shell text' });
    if (until === '}') this.problems.push({ offset: this.limit, message: 'Unclosed function body in shell text' });
    finish();
    return statements;
  }

  /**
   * Parses the commands of a `$(…)`, `<(…)` or backtick substitution. They start a command context of their own: a
   * `[[ $(git diff --stat) != '' ]]` around them must not make their closing `)` part of a test expression, and a
   * `case` they sit in does not expect patterns inside them.
   */
  private parseSubstitutionBody(until: 'eof' | ')'): Statement[] {
    const outerTestExpression = this.inTestExpression;
    const outerCaseStates = this.caseStates.splice(0);
    this.inTestExpression = false;
    const body = this.parseList(until);
    this.inTestExpression = outerTestExpression;
    this.caseStates.splice(0, this.caseStates.length, ...outerCaseStates);
    return body;
  }

  /** Tracks `[[ … ]]` and `case … in`; returns true when the word ends the command (the `in` of a `case`). */
  private noteKeyword(word: Word, commandStart: boolean): boolean {
    const literal = literalOf(word);
    const top = this.caseStates.length - 1;
    if (literal === '[[') this.inTestExpression = true;
    else if (literal === ']]') this.inTestExpression = false;
    else if (literal === 'case' && commandStart) this.caseStates.push('subject');
    else if (literal === 'in' && top >= 0 && this.caseStates[top] === 'subject') {
      this.caseStates[top] = 'pattern';
      return true;
    }
    return false;
  }

  private atCasePattern(): boolean {
    return this.caseStates.length > 0 && this.caseStates[this.caseStates.length - 1] === 'pattern';
  }

  private peekWordIs(keyword: string): boolean {
    const after = this.text[this.pos + keyword.length];
    return this.text.startsWith(keyword, this.pos) && (after === undefined || /[\s;)]/.test(after));
  }

  /** Skips a `case` pattern up to its closing `)`; what follows are commands. */
  private skipCasePattern(): void {
    while (this.pos < this.limit && this.text[this.pos] !== ')') {
      const c = this.text[this.pos];
      if (c === "'" || c === '"') this.skipQuoted(c);
      else if (c === '\\') this.pos += 2;
      else this.pos++;
    }
    this.pos++;
    this.caseStates[this.caseStates.length - 1] = 'commands';
  }

  private skipQuoted(quote: string): void {
    const close = this.findClosingQuote(this.pos + 1, quote);
    this.pos = close < 0 ? this.limit : close + 1;
  }

  private matchRedirect(): string | undefined {
    const match = /^(?:[0-9]*)(?:<<<|<<-|<<|<>|<&|>&|>>|>\||&>>|&>|<|>)/.exec(this.text.slice(this.pos, this.pos + 8));
    if (!match) return undefined;
    if (/^[0-9]/.test(match[0]) && this.pos > 0 && !this.isWordEnd(this.text[this.pos - 1]) && !BLANKS.has(this.text[this.pos - 1])) {
      return undefined;
    }
    return match[0];
  }

  /** Reads the bodies of the heredocs opened on the line just ended, up to each closing delimiter line. */
  private readHeredocBodies(): HeredocText[] {
    const bodies: HeredocText[] = [];
    while (this.heredocs.length > 0) {
      const { delimiter, expands } = this.heredocs.shift()!;
      const bodyStart = this.pos;
      let bodyEnd = this.limit;
      while (this.pos < this.limit) {
        const lineStart = this.pos;
        const lineEnd = this.lineEnd(lineStart);
        this.pos = Math.min(lineEnd + 1, this.limit);
        if (this.text.slice(lineStart, lineEnd).trim() === delimiter) {
          bodyEnd = lineStart;
          break;
        }
      }
      const resume = this.pos;
      bodies.push({ type: 'text', word: this.heredocBody(bodyStart, bodyEnd, expands) });
      this.pos = resume;
    }
    return bodies;
  }

  private heredocBody(start: number, end: number, expands: boolean): Word {
    const pieces: Piece[] = [];
    const outerLimit = this.limit;
    this.limit = end;
    this.pos = start;
    while (this.pos < end) {
      const c = this.text[this.pos];
      if (expands && c === '\\' && '$`\\'.includes(this.text[this.pos + 1] ?? '')) {
        addChar(pieces, this.text, this.pos + 1);
        this.pos += 2;
      } else if (expands && c === '$') {
        this.parseDollar(pieces, true);
      } else if (expands && c === '`') {
        this.parseBackticks(pieces);
      } else {
        addChar(pieces, this.text, this.pos);
        this.pos++;
      }
    }
    this.limit = outerLimit;
    return { start, end, pieces };
  }

  private lineEnd(from: number): number {
    const newline = this.text.indexOf('\n', from);
    return newline < 0 || newline > this.limit ? this.limit : newline;
  }

  private skipBlanks(): void {
    while (this.pos < this.limit && BLANKS.has(this.text[this.pos])) this.pos++;
  }

  private nextNonBlankAfter(from: number): string | undefined {
    let i = from;
    while (i < this.limit && BLANKS.has(this.text[i])) i++;
    return i < this.limit ? this.text[i] : undefined;
  }

  /** True when `pos` holds a `{` or `}` that stands alone as a group keyword. */
  private isGroupBrace(brace: '{' | '}'): boolean {
    const after = this.text[this.pos + 1];
    return this.text[this.pos] === brace && (after === undefined || this.pos + 1 >= this.limit || /[\s;]/.test(after));
  }

  /**
   * After a function header (`name()`, `function name`), parses a `{ … }` body as a scope of its own: a `cd` or an
   * assignment in a function does not change what the commands after the definition see.
   */
  private functionBody(): Subshell | undefined {
    while (this.pos < this.limit && (BLANKS.has(this.text[this.pos]) || this.text[this.pos] === '\n')) this.pos++;
    if (!this.isGroupBrace('{')) return undefined;
    this.pos++;
    return { type: 'subshell', body: this.parseList('}') };
  }

  private isLineContinuation(at: number): boolean {
    return this.text[at + 1] === '\n' || (this.text[at + 1] === '\r' && this.text[at + 2] === '\n');
  }

  /**
   * Blanks, newlines and operators end a word, except that inside `[[ … ]]` parentheses, `<`, `>` and `|` belong to
   * the test expression. Asked for every character, so a switch rather than set lookups.
   */
  private isWordEnd(c: string): boolean {
    switch (c) {
      case ' ':
      case '\t':
      case '\r':
      case '\uFEFF':
      case '\n':
      case ';':
      case '&':
        return true;
      case '(':
      case ')':
      case '<':
      case '>':
      case '|':
        return !this.inTestExpression;
      default:
        return false;
    }
  }

  /** Skips from an opening character to its balanced closing one, honouring quotes. */
  private skipBalanced(from: number, open: string, close: string): void {
    let depth = 0;
    let i = from;
    while (i < this.limit) {
      const c = this.text[i];
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c === "'" || c === '"') {
        const end = this.findClosingQuote(i + 1, c);
        i = end < 0 ? this.limit : end + 1;
        continue;
      }
      if (c === open) depth++;
      else if (c === close && --depth === 0) {
        this.pos = i + 1;
        return;
      }
      i++;
    }
    this.problems.push({ offset: from, message: `Unclosed "${open}" in shell text` });
    this.pos = this.limit;
  }

  /** The words between an array assignment's parentheses (`from` after `(`, `to` at `)`), comments skipped. */
  private arrayElements(from: number, to: number): Word[] {
    const limit = this.limit;
    const elements: Word[] = [];
    this.limit = to;
    this.pos = from;
    while (this.pos < this.limit) {
      if (BLANKS.has(this.text[this.pos]) || this.text[this.pos] === '\n' || this.text[this.pos] === '\r' || this.text[this.pos] === '\\') {
        this.pos++;
        continue;
      }
      if (this.text[this.pos] === '#') {
        this.pos = this.lineEnd(this.pos);
        continue;
      }
      const before = this.pos;
      const word = this.parseWord();
      if (this.pos === before) this.pos++;
      else elements.push(word);
    }
    this.limit = limit;
    return elements;
  }

  private findClosingQuote(from: number, quote: string): number {
    for (let i = from; i < this.limit; i++) {
      if (this.text[i] === quote) return i;
      if (this.text[i] === '\\' && quote === '"') i++;
    }
    return -1;
  }

  private parseWord(): Word {
    const start = this.pos;
    const pieces: Piece[] = [];
    if ((this.text[this.pos] === '<' || this.text[this.pos] === '>') && this.text[this.pos + 1] === '(') {
      this.pos += 2;
      pieces.push({ type: 'command', start, body: this.parseSubstitutionBody(')'), end: this.pos });
    }
    while (this.pos < this.limit) {
      const c = this.text[this.pos];
      if (this.isWordEnd(c)) {
        if (c === '(' && /^[A-Za-z_][A-Za-z0-9_]*\+?=$/.test(pieces.map(staticPrefix).join(''))) {
          // An array assignment `NAME=(a b c)`: its value is not one path.
          const open = this.pos;
          this.skipBalanced(open, '(', ')');
          const end = this.pos;
          pieces.push({ type: 'param', start: open, end, name: undefined, dialect: 'shell', elements: this.arrayElements(open + 1, end - 1) });
          this.pos = end;
          continue;
        }
        break;
      }
      if (c === '\\') {
        if (this.isLineContinuation(this.pos)) {
          this.pos += this.text[this.pos + 1] === '\r' ? 3 : 2;
        } else if (this.pos + 1 < this.limit) {
          addChar(pieces, this.text, this.pos + 1);
          this.pos += 2;
        } else {
          this.pos++;
        }
      } else if (c === "'") {
        const close = this.findClosingQuote(this.pos + 1, "'");
        const end = close < 0 ? this.limit : close;
        if (close < 0) this.problems.push({ offset: this.pos, message: 'Unterminated single quote in shell text' });
        this.pos++;
        while (this.pos < end) {
          // make expands its own variables before the shell sees the quotes.
          if (this.dialect === 'make' && this.text[this.pos] === '$' && this.text[this.pos + 1] !== '$') {
            this.parseDollar(pieces);
          } else {
            addChar(pieces, this.text, this.pos);
            this.pos += this.dialect === 'make' && this.text[this.pos] === '$' ? 2 : 1;
          }
        }
        this.pos = end + 1;
      } else if (c === '"') {
        this.parseDoubleQuoted(pieces);
      } else if (c === '$') {
        this.parseDollar(pieces);
      } else if (c === '`') {
        this.parseBackticks(pieces);
      } else {
        addChar(pieces, this.text, this.pos);
        this.pos++;
      }
    }
    return { start, end: Math.min(this.pos, this.limit), pieces };
  }

  private parseDoubleQuoted(pieces: Piece[]): void {
    const open = this.pos;
    this.pos++;
    while (this.pos < this.limit && this.text[this.pos] !== '"') {
      const c = this.text[this.pos];
      if (c === '\\' && this.isLineContinuation(this.pos)) {
        this.pos += this.text[this.pos + 1] === '\r' ? 3 : 2;
      } else if (c === '\\' && '$`"\\'.includes(this.text[this.pos + 1] ?? '')) {
        addChar(pieces, this.text, this.pos + 1);
        this.pos += 2;
      } else if (c === '$') {
        this.parseDollar(pieces, true);
      } else if (c === '`') {
        this.parseBackticks(pieces);
      } else {
        addChar(pieces, this.text, this.pos);
        this.pos++;
      }
    }
    if (this.pos >= this.limit) this.problems.push({ offset: open, message: 'Unterminated double quote in shell text' });
    this.pos++;
  }

  private parseBackticks(pieces: Piece[]): void {
    let close = this.pos + 1;
    while (close < this.limit && this.text[close] !== '`') close += this.text[close] === '\\' ? 2 : 1;
    if (close >= this.limit) this.problems.push({ offset: this.pos, message: 'Unterminated backtick in shell text' });
    const start = this.pos;
    const outerLimit = this.limit;
    this.limit = Math.min(close, outerLimit);
    this.pos++;
    const body = this.parseSubstitutionBody('eof');
    this.limit = outerLimit;
    this.pos = Math.min(close + 1, outerLimit);
    pieces.push({ type: 'command', start, end: this.pos, body });
  }

  /** Parses an expansion at the `$` at `pos`; `quoted` inside double quotes or an expanding heredoc body. */
  private parseDollar(pieces: Piece[], quoted = false): void {
    const next = this.text[this.pos + 1] ?? '';
    if (this.dialect === 'make') {
      if (next === '$') {
        // `$$` is the shell's `$` in a recipe.
        this.pos++;
        this.parseShellDollar(pieces, quoted);
        return;
      }
      const start = this.pos;
      if (next === '(' || next === '{') {
        const close = next === '(' ? ')' : '}';
        this.skipBalanced(start + 1, next, close);
        const content = this.text.slice(start + 2, this.pos - 1);
        const shell = /^shell\s+/.exec(content);
        if (shell) {
          // make's `$(shell …)` in a recipe (`--arg sha "$(shell ./hack/hash.sh $<)"`) runs its command like `$(…)`.
          const end = this.pos;
          const outerLimit = this.limit;
          this.limit = end - 1;
          this.pos = start + 2 + shell[0].length;
          const body = this.parseSubstitutionBody('eof');
          this.limit = outerLimit;
          this.pos = end;
          pieces.push({ type: 'command', start, end, body });
          return;
        }
        const name = /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(content) ? content : undefined;
        pieces.push({ type: 'param', start, end: this.pos, name, dialect: 'make' });
        return;
      }
      if (next !== '' && !BLANKS.has(next) && next !== '\n') {
        this.pos += 2;
        pieces.push({ type: 'param', start, end: this.pos, name: next, dialect: 'make' });
        return;
      }
      addChar(pieces, this.text, this.pos);
      this.pos++;
      return;
    }
    this.parseShellDollar(pieces, quoted);
  }

  /**
   * Parses a shell expansion starting at the `$` at `pos`. Inside double quotes `$'…'` and `$"…"` are no quoting: the
   * `$` is literal and the quote is what it is there (`grep -o "[a-z]*$"` closes its string).
   */
  private parseShellDollar(pieces: Piece[], quoted: boolean): void {
    const start = this.pos;
    const next = this.text[start + 1] ?? '';
    if (next === '(' && this.text[start + 2] === '(') {
      this.skipBalanced(start + 1, '(', ')');
      pieces.push({ type: 'param', start, end: this.pos, name: undefined, dialect: 'shell' });
    } else if (next === '(') {
      this.pos += 2;
      const body = this.parseSubstitutionBody(')');
      pieces.push({ type: 'command', start, end: this.pos, body });
    } else if (next === '{') {
      this.skipBalanced(start + 1, '{', '}');
      const content = this.text.slice(start + 2, this.pos - 1);
      const plain = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+|BASH_SOURCE\[0\])$/.test(content);
      const scriptFolder = /^(?:0|BASH_SOURCE(?:\[0\])?)%\/\*$/.test(content);
      const name = plain ? content : scriptFolder ? SCRIPT_FOLDER_PARAMETER : undefined;
      pieces.push({ type: 'param', start, end: this.pos, name, dialect: 'shell' });
    } else if (/[A-Za-z_]/.test(next)) {
      let end = start + 1;
      while (end < this.limit && /[A-Za-z0-9_]/.test(this.text[end])) end++;
      pieces.push({ type: 'param', start, end, name: this.text.slice(start + 1, end), dialect: 'shell' });
      this.pos = end;
    } else if (/[0-9@*#?$!-]/.test(next) && next !== '') {
      this.pos += 2;
      pieces.push({ type: 'param', start, end: this.pos, name: next, dialect: 'shell' });
    } else if (next === "'" && !quoted) {
      const close = this.text.indexOf("'", this.pos + 2);
      const end = close < 0 || close > this.limit ? this.limit : close;
      for (let i = this.pos + 2; i < end; i++) addChar(pieces, this.text, i);
      this.pos = end + 1;
    } else if (next === '"' && !quoted) {
      this.pos++;
      this.parseDoubleQuoted(pieces);
    } else {
      addChar(pieces, this.text, this.pos);
      this.pos++;
    }
  }
}

/** Adds the character at `offset` of `source` to the word being parsed. */
function addChar(pieces: Piece[], source: string, offset: number): void {
  const last = pieces[pieces.length - 1];
  if (last?.type !== 'text') {
    pieces.push({ type: 'text', source, runs: [offset, offset + 1] });
    return;
  }
  const runs = last.runs;
  if (runs[runs.length - 1] === offset) runs[runs.length - 1] = offset + 1;
  else runs.push(offset, offset + 1);
  last.text = undefined;
}

/** A text piece's characters as one string: one slice of the source for most, whose characters stand side by side. */
function pieceText(piece: TextPiece): string {
  if (piece.text === undefined) {
    const { source, runs } = piece;
    let text = source.slice(runs[0], runs[1]);
    for (let i = 2; i < runs.length; i += 2) text += source.slice(runs[i], runs[i + 1]);
    piece.text = text;
  }
  return piece.text;
}

/** How many characters a text piece has. */
function pieceLength(piece: TextPiece): number {
  let length = 0;
  for (let i = 0; i < piece.runs.length; i += 2) length += piece.runs[i + 1] - piece.runs[i];
  return length;
}

function staticPrefix(piece: Piece): string {
  return piece.type === 'text' ? pieceText(piece) : '';
}

/** The text after the word's last expansion ('' when it ends with one). */
function trailingText(word: Word): string {
  const last = word.pieces[word.pieces.length - 1];
  return last === undefined ? '' : staticPrefix(last);
}

/** The word's text when it has no expansion; undefined otherwise. */
function literalOf(word: Word): string | undefined {
  // Asked of nearly every word: a word of one literal piece, the usual one, needs no array to be joined.
  if (word.pieces.length === 1 && word.pieces[0].type === 'text') return pieceText(word.pieces[0]);
  if (word.pieces.some((piece) => piece.type !== 'text')) return undefined;
  return word.pieces.map(staticPrefix).join('');
}

// ---------------------------------------------------------------------------------------------------------------
// Meaning

interface WalkState {
  /** Shell variables: a PathValue when the variable is known to name a workspace path, undefined otherwise. */
  variables: Map<string, PathValue | undefined>;
  /** The working directory; undefined once a `cd` went somewhere unknown. */
  cwd: PathValue | undefined;
  /** True while the working directory is the fragment's default, not set by a `cd`. */
  cwdAssumed: boolean;
  previousCwd: PathValue | undefined;
  /**
   * The last known working directory once a `cd` went to a value not known statically (`cd "${REPO_ROOT}"`) and not
   * outside the workspace: a path that names something from there is reviewed, not dropped unseen.
   */
  lostCwd?: PathValue;
  directoryStack: (PathValue | undefined)[];
  /**
   * Variables known to name a place outside the workspace (`$(mktemp -d)`, `/tmp/x`, `$HOME/.kube`): a path behind
   * one is never a workspace path, so it needs no review.
   */
  outside: Set<string>;
  /** Folders the commands so far create (`mkdir`, `git clone`): a `cd` into one is no broken reference. */
  created: Set<string>;
  /**
   * Files the commands so far write that did not exist (output references): a later path naming one (`yq … x.yaml`
   * after `> x.yaml`) is an output reference too. Shared with subshells, whose files stay written after them.
   */
  written: Set<string>;
}

/** Variables that always name a place outside the workspace. */
const OUTSIDE_VARIABLES = new Set(['HOME', 'TMPDIR', 'TMP', 'TEMP', 'GOPATH', 'XDG_CONFIG_HOME']);

/**
 * What a path is used for, beyond being named. `namesBase`: the paths after it resolve in the folder it names (a `cd`
 * operand, a variable's value). `lexical`: it names its place even when nothing is there (a `cd` into a missing folder).
 * `prefixPattern`: it is the literal start of a pattern that selects every path below it (`grep '^dir/'` over a file
 * list), so it is reported as a glob: what it selects is a matter for review when files leave it.
 */
interface PathUse {
  namesBase?: boolean;
  lexical?: boolean;
  /** With `lexical`: folders made by earlier commands, which a missing path below is no broken reference to. */
  created?: ReadonlySet<string>;
  prefixPattern?: boolean;
  /** The word is an unquoted argument the shell expands into words (not of a test, a `case` or a redirection). */
  globWord?: boolean;
  /**
   * The word names a file the command writes (an output redirection's target, a `tee` operand): when it does not
   * exist, it still names its folder, so it is an `output` reference when that folder exists (see `outputPath`).
   */
  output?: boolean;
  /** The word is part of a sentence (a message, a heredoc body), not a command's argument. */
  prose?: boolean;
  /** The word is a redirection's target. */
  redirected?: boolean;
}

/** One element of a word after expansion: a literal character with its offset, or an expansion. */
type WordItem = { char: string; offset: number } | { piece: ParamPiece | CommandPiece };

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash']);

/**
 * The script of `sh -c SCRIPT` (also `bash -ec`) when it is written literally, in single quotes or in double quotes
 * with nothing expanded (no `$`, backquote or backslash): its text in the file is the script, offset for offset.
 */
function inlineScript(args: readonly Word[], text: string): { start: number; end: number } | undefined {
  // Only among the options before the first operand: `bash deploy.sh -c x` passes `-c` to the script.
  const options = args.findIndex((word) => !(literalOf(word) ?? '').startsWith('-'));
  const option = args.slice(0, options < 0 ? args.length : options).findIndex((word) => /^-[a-z]*c[a-z]*$/.test(literalOf(word)!));
  const script = option < 0 ? undefined : args[option + 1];
  if (script === undefined || script.end - script.start < 2) return undefined;
  const quote = text[script.start];
  if ((quote !== "'" && quote !== '"') || text[script.end - 1] !== quote) return undefined;
  const body = text.slice(script.start + 1, script.end - 1);
  if (body.includes(quote) || (quote === '"' && /[$`\\]/.test(body))) return undefined;
  return { start: script.start + 1, end: script.end - 1 };
}

const COMMAND_PREFIXES = new Set(['sudo', 'exec', 'command', 'builtin', 'nohup', 'time', 'env', 'xargs']);
const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '!', '{', '}', 'esac']);
const DECLARATIONS = new Set(['export', 'local', 'readonly', 'declare', 'typeset']);
/** Commands whose plain arguments are paths even without a `/` or a file extension. */
const PATH_ARGUMENT_COMMANDS = new Set([
  'cd', 'pushd', 'source', '.', 'bash', 'sh', 'zsh', 'ksh', 'cat', 'cp', 'mv', 'rm', 'ls', 'diff', 'less', 'head',
  'tail', 'touch', 'chmod', 'find', 'dirname', 'realpath', 'readlink', 'test', '[', '[[', 'yq', 'jq', 'tar',
]);
/** `git clone` options written with their value as the next word. */
const GIT_CLONE_VALUE_OPTIONS = new Set(['--depth', '-b', '--branch', '-o', '--origin', '--reference', '-c', '--config', '-j', '--jobs', '-u', '--upload-pack', '--separate-git-dir', '--template', '--shallow-since', '--shallow-exclude']);
/** git subcommands whose operands are branches, tags, remotes or commits: paths only after `--`. */
const GIT_REF_SUBCOMMANDS = new Set(['checkout', 'switch', 'branch', 'tag', 'push', 'fetch', 'pull', 'merge', 'rebase', 'cherry-pick', 'revert']);
/** git options written before the subcommand with their value as the next word. */
const GIT_GLOBAL_VALUE_OPTIONS = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace']);

/**
 * For `git SUBCOMMAND …` whose operands are refs: the index of the subcommand word and of the first word after `--`
 * (the arguments' length when there is none). Undefined for any other git command.
 */
function gitRefOperands(args: Word[]): { subcommand: number; paths: number } | undefined {
  let i = 0;
  while (i < args.length && (literalOf(args[i]) ?? '').startsWith('-')) i += GIT_GLOBAL_VALUE_OPTIONS.has(literalOf(args[i]) ?? '') ? 2 : 1;
  if (i >= args.length || !GIT_REF_SUBCOMMANDS.has(literalOf(args[i]) ?? '')) return undefined;
  const dashes = args.findIndex((word, index) => index > i && literalOf(word) === '--');
  return { subcommand: i, paths: dashes < 0 ? args.length : dashes + 1 };
}

/** Commands whose first operand is a pattern and the rest are files or folders to search. */
const SEARCH_COMMANDS = new Set(['grep', 'egrep', 'fgrep', 'rg']);
/** Options of a search command that give the pattern, so that no operand is one. */
const PATTERN_OPTIONS = new Set(['-e', '--regexp']);
/** Options whose value is a path (`-f x`, `--values=x`), whatever the command. */
const PATH_OPTIONS = new Set([
  '-f', '-k', '-C', '--filename', '--kustomize', '--values', '--path', '--file', '--directory', '--dir', '--chdir',
  '--from-file', '--from-env-file', '--env-file', '--context',
]);

/** Options whose value is a name or a message, never a path (`gh pr create --head "release/${V}" --title …`). */
const NAME_OPTIONS = new Set(['-m', '--message', '--title', '--body', '--head', '--base', '--branch', '--tag']);
/** Commands whose `-m` is a message; elsewhere it is an ordinary option (`jsonnet -m examples/standard` is a folder). */
const MESSAGE_COMMANDS = new Set(['git', 'gh', 'hub', 'hg', 'svn', 'docker', 'podman', 'helm', 'glab']);

class ShellWalker {
  readonly refs: Reference[] = [];
  readonly review: ReviewItem[] = [];
  private readonly substitutionOutputs = new Map<CommandPiece, PathValue | undefined>();
  private readonly referrerFolder: string;

  constructor(
    private readonly fragment: ShellFragment,
    private readonly workspace: WorkspaceView,
    private readonly lines: LineIndex,
    private readonly options: ShellScanOptions,
  ) {
    this.referrerFolder = dirname(fragment.file);
  }

  initialState(): WalkState {
    return {
      variables: new Map(),
      cwd: { path: this.fragment.cwd, rule: this.fragment.cwdRule, anchored: false },
      cwdAssumed: true,
      previousCwd: undefined,
      directoryStack: [],
      outside: new Set(),
      created: new Set(),
      written: new Set(),
    };
  }

  /** Walks statements in order; returns what the last command prints when it is a known path (for `$(…)`). */
  walk(statements: Statement[], state: WalkState): PathValue | undefined {
    let output: PathValue | undefined;
    for (const statement of statements) {
      if (statement.type === 'subshell') output = this.walkSubshell(statement.body, state);
      else if (statement.type === 'simple') output = this.command(statement, state);
      // A comment prints nothing: what `$(…)` yields stays the last command's output.
      else if (statement.type === 'comment') this.comment(statement, state);
      else {
        this.evaluateSubstitutions([statement.word], state);
        this.path(statement.word, state, false);
        output = undefined;
      }
    }
    return output;
  }

  /**
   * A comment is free text: a word in it that names an existing path (`# Run from the root: ./x/run.sh`) goes stale
   * when that path moves. Only words that look like paths count, and nothing in a comment is a review item: it is not
   * executed, so a glob or a variable written there changes nothing a move could break.
   */
  private comment(comment: CommentText, state: WalkState): void {
    const items: WordItem[] = [];
    for (let offset = comment.start; offset < comment.end; offset++) items.push({ char: this.fragment.text[offset], offset });
    for (const word of freeTextWords(items)) {
      const literal = word.map(charOf).join('');
      if (!isPathLike(literal) || /^[/~-]|[:$*?\\]/.test(literal) || isDepthOnly(literal)) continue;
      const start = itemStart(word[0]);
      const base = this.relativeBases(state).find((candidate) => {
        const target = join(candidate.path, literal);
        return !escapesRoot(target) && this.workspace.stat(target) !== undefined;
      });
      if (base) this.addReference(start, start + literal.length, 'comment', base, join(base.path, literal), 'probable');
    }
  }

  private walkSubshell(body: Statement[], state: WalkState): undefined {
    this.walk(body, copyState(state));
    return undefined;
  }

  /** Walks the command substitutions of words (each in a copy of the state) and remembers what they print. */
  private evaluateSubstitutions(words: Word[], state: WalkState): void {
    for (const word of words) {
      for (const piece of word.pieces) {
        if (piece.type === 'command') this.substitutionOutputs.set(piece, this.walk(piece.body, copyState(state)));
      }
    }
  }

  private command(command: SimpleCommand, state: WalkState): PathValue | undefined {
    const redirected = command.redirects.map((redirect) => redirect.word);
    this.evaluateSubstitutions([...command.words, ...redirected], state);
    for (const { word, output } of command.redirects) this.path(word, state, true, { output, redirected: true });

    const words = command.words;
    let i = 0;
    while (i < words.length && KEYWORDS.has(literalOf(words[i]) ?? '')) i++;
    const first = literalOf(words[i] ?? emptyWord());
    if (first === 'for' || first === 'select') {
      const loopVariable = literalOf(words[i + 1] ?? emptyWord());
      if (loopVariable) state.variables.set(loopVariable, undefined);
      const inIndex = words.findIndex((word, index) => index > i && literalOf(word) === 'in');
      if (inIndex >= 0) for (const word of words.slice(inIndex + 1)) this.path(word, state, false, { globWord: isBareWord(word) });
      return undefined;
    }
    if (first === 'case') {
      return undefined;
    }

    const assignments: Word[] = [];
    while (i < words.length && assignmentName(words[i]) !== undefined) assignments.push(words[i++]);
    for (const assignment of assignments) this.assign(assignment, state, i === words.length);
    if (i === words.length) return undefined;

    while (i < words.length - 1 && COMMAND_PREFIXES.has(literalOf(words[i]) ?? '')) {
      i++;
      while (i < words.length - 1 && (assignmentName(words[i]) !== undefined || (literalOf(words[i]) ?? '').startsWith('-'))) {
        i++;
      }
    }
    const name = literalOf(words[i]) ?? '';
    const args = words.slice(i + 1);
    if (DECLARATIONS.has(name)) {
      for (const word of args) if (assignmentName(word) !== undefined) this.assign(word, state, true);
      return undefined;
    }
    if (name === 'cd' || name === 'pushd') return this.changeDirectory(name, args, state);
    const inline = SHELLS.has(name) ? inlineScript(args, this.fragment.text) : undefined;
    if (inline !== undefined) {
      // The script runs in a shell of its own: what it changes (a `cd`, a variable) stays in there.
      walkRange(this, this.fragment, inline, this.options.dialect ?? 'shell', copyState(state), this.lines);
      return undefined;
    }
    if (name === 'popd') {
      state.previousCwd = state.cwd;
      state.cwd = state.directoryStack.pop();
      state.cwdAssumed = false;
      return undefined;
    }
    if (name === 'mkdir' || (name === 'git' && literalOf(args[0] ?? emptyWord()) === 'clone')) this.noteCreated(name, args, state);
    if (name === 'git' && args.some((word) => literalOf(word) === '--show-toplevel')) {
      return { path: '', rule: 'fixed', anchored: true };
    }
    const refOperands = name === 'git' ? gitRefOperands(args) : undefined;
    if (refOperands !== undefined) {
      // Branch, tag and remote names (`git checkout -b "release/${TAG}"`) are no paths; only the global options and
      // what follows `--` are read.
      this.arguments(name, [...args.slice(0, refOperands.subcommand), ...args.slice(refOperands.paths)], state);
      return undefined;
    }
    const commandIsOption = name.startsWith('-');
    if (!commandIsOption && words[i].pieces.some((piece) => piece.type === 'text')) this.path(words[i], state, false);
    const values = this.arguments(name, commandIsOption ? words.slice(i) : args, state);
    if (name === 'pwd') return state.cwd;
    if (name === 'dirname') {
      const value = values[0];
      return value && value.path !== '' ? { ...value, path: dirname(value.path) } : undefined;
    }
    if (name === 'realpath' || name === 'readlink') return values[0];
    return undefined;
  }

  /** Examines every argument; returns the values of the non-option ones, in order. */
  private arguments(command: string, args: Word[], state: WalkState): (PathValue | undefined)[] {
    const values: (PathValue | undefined)[] = [];
    const subcommand = literalOf(args[0] ?? emptyWord());
    const subcommandTakesPaths = (command === 'kustomize' && subcommand === 'build') || (command === 'kubectl' && subcommand === 'kustomize');
    const search = SEARCH_COMMANDS.has(command);
    const pathCommand = PATH_ARGUMENT_COMMANDS.has(command) || subcommandTakesPaths || search;
    // The subcommand word (`kubectl kustomize`) and a search's pattern sit among path operands but are no paths.
    let skipNext = subcommandTakesPaths;
    let patternPending = search;
    let optionTakesPath = false;
    // `tee`'s operands are the files it writes; its options take no value.
    const output = command === 'tee';
    for (const word of args) {
      if (skipNext) {
        skipNext = false;
        continue;
      }
      const literal = literalOf(word);
      if (literal !== undefined && literal.startsWith('-') && literal !== '-') {
        const equals = literal.indexOf('=');
        const option = equals < 0 ? literal : literal.slice(0, equals);
        if (search && (PATTERN_OPTIONS.has(option) || option === '-f' || option === '--file')) {
          patternPending = false;
          skipNext = equals < 0 && PATTERN_OPTIONS.has(option);
        }
        if (NAME_OPTIONS.has(option) && (option !== '-m' || MESSAGE_COMMANDS.has(command))) {
          skipNext = equals < 0;
          continue;
        }
        if (equals >= 0) this.path(sliceWord(word, equals + 1, option.startsWith('--from') ? 'key' : 'none'), state, PATH_OPTIONS.has(option));
        optionTakesPath = equals < 0 && PATH_OPTIONS.has(option);
        continue;
      }
      const prefix = word.pieces[0] ? staticPrefix(word.pieces[0]) : '';
      if (prefix.startsWith('--') && prefix.includes('=')) {
        const option = prefix.slice(0, prefix.indexOf('='));
        this.path(sliceWord(word, prefix.indexOf('=') + 1, option.startsWith('--from') ? 'key' : 'none'), state, PATH_OPTIONS.has(option));
        optionTakesPath = false;
        continue;
      }
      // A `name=value` or generator `name:key=value` argument (controller-gen `output:crd:artifacts:config=config/crd/bases`,
      // `object:headerFile="hack/boilerplate.go.txt"`, gomplate `-d config=./data.yaml`): the value may name a path.
      const setting = /^[A-Za-z][\w.-]*(?::[\w.-]+)*=/.exec(prefix);
      if (setting && !patternPending) {
        for (const value of settingValues(sliceWord(word, setting[0].length, 'none'))) this.path(value, state, false);
        optionTakesPath = false;
        continue;
      }
      if (patternPending && !optionTakesPath) {
        patternPending = false;
        const anchored = anchoredPatternPath(word);
        if (anchored) this.path(anchored, state, false, { prefixPattern: true });
        continue;
      }
      values.push(this.path(word, state, pathCommand || optionTakesPath, { globWord: !TEST_COMMANDS.has(command) && isBareWord(word), output }));
      optionTakesPath = false;
    }
    return values;
  }

  private changeDirectory(command: string, args: Word[], state: WalkState): undefined {
    const operands = args.filter((word) => !(literalOf(word) ?? '').startsWith('-') || literalOf(word) === '-');
    const operand = operands[0];
    let next: PathValue | undefined;
    if (operand === undefined) next = undefined;
    else if (literalOf(operand) === '-') next = state.previousCwd;
    else next = this.path(operand, state, true, { namesBase: true, lexical: true, created: state.created });
    if (command === 'pushd') state.directoryStack.push(state.cwd);
    state.previousCwd = state.cwd;
    state.lostCwd = next === undefined && operand !== undefined && !namesOutside(operand, state) ? (state.cwd ?? state.lostCwd) : undefined;
    state.cwd = next;
    state.cwdAssumed = false;
    return undefined;
  }

  /** Remembers the folders `mkdir DIR…` or `git clone URL [DIR]` make in the working directory. */
  private noteCreated(command: string, args: Word[], state: WalkState): void {
    if (state.cwd === undefined) return;
    const operands: Word[] = [];
    for (let i = 0; i < args.length; i++) {
      const text = literalOf(args[i]);
      if (text === undefined || !text.startsWith('-')) operands.push(args[i]);
      else if (command === 'git' && GIT_CLONE_VALUE_OPTIONS.has(text)) i++;
    }
    let folders = operands.map(literalOf);
    if (command === 'git') {
      const [, url, folder] = operands;
      // The folder a clone makes is the URL's last segment, static even when the host or owner is a variable.
      const tail = url === undefined ? '' : trailingText(url).replace(/\/+$/, '');
      const urlTail = url !== undefined && (literalOf(url) !== undefined || tail.includes('/')) ? /[^/]+$/.exec(tail)?.[0] : undefined;
      folders = [folder !== undefined ? literalOf(folder) : urlTail?.replace(/\.git$/, '')];
    }
    for (const folder of folders) if (folder !== undefined && folder !== '' && !/^[/~]/.test(folder)) state.created.add(join(state.cwd.path, folder));
  }

  private assign(word: Word, state: WalkState, persists: boolean): void {
    const name = assignmentName(word)!;
    const operatorLength = staticPrefix(word.pieces[0])[name.length] === '+' ? 2 : 1;
    const valueWord = sliceWord(word, name.length + operatorLength, 'none');
    const array = valueWord.pieces.length === 1 && valueWord.pieces[0].type === 'param' ? valueWord.pieces[0].elements : undefined;
    if (array) {
      for (const element of array) this.path(element, state, false, { globWord: isBareWord(element) });
      if (persists) state.variables.set(name, undefined);
      return;
    }
    const value = this.path(valueWord, state, false, { namesBase: persists });
    if (!persists) return;
    this.noteScriptDepth(name, valueWord, value);
    state.variables.set(name, value);
    if (value === undefined && namesOutside(valueWord, state)) state.outside.add(name);
    else state.outside.delete(name);
  }

  /**
   * A variable naming a folder above the script found with `dirname` alone (`ROOT=$(dirname "$SCRIPT_DIR")`) has no
   * `../..` to rewrite: moving the script to another depth changes the folder it names. Paths written after it are
   * rewritten, but the variable used on its own is not, so it is a `<prefix>.scriptDepth` review item, which the
   * planner reports only when the script moves to a place where the same `dirname`s name another folder.
   */
  private noteScriptDepth(name: string, word: Word, value: PathValue | undefined): void {
    const script = this.options.scriptPath;
    if (!value || !value.anchored || value.rule !== 'referrer' || script === undefined) return;
    const folder = dirname(script);
    if (value.path === folder || !isInside(folder, value.path)) return;
    // A written `..` (`$(cd "$(dirname "$0")/.." && pwd)`) is an anchor reference the planner rewrites.
    if (this.refs.some((ref) => ref.kind.endsWith('.anchor') && ref.start >= word.start && ref.end <= word.end)) return;
    const reason = `${name} is found from this script's own folder with dirname; at another depth it names another folder (uses of $${name} alone are not rewritten)`;
    this.addReviewAt(word.start, word.end, 'scriptDepth', reason, value.path);
  }

  /**
   * Reports the path a word names (a Reference when it resolves, a ReviewItem when it is built from unknown parts or
   * is a glob) and returns the workspace path it denotes, when known.
   */
  private path(word: Word, state: WalkState, pathPosition: boolean, use: PathUse = {}): PathValue | undefined {
    // Most words are plain literals that name no path: turning them into items first costs more than the whole walk.
    if (isLiteralNonPath(word, pathPosition)) return undefined;
    return this.pathOfItems(wordItems(word), state, pathPosition, use);
  }

  private pathOfItems(items: WordItem[], state: WalkState, pathPosition: boolean, use: PathUse = {}): PathValue | undefined {
    if (items.some((item) => 'char' in item && isWhitespaceAt(item.char, 0))) {
      // A sentence (an `echo` message, a heredoc body): each path-like word in it is free text.
      for (const chunk of freeTextWords(items)) this.pathOfItems(chunk, state, false, { prose: true });
      return undefined;
    }
    if (items.length === 0) return undefined;
    const head = items[0];
    if ('piece' in head) {
      const base = this.valueOf(head.piece, state);
      const rest = items.slice(1);
      if (rest.length === 0) return base;
      let skip = 0;
      while (skip < rest.length && isChar(rest[skip], '/')) skip++;
      if (skip === 0) return undefined;
      if (!base && isOutsideParameter(head.piece, state)) return undefined;
      if (!base) {
        this.unknownBase(items, rest.slice(skip), state);
        return undefined;
      }
      let folder = base;
      let after = rest.slice(skip);
      for (let next = after[0]; next !== undefined && 'piece' in next && next.piece.type === 'param' && next.piece.dialect === 'make'; next = after[0]) {
        const name = next.piece.name;
        const value = name === undefined ? undefined : this.options.makeVariables?.get(name);
        if (value === undefined || this.options.makeVariableBases?.get(name!) !== folder.path) break;
        let slashes = 1;
        while (slashes < after.length && isChar(after[slashes], '/')) slashes++;
        if (slashes === 1 && after.length > 1) break;
        folder = value;
        after = after.slice(slashes);
      }
      if (after.length === 0) return folder;
      return this.relativePath(items, after, [folder], true, use, state);
    }
    const literal = items.map((item) => ('char' in item ? item.char : '\0')).join('');
    if (literal.startsWith('/') || literal.startsWith('~') || literal.startsWith('-') || literal.includes(':')) return undefined;
    if (!pathPosition && !isPathLike(literal.split('\0')[0])) return undefined;
    if (state.cwd === undefined && state.lostCwd !== undefined) {
      this.unknownBase(items, items, state, [state.lostCwd.path], 'path is relative to a working directory not known statically (a cd to a variable)');
      return undefined;
    }
    return this.relativePath(items, items, this.relativeBases(state), false, use, state);
  }

  /**
   * A path behind a variable whose value is unknown (`$DEPLOY_ROOT/infrastructure/x.yaml`): when what follows the
   * variable names an existing path from the working directory or the referring file's folder, a move of that path
   * may break it, so it needs review.
   */
  private unknownBase(
    whole: WordItem[],
    rest: WordItem[],
    state: WalkState,
    bases?: string[],
    reason = 'path follows a variable whose value is not known statically',
  ): void {
    let dynamicAt = rest.findIndex((item) => 'piece' in item);
    if (dynamicAt < 0) dynamicAt = rest.length;
    const staticText = rest.slice(0, dynamicAt).map(charOf).join('');
    const cut = staticText.search(/[*?]/);
    const known = dynamicAt < rest.length || cut >= 0 ? staticText.slice(0, staticText.lastIndexOf('/', cut < 0 ? staticText.length : cut) + 1) : staticText;
    if (!known.includes('/') && !isPathLike(known)) return;
    const candidates = bases ?? [...this.relativeBases(state).map((base) => base.path), this.referrerFolder];
    for (const base of new Set(candidates)) {
      const target = join(base, known);
      if (escapesRoot(target) || target === base || this.workspace.stat(target) === undefined) continue;
      this.addReview(whole, reason, target);
      return;
    }
  }

  /**
   * A script with no anchor is assumed to run from the repository root, but one below a tool folder
   * (`images/certgen/hack/e2e.sh`, called as `cd images/certgen && hack/e2e.sh`) is often run from a folder above
   * it. A word naming nothing from the root or the script's folder resolves from the nearest such folder where it
   * names something (a probable reference); one that names something from the root too (`pushd rootfs`) is ambiguous
   * and reviewed rather than rewritten.
   */
  private otherRunFolder(staticText: string, state: WalkState): string | undefined {
    if (this.options.scriptPath === undefined || !state.cwdAssumed || state.cwd?.path !== '' || /^[/~-]/.test(staticText)) return undefined;
    // `./`, `.` and `..` name whatever folder the script runs in: no word of a place.
    const relative = join('', staticText);
    if (relative === '' || escapesRoot(relative)) return undefined;
    for (let folder = dirname(this.referrerFolder); folder !== '' && folder !== '.'; folder = dirname(folder)) {
      const target = join(folder, staticText);
      if (!escapesRoot(target) && this.workspace.stat(target) !== undefined) return folder;
    }
    return undefined;
  }

  private relativeBases(state: WalkState): PathValue[] {
    if (!state.cwd) return [];
    if (!state.cwdAssumed) return [state.cwd];
    const bases = state.cwd.path === this.referrerFolder && state.cwd.rule === 'referrer' ? [state.cwd] : [state.cwd, { path: this.referrerFolder, rule: 'referrer' as const, anchored: false }];
    return this.options.fallbackBases ? [...bases, ...this.options.fallbackBases] : bases;
  }

  /**
   * Resolves the items of a relative path against the first base where it exists. `afterVariable`: the bases come
   * from a variable written in front of the path, so an anchored base makes the reference exact. With `use.lexical`, a
   * path that exists under no base still names its place under the first one (a `cd` into a folder that is gone).
   */
  private relativePath(
    whole: WordItem[],
    items: WordItem[],
    bases: PathValue[],
    afterVariable: boolean,
    use: PathUse,
    state: WalkState,
  ): PathValue | undefined {
    let dynamicAt = items.findIndex((item) => 'piece' in item);
    if (dynamicAt < 0) dynamicAt = items.length;
    const chars = items.slice(0, dynamicAt) as { char: string; offset: number }[];
    // Each character is the parsed text's at its offset, so characters side by side are one slice of it.
    const staticText = isContiguous(chars)
      ? this.fragment.text.slice(chars[0].offset, chars[chars.length - 1].offset + 1)
      : chars.map((item) => item.char).join('');
    const globAt = staticText.search(/[*?]/);
    if (dynamicAt < items.length || globAt >= 0) {
      const cut = Math.min(dynamicAt, globAt < 0 ? dynamicAt : globAt);
      const folder = staticText.slice(0, staticText.lastIndexOf('/', cut - 1) + 1);
      // `./$step.yaml` names no more than `$step.yaml`: some file of the working directory, nothing to review.
      if (join('', folder) === '' && !afterVariable) return undefined;
      // A make automatic variable (`-o ../../$@`, `$(<D)/x`) stands for the rule's own target or prerequisites,
      // which are read, and reviewed, where the rule names them.
      if (dynamicAt < items.length && this.isMakeAutomatic(items[dynamicAt])) return undefined;
      for (const base of bases) {
        const target = join(base.path, folder);
        if (!escapesRoot(target) && this.workspace.stat(target) !== undefined) {
          // A glob written out after its static folder is a glob reference: the planner rewrites the folder and
          // reviews only a change of what it matches.
          if (dynamicAt === items.length && folder !== '' && isContiguous(chars)) {
            const confidence = afterVariable && base.anchored ? 'exact' : 'probable';
            const kind = use.globWord && !afterVariable ? 'globWord' : 'path';
            this.addReference(chars[0].offset, chars[chars.length - 1].offset + 1, kind, base, target, confidence, { prefixPattern: true });
            return undefined;
          }
          const reason = dynamicAt < items.length
            ? 'path is built from a variable or command whose value is not known statically'
            : 'glob pattern: a move may change what it matches';
          this.addReview(whole, reason, target);
          return undefined;
        }
      }
      return undefined;
    }
    if (staticText === '') return undefined;
    const start = chars[0].offset;
    const end = chars[chars.length - 1].offset + 1;
    let resolving = bases.find((base) => {
      const target = join(base.path, staticText);
      return !escapesRoot(target) && this.workspace.stat(target) !== undefined;
    });
    const runFolder = !afterVariable && (resolving === undefined || resolving === state.cwd) ? this.otherRunFolder(staticText, state) : undefined;
    if (runFolder !== undefined && resolving !== undefined) {
      this.addReview(whole, `resolves from the repository root and from ${runFolder}, where the script may be run from; update by hand`, join(resolving.path, staticText));
      return undefined;
    }
    if (runFolder !== undefined) resolving = { path: runFolder, rule: 'fixed', anchored: false };
    // No quote or escape between the characters: the path can be rewritten in place.
    const contiguous = end - start === chars.length;
    if (!resolving && use.output) {
      if (contiguous) this.outputPath(start, end, staticText, bases, state);
      return undefined;
    }
    if (!resolving && state.written.size > 0 && contiguous) {
      // A file an earlier command writes (`> x/auth.yaml`, then `yq … x/auth.yaml`) is named here too, and moves with it.
      const writer = bases.find((candidate) => state.written.has(join(candidate.path, staticText)));
      if (writer !== undefined) {
        const target = join(writer.path, staticText);
        this.addReference(start, end, 'path', writer, target, 'probable', { output: true });
        return { path: target, rule: 'fixed', anchored: false };
      }
    }
    if (!resolving && !use.prose && !use.lexical && !use.redirected && isDeepFilePath(staticText)) {
      if (contiguous) this.outputPath(start, end, staticText, bases, state);
      return undefined;
    }
    // The folder a `cd` names is where the commands after it run, whether or not it exists: the paths they use still
    // resolve by their text, and the `cd` itself is one broken reference rather than the end of the walk.
    const base = resolving ?? (use.lexical && bases.length > 0 && !/^[/~-]/.test(staticText) ? bases[0] : undefined);
    if (base === undefined) return undefined;
    const target = join(base.path, staticText);
    if (escapesRoot(target)) return undefined;
    if (!contiguous) {
      if (resolving) this.addReview(whole, 'path is written with quotes or escapes inside it; update by hand', target);
      return undefined;
    }
    const anchored = afterVariable && base.anchored;
    const kind = isDepthOnly(staticText) ? 'anchor' : 'path';
    const madeHere = !resolving && [...(use.created ?? [])].some((folder) => isInside(target, folder));
    // A file that exists is an ordinary reference, whether or not the command writes it.
    if (!madeHere) this.addReference(start, end, kind, base, target, anchored ? 'exact' : 'probable', { ...use, output: false });
    return { path: target, rule: 'fixed', anchored };
  }

  /**
   * A file a command writes that does not exist yet (`> ./tenants/base/dev-team/auth.yaml`, `| tee deploy/x.yaml`)
   * names the folder it goes in: when that folder exists under one of the bases, the path is an `output` reference,
   * which a move of the folder rewrites. A path with no folder of its own (`out.yaml`, `./out.yaml`, `../out.yaml`)
   * names only the working directory and is none.
   */
  private outputPath(start: number, end: number, staticText: string, bases: PathValue[], state: WalkState): void {
    const slash = staticText.lastIndexOf('/');
    if (slash < 0 || slash === staticText.length - 1 || /^[/~-]/.test(staticText) || isDepthOnly(staticText.slice(0, slash))) return;
    for (const base of bases) {
      const target = join(base.path, staticText);
      if (escapesRoot(target) || this.workspace.stat(dirname(target)) !== 'directory') continue;
      this.addReference(start, end, 'output', base, target, 'probable', { output: true });
      state.written.add(target);
      return;
    }
  }

  private valueOf(piece: ParamPiece | CommandPiece, state: WalkState): PathValue | undefined {
    if (piece.type === 'command') return this.substitutionOutputs.get(piece);
    if (piece.name === undefined) return undefined;
    if (piece.dialect === 'make') return this.options.makeVariables?.get(piece.name);
    if (piece.name === '0' || piece.name === 'BASH_SOURCE' || piece.name === 'BASH_SOURCE[0]') {
      return this.options.scriptPath !== undefined ? { path: this.options.scriptPath, rule: 'referrer', anchored: true } : undefined;
    }
    if (piece.name === SCRIPT_FOLDER_PARAMETER) {
      return this.options.scriptPath !== undefined ? { path: dirname(this.options.scriptPath), rule: 'referrer', anchored: true } : undefined;
    }
    if (piece.name === 'PWD') return state.cwd;
    if (this.options.rootVariables?.has(piece.name) && !state.variables.has(piece.name)) return { path: '', rule: 'fixed', anchored: true };
    return state.variables.get(piece.name);
  }

  private addReference(
    start: number,
    end: number,
    kind: string,
    base: PathValue,
    target: string,
    confidence: 'exact' | 'probable',
    use: PathUse = {},
  ): void {
    this.refs.push({
      from: this.fragment.file,
      start,
      end,
      ...this.lines.position(start),
      text: this.fragment.text.slice(start, end),
      kind: `${this.fragment.kindPrefix}.${kind}`,
      base: base.path,
      baseRule: base.rule,
      target,
      confidence,
      ...(use.namesBase ? { namesBase: true as const } : {}),
      ...(use.prefixPattern ? { glob: true } : {}),
      ...(use.output ? { output: true as const } : {}),
    });
  }

  /** Reports a whole path (its items, from the variable in front of it when there is one) as needing review. */
  private isMakeAutomatic(item: WordItem): boolean {
    if (!('piece' in item) || item.piece.type !== 'param' || item.piece.dialect !== 'make') return false;
    const written = this.fragment.text.slice(item.piece.start, item.piece.end);
    return /^\$(?:[@<^*?+|]|[({][@<^*?+|][DF]?[)}])$/.test(written);
  }

  private addReview(items: WordItem[], reason: string, target: string | undefined): void {
    this.addReviewAt(itemStart(items[0]), itemEnd(items[items.length - 1]), 'path', reason, target);
  }

  private addReviewAt(start: number, end: number, kind: string, reason: string, target: string | undefined): void {
    this.review.push({
      file: this.fragment.file,
      start,
      end,
      ...this.lines.position(start),
      text: this.fragment.text.slice(start, end),
      kind: `${this.fragment.kindPrefix}.${kind}`,
      reason,
      ...(target !== undefined ? { target } : {}),
    });
  }
}

/** Commands whose arguments are an expression: a glob there is a pattern or one operand, not a list of words. */
const TEST_COMMANDS = new Set(['[[', '[', 'test']);

/** A word written without quotes, escapes or expansions: the shell expands a glob in it into matching paths. */
function isBareWord(word: Word): boolean {
  const [piece] = word.pieces;
  return word.pieces.length === 1 && piece.type === 'text' && pieceLength(piece) === word.end - word.start;
}

/**
 * Whether `pathOfItems` would return at once for this word, without a reference: a word of literal text only, with no
 * blank (which would make it free text), that is empty, is absolute, home-relative or an option, holds a `:`, or does
 * not look like a path where no path is expected.
 */
function isLiteralNonPath(word: Word, pathPosition: boolean): boolean {
  const literal = literalOf(word);
  if (literal === undefined || /\s/.test(literal) || literal.includes('\0')) return false;
  if (literal === '' || literal.startsWith('/') || literal.startsWith('~') || literal.startsWith('-') || literal.includes(':')) return true;
  return !pathPosition && !isPathLike(literal);
}

/** True when a word's characters stand side by side in the text (no quote or escape between them). */
function isContiguous(chars: readonly { offset: number }[]): boolean {
  return chars.length > 0 && chars[chars.length - 1].offset - chars[0].offset === chars.length - 1;
}

function copyState(state: WalkState): WalkState {
  return {
    ...state,
    variables: new Map(state.variables),
    directoryStack: [...state.directoryStack],
    outside: new Set(state.outside),
    created: new Set(state.created),
  };
}

/** True for an expansion known to name a place outside the workspace (`$HOME`, a variable set from `mktemp`). */
function isOutsideParameter(piece: ParamPiece | CommandPiece, state: WalkState): boolean {
  if (piece.type === 'command') {
    const first = piece.body[0];
    return piece.body.length === 1 && first.type === 'simple' && literalOf(first.words[0] ?? emptyWord()) === 'mktemp';
  }
  return piece.name !== undefined && piece.dialect === 'shell' && (OUTSIDE_VARIABLES.has(piece.name) || state.outside.has(piece.name));
}

/** True when an assigned value names a place outside the workspace: an absolute or home path, `$(mktemp …)`, `$HOME/…`. */
function namesOutside(value: Word, state: WalkState): boolean {
  const head = wordItems(value)[0];
  if (head === undefined) return false;
  if ('char' in head) return head.char === '/' || head.char === '~';
  return isOutsideParameter(head.piece, state);
}

function emptyWord(): Word {
  return { start: 0, end: 0, pieces: [] };
}

function wordItems(word: Word): WordItem[] {
  const items: WordItem[] = [];
  for (const piece of word.pieces) {
    if (piece.type === 'text') {
      const { source, runs } = piece;
      for (let i = 0; i < runs.length; i += 2) {
        for (let offset = runs[i]; offset < runs[i + 1]; offset++) items.push({ char: source[offset], offset });
      }
    } else {
      items.push({ piece });
    }
  }
  return items;
}

/** Splits sentence items into words at blanks, quotes, backticks and punctuation that cannot end a path. */
function freeTextWords(items: WordItem[]): WordItem[][] {
  const words: WordItem[][] = [];
  let current: WordItem[] = [];
  const flush = (): void => {
    while (current.length > 0 && /^[(]$/.test(charOf(current[0]))) current.shift();
    while (current.length > 0 && /^[.,;:!?)]$/.test(charOf(current[current.length - 1])) && !current.every((item) => charOf(item) === '.')) {
      current.pop();
    }
    if (current.length > 0) words.push(current);
    current = [];
  };
  for (const item of items) {
    if (/^[\s"'`=,;<>|&(){}[\]]$/.test(charOf(item))) flush();
    else current.push(item);
  }
  flush();
  return words;
}

function charOf(item: WordItem): string {
  return 'char' in item ? item.char : '';
}

function itemStart(item: WordItem): number {
  return 'char' in item ? item.offset : item.piece.start;
}

function itemEnd(item: WordItem): number {
  return 'char' in item ? item.offset + 1 : item.piece.end;
}

function isChar(item: WordItem, char: string): boolean {
  return 'char' in item && item.char === char;
}

/** The variable a word assigns (`NAME=…`, `NAME+=…`), or undefined. */
function assignmentName(word: Word): string | undefined {
  const head = word.pieces[0];
  if (head?.type !== 'text') return undefined;
  const match = /^([A-Za-z_][A-Za-z0-9_]*)\+?=/.exec(pieceText(head));
  return match?.[1];
}

/**
 * The part of a word after its first `skip` literal characters (`--path=` of `--path=./x`). With `key`, a further
 * `key=` prefix inside the value is dropped too (`--from-file=key=path`).
 */
function sliceWord(word: Word, skip: number, prefix: 'key' | 'none'): Word {
  const source = sourceOf(word);
  const items = wordItems(word).slice(skip);
  let from = 0;
  if (prefix === 'key') {
    const equals = items.findIndex((item) => isChar(item, '='));
    if (equals >= 0 && items.slice(0, equals).every((item) => 'char' in item)) from = equals + 1;
  }
  const kept = items.slice(from);
  const pieces: Piece[] = [];
  for (const item of kept) {
    if ('char' in item) addChar(pieces, source, item.offset);
    else pieces.push(item.piece);
  }
  return { start: kept.length > 0 ? itemStart(kept[0]) : word.end, end: word.end, pieces };
}

/**
 * The comma-separated parts of a setting's value, each without a `name=` of its own: a list of paths
 * (`SRC_DIRS="./a/bases,./b/manifests.yaml"`) or further settings (controller-gen
 * `schemapatch:manifests=config/core/300-resources,generateEmbeddedObjectMeta=true`). A value with no comma is whole.
 */
function settingValues(word: Word): Word[] {
  const items = wordItems(word);
  if (!items.some((item) => isChar(item, ','))) return [word];
  const source = sourceOf(word);
  const values: Word[] = [];
  let from = 0;
  for (let i = 0; i <= items.length; i++) {
    if (i < items.length && !isChar(items[i], ',')) continue;
    let part = items.slice(from, i);
    const text = part.map((item) => ('char' in item ? item.char : '\0')).join('');
    const name = /^[A-Za-z][\w.-]*=/.exec(text);
    if (name && from > 0) part = part.slice(name[0].length);
    if (part.length > 0) {
      const pieces: Piece[] = [];
      for (const item of part) {
        if ('char' in item) addChar(pieces, source, item.offset);
        else pieces.push(item.piece);
      }
      values.push({ start: itemStart(part[0]), end: itemEnd(part[part.length - 1]), pieces });
    }
    from = i + 1;
  }
  return values;
}

/** The text a word's literal characters were parsed from ('' for a word of expansions only, which has none). */
function sourceOf(word: Word): string {
  for (const piece of word.pieces) if (piece.type === 'text') return piece.source;
  return '';
}

/**
 * The literal path at the start of a search pattern anchored with `^` (`grep '^infrastructure/signoz/dashboards/'`):
 * such patterns filter file lists (`git diff --name-only`, `find`), so the prefix names a workspace path that a move
 * must rewrite. The path ends at the first regular-expression operator.
 */
function anchoredPatternPath(word: Word): Word | undefined {
  if (!literalOf(word)?.startsWith('^')) return undefined;
  const source = sourceOf(word);
  const items = wordItems(sliceWord(word, 1, 'none'));
  const stop = items.findIndex((item) => 'char' in item && /[*+?[\](){}|\\$]/.test(item.char));
  const kept = stop < 0 ? items : items.slice(0, stop);
  if (kept.length === 0) return undefined;
  const pieces: Piece[] = [];
  for (const item of kept) {
    if ('char' in item) addChar(pieces, source, item.offset);
    else pieces.push(item.piece);
  }
  const last = kept[kept.length - 1];
  return { start: itemStart(kept[0]), end: itemEnd(last), pieces };
}

/** A word that looks like a path on its own: it has a `/`, or a file name with an extension. */
export function isPathLike(text: string): boolean {
  if (text.includes('/')) return true;
  return /^[A-Za-z0-9_.-]*[A-Za-z0-9_-]\.[A-Za-z0-9]{1,12}$/.test(text);
}

/** A path made only of `.` and `..` (`../..`): it names a depth, not a file or folder of its own. */
/**
 * A command argument written as a file below two or more folders (`./config/overlays/dev/image_patch.yaml`) names a
 * file even when it is not there (generated, gitignored: `sed -i … x`, `grep … x`): like a written file, it is an
 * `output` reference when its folder exists, so a move of that folder rewrites it.
 */
function isDeepFilePath(path: string): boolean {
  const parts = path.replace(/^(\.\/)+/, '').split('/');
  return parts.length >= 3 && parts.every((part) => part !== '' && part !== '.' && part !== '..') && /^[^.]+.*\.[A-Za-z][A-Za-z0-9]*$/.test(parts[parts.length - 1]);
}

function isDepthOnly(path: string): boolean {
  return /^\.{0,2}(?:\/\.{0,2})*$/.test(path);
}
