/**
 * Contracts shared by every part of the engine. Everything here is plain data: the engine never imports `vscode`.
 *
 * Paths are workspace-relative with POSIX separators and no leading `./`; `''` is the workspace root.
 * Offsets are JavaScript string indices into the text returned by `FileSource.readText` (a BOM is kept there as
 * U+FEFF at index 0, CRLF line endings are kept), so `text.slice(start, end)` is exactly the referenced characters.
 */

/** Why a file's text could not be read. */
export type ReadFailure = 'missing' | 'directory' | 'binary' | 'not-utf8' | 'unreadable';

export type ReadResult = { ok: true; text: string } | { ok: false; reason: ReadFailure; message: string };

export type EntryType = 'file' | 'directory' | 'symlink';

/** A symlink inside the workspace: where it points, as written, and what that resolves to. */
export interface SymlinkInfo {
  /** The link's own text (`readlink`). */
  linkText: string;
  /** Workspace-relative target, or undefined when it points outside the workspace. */
  target: string | undefined;
}

/**
 * How the engine reads a workspace. The CLI reads the disk; the editor overlays unsaved buffers; tests use memory.
 * Implementations must never follow a symlink out of the workspace.
 */
export interface FileSource {
  /** Every file below the root (symlinks included, directories not), ignoring excluded paths; sorted. */
  listFiles(): string[];
  /** The type of an entry, or undefined when nothing is there. Does not follow symlinks. */
  stat(path: string): EntryType | undefined;
  /** The decoded text of a file (UTF-8; a BOM is kept as U+FEFF). */
  readText(path: string): ReadResult;
  /** Where a symlink points; undefined when `path` is not a symlink. */
  readSymlink(path: string): SymlinkInfo | undefined;
  /**
   * Why `path` (which need not exist) is left out of the workspace: the `.gitignore` line or exclude pattern that
   * ignores it or a folder above it; undefined when nothing does. Absent for a source that applies no such rules.
   */
  ignoredBy?(path: string): IgnoreReason | undefined;
}

/** The rule that leaves a path out of the workspace. */
export interface IgnoreReason {
  /** The `.gitignore` holding the rule (a workspace path), or `relayout.exclude` for the plan's exclude patterns. */
  file: string;
  /** 1-based line of the rule in `file`; absent for an exclude pattern. */
  line?: number;
  pattern: string;
}

/** What a file is, as far as references go. */
export type FileKind =
  | 'kustomization'
  | 'kubernetes'
  | 'flux'
  | 'argocd'
  | 'tekton'
  | 'helm-chart'
  | 'helm-values'
  | 'skaffold'
  | 'compose'
  | 'github-workflow'
  | 'gitlab-ci'
  | 'yaml'
  | 'shell'
  | 'makefile'
  | 'dockerfile'
  | 'terraform'
  | 'tiltfile'
  | 'markdown'
  | 'dashboard'
  | 'json'
  | 'certificate'
  | 'private-key'
  | 'csr'
  | 'cert-config'
  | 'symlink'
  | 'binary'
  | 'other';

/** `exact`: a structured field (a kustomization entry). `probable`: a path found in free text (a script, prose). */
export type Confidence = 'exact' | 'probable';

/**
 * How a reference's base follows its referrer when the referrer moves.
 * - `referrer`: the base is fixed relative to the referring file's folder (kustomize, Markdown, `$SCRIPT_DIR/…`).
 * - `fixed`: the base is a workspace folder of its own (the root for Flux paths; a `cd` target); it moves only if that
 *   folder itself is moved.
 */
export type BaseRule = 'referrer' | 'fixed';

