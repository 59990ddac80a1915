import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { LineIndex } from '../core/text';
import type { FileSource, Move, MovePlan, TextEdit } from '../core/types';
import type { WorkspaceModel } from './workspaceModel';

/** `relayout.preview`: which moves open the Refactor Preview before anything changes. */
export type PreviewMode = 'always' | 'probable' | 'never';

const previewModes: readonly PreviewMode[] = ['always', 'probable', 'never'];

/** `relayout.preview` for the workspace folder of `scope` (`probable` when unset or unknown). */
export function configuredPreviewMode(scope: vscode.Uri): PreviewMode {
  const configured = vscode.workspace.getConfiguration('relayout', scope).get<string>('preview');
  return previewModes.find((mode) => mode === configured) ?? 'probable';
}

export interface TranslateOptions {
  /** Include the file renames (false for a rename participant: VS Code performs the rename itself). */
  renames: boolean;
  preview: PreviewMode;
}

const PROBABLE_LABEL = 'Probable reference (found in free text)';
const EXACT_LABEL = 'Reference';
const RENAME_LABEL = 'Move';
const CREATE_LABEL = 'New kustomization (keeps kustomize\'s load restrictor satisfied)';

/**
 * Turns an engine plan into one `WorkspaceEdit`, so the whole move is one undo step. VS Code applies an edit run by
 * run (consecutive text edits, consecutive file operations) and checks a run of text edits only when it reaches it:
 * a document that changed since the plan was read, or a file that cannot be opened, stops the edit there, and the
 * runs before it stay applied. So the text edits of files that stay where they are come first, then the renames
 * (as given: a folder that moves whole may be one rename), then the created files, then the text edits of moved
 * files, addressed to where the renames put them (a file just renamed has no open document to be stale): VS Code
 * refuses the stale edit before anything moves. Every edited file is addressed where it ends up, so VS Code's save
 * after a refactoring (`files.refactoring.autoSave`) finds it, also one inside a renamed folder. Probable edits are
 * marked `needsConfirmation` (they show, unchecked-able, in the Refactor Preview); with preview `always` every change
 * is.
 */
export function toWorkspaceEdit(plan: MovePlan, model: WorkspaceModel, source: FileSource, options: TranslateOptions): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  const confirmAll = options.preview === 'always';
  const confirmProbable = options.preview !== 'never';
  const metadata = (label: string, needsConfirmation: boolean): vscode.WorkspaceEditEntryMetadata => ({
    label,
    needsConfirmation,
  });
  const renames = options.renames ? plan.renames : [];

  const byFile = new Map<string, TextEdit[]>();
  for (const textEdit of plan.edits) {
    const list = byFile.get(textEdit.file);
    if (list) list.push(textEdit);
    else byFile.set(textEdit.file, [textEdit]);
  }
  const staying = [...byFile].filter(([file]) => pathAfter(file, renames) === file);
  const moving = [...byFile].filter(([file]) => pathAfter(file, renames) !== file);
  const addTextEdits = ([file, edits]: [string, TextEdit[]]) => {
    const read = source.readText(file);
    if (!read.ok) throw new Error(`${file}: ${read.message}`);
    const positions = new PositionMapper(read.text);
    const uri = model.uriOf(pathAfter(file, renames));
    for (const textEdit of edits) {
      const probable = textEdit.confidence === 'probable';
      const range = new vscode.Range(positions.at(textEdit.start), positions.at(textEdit.end));
      edit.replace(
        uri,
        range,
        textEdit.newText,
        metadata(probable ? PROBABLE_LABEL : EXACT_LABEL, confirmAll || (probable && confirmProbable)),
      );
    }
  };

  staying.forEach(addTextEdits);
  for (const rename of renames) {
    edit.renameFile(model.uriOf(rename.from), model.uriOf(rename.to), { overwrite: false }, metadata(RENAME_LABEL, confirmAll));
  }
  for (const create of plan.creates) {
    edit.createFile(model.uriOf(create.path), {
      ignoreIfExists: false,
      contents: Buffer.from(create.content, 'utf8'),
    }, metadata(CREATE_LABEL, confirmAll));
  }
  moving.forEach(addTextEdits);
  return edit;
}

/** Where `renames` (files, or folders carrying what is below them) put `path`. */
export function pathAfter(path: string, renames: readonly Move[]): string {
  for (const rename of renames) {
    if (path === rename.from) return rename.to;
    if (path.startsWith(`${rename.from}/`)) return rename.to + path.slice(rename.from.length);
  }
  return path;
}

/** True when applying the edit will show the Refactor Preview first. */
export function needsPreview(plan: MovePlan, preview: PreviewMode): boolean {
  if (preview === 'always') return true;
  if (preview === 'never') return false;
  return plan.edits.some((textEdit) => textEdit.confidence === 'probable');
}

/**
 * Engine offsets index the text as read from disk, where a UTF-8 BOM is kept as U+FEFF; VS Code's documents drop
 * the BOM, so the first line's columns shift by one.
 */
export class PositionMapper {
  private readonly lines: LineIndex;
  private readonly bom: boolean;

  constructor(text: string) {
    this.lines = new LineIndex(text);
    this.bom = text.charCodeAt(0) === 0xfeff;
  }

  at(offset: number): vscode.Position {
    const { line, column } = this.lines.position(offset);
    const character = column - 1 - (this.bom && line === 1 ? 1 : 0);
    return new vscode.Position(line - 1, Math.max(0, character));
  }

  /** The position of a 1-based line and column as the engine counts them (a Problem's). */
  atLineColumn(line: number, column: number): vscode.Position {
    return this.at(this.lines.lineStart(line) + column - 1);
  }

  /** The end of the line `position` is on (before its line break). */
  lineEnd(position: vscode.Position): vscode.Position {
    const text = this.lines.source;
    const start = this.lines.lineStart(position.line + 1);
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline > start && text[newline - 1] === '\r' ? newline - 1 : newline;
    return this.at(end);
  }
}

/** The files a plan edits or moves, where they are before it: the documents that must be up to date for it. */
export function touchedBy(plan: MovePlan, model: WorkspaceModel): vscode.Uri[] {
  const paths = new Set([...plan.edits.map((textEdit) => textEdit.file), ...plan.renames.map((rename) => rename.from)]);
  return [...paths].map((path) => model.uriOf(path));
}

/** Waits (a few seconds at most) until every open document among `uris` that has no unsaved changes shows its file's text on disk. */
export async function documentsCaughtUp(uris: readonly vscode.Uri[]): Promise<void> {
  const keys = new Set(uris.map((uri) => uri.toString()));
  const stale = () =>
    vscode.workspace.textDocuments.filter((document) => {
      if (document.isDirty || !keys.has(document.uri.toString())) return false;
      let disk: string;
      try {
        disk = readFileSync(document.uri.fsPath, 'utf8');
      } catch {
        return false;
      }
      return document.getText() !== (disk.charCodeAt(0) === 0xfeff ? disk.slice(1) : disk);
    });
  const deadline = Date.now() + CATCH_UP_MS;
  while (stale().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}

/** How long documents get to reload files changed on disk; after that VS Code says whether it takes the edit. */
const CATCH_UP_MS = 5_000;
