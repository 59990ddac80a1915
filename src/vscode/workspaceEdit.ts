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
 * Turns an engine plan into one `WorkspaceEdit`, so the whole move is one undo step: the renames first (as given: a
 * folder that moves whole may be one rename), then the created files, then the text edits, each addressed to where
 * the renames put its file — so VS Code's save after a refactoring (`files.refactoring.autoSave`) finds every edited
 * file, also one inside a renamed folder. Probable edits are marked
 * `needsConfirmation` (they show, unchecked-able, in the Refactor Preview); with preview `always` every change is.
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
  for (const rename of renames) {
    edit.renameFile(model.uriOf(rename.from), model.uriOf(rename.to), { overwrite: false }, metadata(RENAME_LABEL, confirmAll));
  }
  for (const create of plan.creates) {
    edit.createFile(model.uriOf(create.path), {
      ignoreIfExists: false,
      contents: Buffer.from(create.content, 'utf8'),
    }, metadata(CREATE_LABEL, confirmAll));
  }

  const byFile = new Map<string, TextEdit[]>();
  for (const textEdit of plan.edits) {
    const list = byFile.get(textEdit.file);
    if (list) list.push(textEdit);
    else byFile.set(textEdit.file, [textEdit]);
  }
  for (const [file, edits] of byFile) {
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
  }
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