/** One path written in one file that names a file or folder of the workspace. */
export interface Reference {
  /** The referring file. */
  from: string;
  /** Range of the path characters only (no quotes, no `key=` prefix, no `#fragment`). */
  start: number;
  end: number;
  /** 1-based line and column of `start`. */
  line: number;
  column: number;
  /** Exactly `text.slice(start, end)` of the referring file. */
  text: string;
  /** Dotted kind, e.g. `kustomize.resources`, `flux.path`, `shell.path`, `markdown.link`. */
  kind: string;
  /** The folder `text` resolves against. */
  base: string;
  baseRule: BaseRule;
  /** The resolved workspace path (normalized; may not exist: a broken reference). */
  target: string;
  confidence: Confidence;
  /** When true, `text` is a glob whose static folder prefix is `target`. */
  glob?: boolean;
  /**
   * For kustomize generator `files:` entries written without a key: the key kustomize derives from the file name.
   * A move that changes the file name must write `key=newpath` to keep the rendered object unchanged.
   */
  generatorKey?: string;
  /**
   * True when paths written after this one in the same file resolve in the folder it names: a `cd` operand, a
   * variable's value (`K8S_DIR := infrastructure/k8s`, `DIR=…`). The planner moves such a folder with the paths
   * resolved in it when the batch empties it.
   */
  namesBase?: true;
  /**
   * True when the path names a file a command writes (`> out/x.yaml`, `tee out/x.yaml`) that does not exist yet: the
   * reference resolves when its target's folder exists.
   */
  output?: true;
}

/** A path a move may affect but that cannot be rewritten statically (variables, templates, globs). */
export interface ReviewItem {
  file: string;
  start: number;
  end: number;
  line: number;
  column: number;
  text: string;
  kind: string;
  reason: string;
  /** The workspace folder or file the static part of the path names, when known. */
  target?: string;
}

/** Bad input found while reading a file (invalid YAML, undecodable text). */
export interface Problem {
  file: string;
  line: number;
  column: number;
  message: string;
  severity: 'error' | 'warning';
}

/** What one extractor found in one file. */
export interface Extraction {
  refs: Reference[];
  review: ReviewItem[];
  problems: Problem[];
}

/** What extractors may ask about the workspace (to keep only free-text paths that name something real). */
export interface WorkspaceView {
  stat(path: string): EntryType | undefined;
}

export interface ExtractInput {
  path: string;
  text: string;
  kind: FileKind;
}

export type Extractor = (input: ExtractInput, workspace: WorkspaceView) => Extraction;

/** One requested move: a file or a folder (which moves whole). */
export interface Move {
  from: string;
  to: string;
}

/** One splice in one file. `file` is the path before the batch; offsets are into its text before the batch. */
export interface TextEdit {
  file: string;
  start: number;
  end: number;
  line: number;
  oldText: string;
  newText: string;
  kind: string;
  confidence: Confidence;
}

export interface FileCreate {
  /** Path after the batch. */
  path: string;
  content: string;
  reason: string;
}

export interface Conflict {
  /** The path the conflict is about, and the line when it is about a reference. */
  path: string;
  line?: number;
  reason: string;
}

/** A planned batch: nothing is written until it is applied, and never when `conflicts` is not empty. */
export interface MovePlan {
  moves: Move[];
  /** Every file rename the batch implies (folder moves expanded), before → after. */
  renames: Move[];
  edits: TextEdit[];
  creates: FileCreate[];
  /** Symlinks to re-point: the link (path after the batch) and its new link text. */
  relinks: { path: string; linkText: string }[];
  conflicts: Conflict[];
  review: ReviewItem[];
  problems: Problem[];
}

/** The reference index as the planner, verify and the editor read it. */
export interface ReferenceGraph {
  /** Every indexed file (sorted). */
  files(): readonly string[];
  kindOf(path: string): FileKind | undefined;
  /** References written in `file`. */
  refsFrom(file: string): readonly Reference[];
  /** References whose target is `path` or, when `path` is a folder, lies below it. */
  refsInto(path: string): readonly Reference[];
  allRefs(): Iterable<Reference>;
  review(): readonly ReviewItem[];
  problems(): readonly Problem[];
}
