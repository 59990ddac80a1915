import * as vscode from 'vscode';
import { basename, dirname, isInside, join, normalize } from '../core/paths';
import type { Move } from '../core/types';
import type { MoveOutcome, MoveService } from './moveService';
import { layoutTreeOf } from './proposedLayoutView';
import type { WorkspaceModel } from './workspaceModel';

/** Context key: the file-system paths of everything with a pending proposed move (`resourcePath in …` in menus). */
const movablePathsContextKey = 'relayout.movablePaths';

export interface ExplorerDeps {
  model: WorkspaceModel;
}

/**
 * Keeps the Explorer in step with the plan: the context key that shows "Move to Proposed Location" only where a
 * destination exists, and a badge on every file and folder with a pending proposed move.
 */
export function registerExplorer({ model }: ExplorerDeps): vscode.Disposable {
  const decorations = new ProposedMoveDecorations(model);
  const publish = () => {
    const destinations = proposedDestinations(model);
    void vscode.commands.executeCommand(
      'setContext',
      movablePathsContextKey,
      [...destinations.keys()].map((path) => model.uriOf(path).fsPath),
    );
    decorations.update(destinations);
  };
  publish();
  return vscode.Disposable.from(
    decorations,
    vscode.window.registerFileDecorationProvider(decorations),
    model.onDidChange(publish),
  );
}

function proposedDestinations(model: WorkspaceModel): ReadonlyMap<string, string> {
  return layoutTreeOf(model.snapshot())?.destinations ?? new Map();
}

class ProposedMoveDecorations implements vscode.FileDecorationProvider, vscode.Disposable {
  private destinations: ReadonlyMap<string, string> = new Map();
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri[]>();
  readonly onDidChangeFileDecorations = this.changeEmitter.event;

  constructor(private readonly model: WorkspaceModel) {}

  /** Re-announces only the paths whose decoration changed, so a big workspace is not redrawn on each keystroke. */
  update(destinations: ReadonlyMap<string, string>): void {
    const changed = new Set<string>();
    for (const [path, to] of destinations) if (this.destinations.get(path) !== to) changed.add(path);
    for (const path of this.destinations.keys()) if (!destinations.has(path)) changed.add(path);
    this.destinations = destinations;
    if (changed.size > 0) this.changeEmitter.fire([...changed].map((path) => this.model.uriOf(path)));
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    const path = this.model.relativePath(uri);
    const destination = path === undefined ? undefined : this.destinations.get(path);
    if (destination === undefined) return undefined;
    return new vscode.FileDecoration('→', `Relayout: proposed move to ${destination}`);
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }
}

/**
 * The proposed moves of the given workspace paths. A path with no proposed destination is reported and left out;
 * undefined when none has one.
 */
export function proposedMovesOf(model: WorkspaceModel, paths: readonly string[]): Move[] | undefined {
  const destinations = proposedDestinations(model);
  const moves: Move[] = [];
  const without: string[] = [];
  for (const path of paths) {
    const to = destinations.get(path);
    if (to === undefined) without.push(path);
    else moves.push({ from: path, to });
  }
  if (without.length > 0) {
    void vscode.window.showWarningMessage(`Relayout: the plan proposes no new place for ${without.join(', ')}.`);
  }
  return moves.length > 0 ? moves : undefined;
}

/**
 * The workspace paths a command was invoked on: the Explorer passes (clicked uri, selected uris), a tree item or a
 * code action passes one uri, the palette passes nothing (then the active editor's file).
 */
export function selectedPaths(model: WorkspaceModel, clicked: unknown, selected: unknown): string[] {
  const uris = Array.isArray(selected) && selected.every((entry) => entry instanceof vscode.Uri) && selected.length > 0
    ? selected
    : clicked instanceof vscode.Uri
      ? [clicked]
      : vscode.window.activeTextEditor
        ? [vscode.window.activeTextEditor.document.uri]
        : [];
  return uris.map((uri) => model.relativePath(uri)).filter((path): path is string => path !== undefined && path !== '');
}

/**
 * "Move with References…": a destination the user types, with the workspace's folders offered as they type. An
 * existing folder (or a path ending in `/`, or any destination for several sources) receives the sources; otherwise
 * the typed path is the new path of the one source.
 */
