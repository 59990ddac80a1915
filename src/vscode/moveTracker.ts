import { readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as nodePath from 'node:path';
import * as vscode from 'vscode';
import { appliesInEffect } from '../core/apply/history';
import { contentFingerprint, HISTORY_FOLDER, JOURNAL_FILE, readJournalFile, type Journal } from '../core/apply/journal';
import { coalesceFolderMoves, pairSightings, type Sighting } from '../core/moves/detect';
import { basename, isInside, movePath } from '../core/paths';
import type { Move } from '../core/types';
import type { WorkspaceModel, WorkspaceSnapshot } from './workspaceModel';

/**
 * How long a deleted file waits for its content to appear elsewhere (and the other way round): a terminal `mv` or
 * `git mv` reaches the watcher as a delete and a create, usually in one batch, at most about a second apart.
 */
const PAIRING_WINDOW_MS = 1_500;
/**
 * How long a rename done through VS Code, or an apply or rollback the engine recorded (a step, `relayout apply`,
 * `relayout rollback`), explains the watcher events it causes.
 */
const EDITOR_RENAME_WINDOW_MS = 10_000;
/**
 * How long pairing waits after the watcher's events: VS Code reports its own renames (`onDidRenameFiles`) about when
 * the watcher does, and those must not be taken for moves made outside it.
 */
const PAIRING_DELAY_MS = 300;
/** Files read at a time while fingerprinting the workspace at startup, so the extension host stays responsive. */
const FINGERPRINT_BATCH = 64;

interface TimedSighting extends Sighting {
  at: number;
}

/**
 * Where files went. It keeps a content fingerprint of every indexed file, so that when the watcher sees a file
 * disappear and the same content appear elsewhere (a move made outside the editor) it can say so
 * (`onDidDetectMoves`), and so that a reference to a missing file can be pointed at the file with the same name and
 * content. It also records the moves it saw: renames done in VS Code, moves detected outside it, and the applies in
 * effect (their journals). Relayout's own moves are never taken for moves made outside it: renames done through VS
 * Code (announced before they happen), and the applies and rollbacks the engine journals (an apply under way, and
 * those filed in the history a moment ago: every move step, editor-applied or not, and every rollback).
 */
export class MoveTracker implements vscode.Disposable {
  /** Path → fingerprint of the files that exist. */
  private readonly fingerprints = new Map<string, string>();
  /** Path → fingerprint of files that existed while the editor watched and are gone. */
  private readonly gone = new Map<string, string>();
  /** Moves seen in this session, oldest first. */
  private readonly seen: Move[] = [];
  private deletions: TimedSighting[] = [];
  private creations: TimedSighting[] = [];
  private editorRenames: (Move & { at: number })[] = [];
  private history: { mtimeMs: number; renames: Move[] } | undefined;
  private pairingTimer: NodeJS.Timeout | undefined;
  private readonly detectEmitter = new vscode.EventEmitter<Move[]>();
  private readonly subscriptions: vscode.Disposable[] = [this.detectEmitter];

  /** Moves made outside the editor, each a file or a whole folder (`from` is gone, `to` holds its content). */
  readonly onDidDetectMoves = this.detectEmitter.event;
  /** Settles once every file present at startup has its fingerprint. */
  readonly ready: Promise<void>;

  constructor(private readonly model: WorkspaceModel) {
    this.subscriptions.push(
      model.onDidChange((snapshot) => this.take(snapshot)),
      // Announced before the files move, so that a long WorkspaceEdit (a move step) cannot outrun the pairing.
      vscode.workspace.onWillRenameFiles((event) => this.explainRenames(event.files)),
      vscode.workspace.onDidRenameFiles((event) => {
        for (const file of event.files) {
          const from = model.relativePath(file.oldUri);
          const to = model.relativePath(file.newUri);
          if (from && to) this.seen.push({ from, to });
        }
        this.explainRenames(event.files);
      }),
    );
    this.ready = this.fingerprintAll(model.snapshot().graph.files());
  }

  /**
   * Where a missing path's file or folder is now, when Relayout can tell: by the recorded moves (followed from one
   * to the next), or else the one file elsewhere with the same name and the content the missing file last had.
   */
  currentLocation(missing: string, snapshot: WorkspaceSnapshot): string | undefined {
    let path = missing;
    // Oldest first, so that a → b then b → c leads to c.
    for (const move of [...this.appliedRenames(), ...this.seen]) path = movePath(path, move.from, move.to) ?? path;
    if (path !== missing && snapshot.source.stat(path) !== undefined) return path;
    const fingerprint = this.gone.get(missing);
    if (fingerprint === undefined) return undefined;
    const name = basename(missing);
    const matches = [...this.fingerprints].filter(([candidate, print]) => print === fingerprint && basename(candidate) === name);
    return matches.length === 1 ? matches[0]![0] : undefined;
  }

  /** Renames done through VS Code (Relayout's moves among them) explain the watcher events they cause. */
  private explainRenames(files: readonly { oldUri: vscode.Uri; newUri: vscode.Uri }[]): void {
    for (const file of files) {
      const from = this.model.relativePath(file.oldUri);
      const to = this.model.relativePath(file.newUri);
      if (from && to) this.editorRenames.push({ from, to, at: Date.now() });
    }
  }

  dispose(): void {
    if (this.pairingTimer) clearTimeout(this.pairingTimer);
    vscode.Disposable.from(...this.subscriptions).dispose();
  }

  /** Reads every file in batches; `refresh` replaces what is recorded (after a rebuild), otherwise it is kept. */
  private async fingerprintAll(files: readonly string[], refresh = false): Promise<void> {
    for (let i = 0; i < files.length; i += FINGERPRINT_BATCH) {
      await Promise.all(
        files.slice(i, i + FINGERPRINT_BATCH).map(async (file) => {
          try {
            const print = contentFingerprint(await readFile(this.absolute(file)));
            // A change seen by the watcher meanwhile has already recorded the newer content.
            if (refresh || !this.fingerprints.has(file)) this.fingerprints.set(file, print);
          } catch {
            // Gone since the listing: the watcher reports it.
          }
        }),
      );
    }
  }

  /** Brings the fingerprints up to date with the paths a snapshot took in, then pairs deletions with creations. */
  private take(snapshot: WorkspaceSnapshot): void {
    const now = Date.now();
    if (snapshot.changed === undefined) {
      // The whole workspace was re-read: what is gone is gone, the rest is read again (no move is guessed).
      for (const [file, print] of this.fingerprints) {
        if (snapshot.source.stat(file) === undefined) {
          this.fingerprints.delete(file);
          this.gone.set(file, print);
        }
      }
      void this.fingerprintAll(snapshot.graph.files(), true);
      return;
    }
    for (const path of snapshot.changed) {
      const type = snapshot.source.stat(path);
      if (type === 'directory') {
        for (const file of filesBelow(snapshot.graph.files(), path)) this.sawFile(file, now);
      } else if (type === undefined) {
        for (const [file, print] of [...this.fingerprints].filter(([file]) => isInside(file, path))) {
          this.fingerprints.delete(file);
          this.gone.set(file, print);
          this.deletions.push({ path: file, fingerprint: print, at: now });
        }
      } else {
        this.sawFile(path, now);
      }
    }
    if (this.pairingTimer) clearTimeout(this.pairingTimer);
    this.pairingTimer = setTimeout(() => this.pair(Date.now(), this.model.snapshot()), PAIRING_DELAY_MS);
  }

  private sawFile(file: string, now: number): void {
    let print: string;
    try {
      print = contentFingerprint(readFileSync(this.absolute(file)));
    } catch {
      return;
    }
    const known = this.fingerprints.has(file);
    this.fingerprints.set(file, print);
    this.gone.delete(file);
    if (!known) this.creations.push({ path: file, fingerprint: print, at: now });
  }

  /**
   * Pairs each recent deletion with the one recent creation of the same content (the same name preferred when
   * several have it), leaves out what renames done in VS Code explain, and reports the rest as moves, a whole folder
   * at once when everything it held moved the same way.
   */
  private pair(now: number, snapshot: WorkspaceSnapshot): void {
    this.deletions = this.deletions.filter((sighting) => now - sighting.at <= PAIRING_WINDOW_MS);
    this.creations = this.creations.filter((sighting) => now - sighting.at <= PAIRING_WINDOW_MS);
    this.editorRenames = this.editorRenames.filter((rename) => now - rename.at <= EDITOR_RENAME_WINDOW_MS);
    const relayout = this.recentlyJournaled(now);
    const explained = (path: string, side: 'from' | 'to') =>
      this.editorRenames.some((rename) => isInside(path, rename[side])) || relayout.some((rename) => isInside(path, rename[side]));
    this.deletions = this.deletions.filter((sighting) => !explained(sighting.path, 'from'));
    this.creations = this.creations.filter((sighting) => !explained(sighting.path, 'to'));

    const deleted = this.deletions.map((sighting) => sighting.path);
    const { pairs, deletions, creations } = pairSightings(this.deletions, this.creations);
    this.deletions = deletions;
    this.creations = creations;
    if (pairs.length === 0) return;
    const moves = coalesceFolderMoves(pairs, snapshot.graph, snapshot.source, deleted);
    this.seen.push(...moves);
    this.detectEmitter.fire(moves);
  }

  /** The renames of every apply in effect, oldest first, re-read when the journal history changes. */
  private appliedRenames(): Move[] {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(this.absolute(HISTORY_FOLDER)).mtimeMs;
    } catch {
      return [];
    }
    if (this.history?.mtimeMs !== mtimeMs) {
      this.history = { mtimeMs, renames: appliesInEffect(this.model.rootPath).flatMap((journal) => journal.renames) };
    }
    return this.history.renames;
  }

  /**
   * The renames of the apply or rollback under way and of those the history filed within the window, each both ways
   * (an apply moves files there, its rollback or a restore moves them back): the watcher events they explain.
   */
  private recentlyJournaled(now: number): Move[] {
    const journals: Journal[] = [];
    const pending = readJournalQuietly(this.absolute(JOURNAL_FILE));
    if (pending) journals.push(pending);
    let names: string[] = [];
    try {
      names = readdirSync(this.absolute(HISTORY_FOLDER));
    } catch {
      // No history yet.
    }
    for (const name of names) {
      const file = this.absolute(`${HISTORY_FOLDER}/${name}`);
      try {
        // The change time: a rollback or a restore renames an apply's file in the history.
        if (now - statSync(file).ctimeMs > EDITOR_RENAME_WINDOW_MS) continue;
      } catch {
        continue;
      }
      const journal = readJournalQuietly(file);
      if (journal) journals.push(journal);
    }
    return journals.flatMap((journal) => journal.renames.flatMap((rename) => [rename, { from: rename.to, to: rename.from }]));
  }

  private absolute(path: string): string {
    return nodePath.join(this.model.rootPath, ...path.split('/'));
  }
}

function filesBelow(files: readonly string[], folder: string): string[] {
  return files.filter((file) => isInside(file, folder));
}

/** A journal being replaced while it is read is no journal for this purpose. */
function readJournalQuietly(file: string): Journal | undefined {
  try {
    return readJournalFile(file);
  } catch {
    return undefined;
  }
}