export async function moveWithReferences(model: WorkspaceModel, moves: MoveService, paths: readonly string[]): Promise<MoveOutcome | undefined> {
  if (paths.length === 0) {
    void vscode.window.showInformationMessage('Relayout: select a file or folder to move.');
    return undefined;
  }
  const snapshot = model.flush();
  const folders = foldersOf(snapshot.graph.files());
  const typed = await pickDestination(folders, paths);
  if (typed === undefined) return undefined;
  const destination = normalize(typed.trim().replace(/^\.?\/+/, ''));
  const into = typed.trim().endsWith('/') || folders.has(destination) || destination === '' || paths.length > 1;
  const batch: Move[] = paths.map((path) => ({ from: path, to: into ? join(destination, basename(path)) : destination }));
  return moves.move(batch);
}

function pickDestination(folders: ReadonlySet<string>, paths: readonly string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<vscode.QuickPickItem>();
    pick.title = paths.length === 1 ? `Move ${paths[0]} with references` : `Move ${paths.length} items with references`;
    pick.placeholder = 'Folder to move into, or a new path (a trailing / means a folder)';
    pick.items = [...folders].sort().map((folder) => ({ label: folder === '' ? '/' : `${folder}/`, description: folder === '' ? 'workspace root' : undefined }));
    pick.value = paths.length === 1 ? dirname(paths[0]!) : '';
    pick.matchOnDescription = false;
    let settled = false;
    const finish = (value: string | undefined) => {
      if (settled) return;
      settled = true;
      resolve(value);
      pick.dispose();
    };
    pick.onDidAccept(() => {
      const [chosen] = pick.selectedItems;
      // A highlighted folder wins only when it extends what was typed; otherwise the typed text is the destination.
      const label = chosen && chosen.label.startsWith(pick.value) ? chosen.label : pick.value;
      finish(label === '/' ? '' : label);
    });
    pick.onDidHide(() => finish(undefined));
    pick.show();
  });
}

function foldersOf(files: readonly string[]): Set<string> {
  const folders = new Set<string>(['']);
  for (const file of files) {
    for (let folder = dirname(file); folder !== '' && !folders.has(folder); folder = dirname(folder)) folders.add(folder);
  }
  return folders;
}

/**
 * Where a path is referenced from: through VS Code's reference providers when one knows the file (Relayout's own
 * or another extension's), else a quick pick of the reference index's entries; picking one opens it there.
 */
export async function showReferences(model: WorkspaceModel, path: string): Promise<void> {
  const uri = model.uriOf(path);
  const snapshot = model.flush();
  const references = snapshot.graph.refsInto(path);
  const provided = await vscode.commands
    .executeCommand<vscode.Location[] | undefined>('vscode.executeReferenceProvider', uri, new vscode.Position(0, 0))
    .then((locations) => locations ?? [], () => []);
  if (provided.length > 0) {
    await vscode.commands.executeCommand('editor.action.showReferences', uri, new vscode.Position(0, 0), provided);
    return;
  }
  if (references.length === 0) {
    void vscode.window.showInformationMessage(`Relayout: nothing in the workspace references ${path}.`);
    return;
  }
  const items = references.map((reference) => ({
    label: `${reference.from}:${reference.line}`,
    description: reference.text,
    detail: `${reference.kind}${reference.confidence === 'probable' ? ' (probable)' : ''}${isInside(reference.target, path) && reference.target !== path ? ` → ${reference.target}` : ''}`,
    reference,
  }));
  const picked = await vscode.window.showQuickPick(items, { title: `References to ${path}`, matchOnDescription: true });
  if (!picked) return;
  // Engine offsets count a BOM as one character; a document drops it.
  const read = snapshot.source.readText(picked.reference.from);
  const shift = read.ok && read.text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const document = await vscode.workspace.openTextDocument(model.uriOf(picked.reference.from));
  const start = document.positionAt(picked.reference.start - shift);
  const end = document.positionAt(picked.reference.end - shift);
  await vscode.window.showTextDocument(document, { selection: new vscode.Range(start, end) });
}
