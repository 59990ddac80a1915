/**
 * Journaled apply of a move plan on disk, and its undo. The journal and its progress log make every state between
 * two steps recoverable: `recover` always returns the tree to exactly what it was before the apply.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { applyEditsToText } from '../moves/edits';
import { dirname, isInside } from '../paths';
import type { FileSource, Move, MovePlan } from '../types';
import {
  contentFingerprint,
  fingerprint,
  HISTORY_FOLDER,
  JOURNAL_FILE,
  LAST_APPLY_FILE,
  PROGRESS_FILE,
  ProgressLog,
  publishJsonExclusively,
  readJournalFile,
  readProgress,
  RELAYOUT_FOLDER,
  STAGING_FOLDER,
  syncFolder,
  writeDurable,
  writeJsonAtomically,
  type Journal,
  type JournalFile,
  type JournalGit,
  type JournalPhase,
  type JournalStep,
} from './journal';

export interface StepOptions {
  /**
   * Called after each step has changed the tree and before the step is recorded as done: the window in which a
   * crash leaves the most uncertainty. Tests use it to stop the process there.
   */
  afterStep?: (index: number, step: JournalStep) => void;
}

export interface RollbackOptions extends StepOptions {
  /** Roll back even though files the apply wrote were changed since (those changes are lost). */
  force?: boolean;
  /**
   * The completed apply to undo (a journal from the history), when it is not the last one: a phase runner undoing
   * its steps one by one, newest first. Its files must still be as it left them.
   */
  journal?: Journal;
}

export interface ApplyResult {
  /**
   * The completed journal, workspace-relative (under `.relayout/history/`); undefined when the plan changed nothing,
   * in which case nothing was written and the previous apply stays the one `rollback` undoes.
   */
  journal?: string;
  renamed: number;
  edited: number;
  created: number;
  relinked: number;
  /** Renames staged in git (0 outside a git repository or for untracked files). */
  gitStaged: number;
}

export interface PendingJournal {
  phase: JournalPhase;
  startedAt: string;
  steps: number;
  stepsDone: number;
}

export interface RecoverResult {
  /** False when there was nothing to recover. */
  recovered: boolean;
  /** What the interrupted run was doing. */
  phase?: JournalPhase;
  /** Steps undone (0 when the run had completed and only its bookkeeping was finished). */
  undone: number;
}

/**
 * Applies `plan` under `rootAbs` (the workspace root): edits, renames, created files and re-pointed symlinks, one
 * journaled operation. Refuses a plan with conflicts, an interrupted apply still pending, or a tree that changed
 * since planning (an edited file whose text differs from what `source` gave the planner). When a step fails the
 * steps already done are undone before the error is thrown.
 */
export function applyPlan(plan: MovePlan, rootAbs: string, source: FileSource, options: StepOptions = {}): ApplyResult {
  const root = nodePath.resolve(rootAbs);
  if (plan.conflicts.length > 0) {
    const reasons = plan.conflicts.map((conflict) => `  ${conflict.reason}`).join('\n');
    throw new Error(`The plan has ${plan.conflicts.length} conflict(s); nothing was written:\n${reasons}`);
  }
  if (pendingJournal(root)) throw new Error('An interrupted apply is pending; run recover first. Nothing was written.');
  const journal = buildJournal(plan, root, source);
  if (journal.steps.length === 0) return { renamed: 0, edited: 0, created: 0, relinked: 0, gitStaged: 0 };
  preflight(journal, root);

  fs.rmSync(absolute(root, PROGRESS_FILE), { force: true });
  publishJournal(root, journal);
  fs.mkdirSync(absolute(root, STAGING_FOLDER), { recursive: true });
  const log = new ProgressLog(absolute(root, PROGRESS_FILE));
  try {
    journal.steps.forEach((step, index) => {
      forward(root, journal, index, step);
      options.afterStep?.(index, step);
      log.record('do', index);
    });
    if (journal.git) stageRenames(journal.git, root);
  } catch (error) {
    log.close();
    const message = error instanceof Error ? error.message : String(error);
    try {
      recover(root);
    } catch (recoveryError) {
      const detail = recoveryError instanceof Error ? recoveryError.message : String(recoveryError);
      throw new Error(`Apply failed (${message}) and undoing it failed too (${detail}); run recover.`);
    }
    throw new Error(`Apply failed and was undone; the tree is as before: ${message}`);
  }
  log.close();
  const history = completeJournal(root, journal);
  return {
    journal: history,
    renamed: journal.renames.length,
    edited: journal.files.length,
    created: journal.creates.length,
    relinked: journal.relinks.length,
    gitStaged: journal.git?.staged.length ?? 0,
  };
}

/** The interrupted apply (or rollback) under `rootAbs`, if any. */
export function pendingJournal(rootAbs: string): PendingJournal | undefined {
  const root = nodePath.resolve(rootAbs);
  const journal = readJournalFile(absolute(root, JOURNAL_FILE));
  if (!journal) return undefined;
  const progress = readProgress(absolute(root, PROGRESS_FILE));
  return { phase: journal.phase, startedAt: journal.startedAt, steps: journal.steps.length, stepsDone: progress.done };
}

/**
 * Finishes an interrupted apply or rollback by returning the tree to exactly how it was before the apply (an apply
 * that had completed all its steps only gets its bookkeeping finished). Safe to run again if itself interrupted.
 */
export function recover(rootAbs: string, options: StepOptions = {}): RecoverResult {
  const root = nodePath.resolve(rootAbs);
  const journal = readJournalFile(absolute(root, JOURNAL_FILE));
  if (!journal) return { recovered: false, undone: 0 };
  if (journal.phase === 'completed') {
    completeJournal(root, journal);
    return { recovered: true, phase: journal.phase, undone: 0 };
  }
  const progress = readProgress(absolute(root, PROGRESS_FILE));
  const last = journal.steps.length - 1;
  const start =
    progress.lowestUndone !== undefined
      ? progress.lowestUndone - 1
      : journal.phase === 'rolling-back'
        ? last
        : Math.min(progress.done, last);
  const force = journal.forced === true;
  fs.mkdirSync(absolute(root, STAGING_FOLDER), { recursive: true });
  const log = new ProgressLog(absolute(root, PROGRESS_FILE));
  try {
    for (let index = start; index >= 0; index--) {
      backward(root, journal, index, journal.steps[index], force);
      options.afterStep?.(index, journal.steps[index]);
      log.record('undo', index);
    }
  } finally {
    log.close();
  }
  if (journal.git) restoreIndex(journal.git);
  fs.rmSync(absolute(root, STAGING_FOLDER), { recursive: true, force: true });
  if (journal.phase === 'rolling-back' && readJournalFile(absolute(root, LAST_APPLY_FILE))?.startedAt === journal.startedAt) {
    fs.rmSync(absolute(root, LAST_APPLY_FILE), { force: true });
  }
  archive(root, journal, journal.phase === 'rolling-back' ? 'rolled-back' : 'recovered');
  return { recovered: true, phase: journal.phase, undone: start + 1 };
}

/**
 * Undoes the last completed apply, byte for byte. Refuses, naming the files, when something the apply wrote has
 * changed since (unless `force`), and when an interrupted apply is pending.
 */
export function rollback(rootAbs: string, options: RollbackOptions = {}): RecoverResult {
  const root = nodePath.resolve(rootAbs);
  if (pendingJournal(root)) throw new Error('An interrupted apply is pending; run recover instead.');
  const last = options.journal ?? readJournalFile(absolute(root, LAST_APPLY_FILE));
  if (!last) throw new Error('There is no apply to roll back.');
  if (!options.force) {
    const changed = Object.entries(last.expectedAfter)
      .filter(([path, expected]) => fingerprint(absolute(root, path)) !== expected)
      .map(([path]) => path);
    if (changed.length > 0) {
      throw new Error(
        `Cannot roll back: changed since the apply: ${changed.join(', ')}. Nothing was changed; ` +
          'roll back with force to discard those changes.',
      );
    }
  }
  fs.rmSync(absolute(root, PROGRESS_FILE), { force: true });
  publishJournal(root, { ...last, phase: 'rolling-back', forced: options.force === true });
  return recover(root, options);
}

/** Writes the journal before anything else, refusing when another run got there first. */
export function publishJournal(root: string, journal: Journal): void {
  try {
    publishJsonExclusively(absolute(root, JOURNAL_FILE), journal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    throw new Error('Another apply or rollback is running or was interrupted (run recover if none is running). Nothing was written.');
  }
}

function buildJournal(plan: MovePlan, root: string, source: FileSource): Journal {
  const renameTargets = new Map(plan.renames.map((rename) => [rename.from, rename.to]));
  const renameSources = new Map(plan.renames.map((rename) => [rename.to, rename.from]));
  const files = editedFiles(plan, root, source, renameTargets);
  const creates = plan.creates.map((create) => ({ path: create.path, content: create.content }));
  const relinks = plan.relinks.map((relink) => {
    const before = renameSources.get(relink.path) ?? relink.path;
    return { path: relink.path, linkText: relink.linkText, previousText: fs.readlinkSync(absolute(root, before)) };
  });

  const steps = planSteps(root, plan, files.length, creates.map((create) => create.path), relinks.length);

  const expectedAfter: Record<string, string> = {};
  for (const rename of plan.renames) expectedAfter[rename.to] = fingerprint(absolute(root, rename.from));
  for (const file of files) expectedAfter[file.after] = contentFingerprint(Buffer.from(file.updated, 'base64'));
  for (const create of creates) expectedAfter[create.path] = contentFingerprint(create.content);
  for (const relink of relinks) expectedAfter[relink.path] = `symlink:${relink.linkText}`;

  return {
    version: 1,
    phase: 'started',
    startedAt: new Date().toISOString(),
    renames: plan.renames,
    files,
    creates,
    relinks,
    steps,
    expectedAfter,
    git: gitState(root, plan.renames, plan.moves),
  };
}

function editedFiles(plan: MovePlan, root: string, source: FileSource, renameTargets: Map<string, string>): JournalFile[] {
  const byFile = new Map<string, MovePlan['edits']>();
  for (const edit of plan.edits) {
    const edits = byFile.get(edit.file);
    if (edits) edits.push(edit);
    else byFile.set(edit.file, [edit]);
  }
  const files: JournalFile[] = [];
  for (const [path, edits] of byFile) {
    const target = absolute(root, path);
    const bytes = fs.readFileSync(target);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      throw new Error(`${path} is not valid UTF-8; nothing was written.`);
    }
    const planned = source.readText(path);
    if (!planned.ok || planned.text !== text) throw new Error(`${path} changed since the plan was made; plan again. Nothing was written.`);
    let updatedText: string;
    try {
      updatedText = applyEditsToText(text, edits);
    } catch (error) {
      throw new Error(`${path} changed since the plan was made (${(error as Error).message}); plan again. Nothing was written.`);
    }
    const updated = Buffer.from(updatedText, 'utf8');
    files.push({
      path,
      after: renameTargets.get(path) ?? path,
      original: bytes.toString('base64'),
      updated: updated.toString('base64'),
      mode: fs.statSync(target).mode & 0o7777,
    });
  }
  return files;
}

/** Checks the tree still allows every step, so a stale plan fails before the journal exists. */
function preflight(journal: Journal, root: string): void {
  const leaving = new Set(journal.renames.map((rename) => rename.from));
  const problems: string[] = [];
  for (const rename of journal.renames) {
    if (!exists(absolute(root, rename.from))) problems.push(`${rename.from} no longer exists`);
    // On a case-insensitive disk a case-only rename's target "exists": it is the source itself.
    const caseOnly = rename.to.toLowerCase() === rename.from.toLowerCase();
    if (exists(absolute(root, rename.to)) && !leaving.has(rename.to) && !caseOnly) problems.push(`${rename.to} already exists`);
  }
  const leavingFolders = new Set(journal.renames.flatMap((rename) => ancestors(rename.from)));
  for (const step of journal.steps) {
    const wholeFolder = step.op === 'rename' && step.from.startsWith(`${STAGING_FOLDER}/d`);
    if (wholeFolder && exists(absolute(root, step.to)) && !leavingFolders.has(step.to)) problems.push(`${step.to} already exists`);
  }
  for (const create of journal.creates) {
    if (exists(absolute(root, create.path))) problems.push(`${create.path} already exists`);
  }
  if (problems.length > 0) throw new Error(`The tree changed since the plan was made; nothing was written: ${problems.join('; ')}`);
}

/**
 * The steps of an apply, in order: file writes; every rename source into staging; the folders the targets need; the
 * renames out of staging (whole folders first, shallowest target first); folders left empty; creates; relinks.
 * A folder that moves with nothing of it moving elsewhere is renamed whole, so files the scan does not list (git-ignored
 * ones) and empty subfolders go with it, and a case-only folder rename takes effect on a case-insensitive disk.
 */
function planSteps(root: string, plan: MovePlan, fileCount: number, createPaths: string[], relinkCount: number): JournalStep[] {
  const folderMoves = wholeFolderMoves(root, plan.moves);
  const folderSources = new Set(folderMoves.map((move) => move.from));
  const fileRenames = plan.renames.filter((rename) => !hasAncestorIn(rename.from, folderSources));
  const steps: JournalStep[] = [];
  for (let file = 0; file < fileCount; file++) steps.push({ op: 'write', file });
  folderMoves.forEach((move, index) => steps.push({ op: 'rename', from: move.from, to: stagingPath(`d${index}`) }));
  fileRenames.forEach((rename, index) => steps.push({ op: 'rename', from: rename.from, to: stagingPath(`r${index}`) }));

  const folders = new TargetFolders(root, folderMoves);
  const byTargetDepth = folderMoves.map((move, index) => ({ move, index })).sort((a, b) => depth(a.move.to) - depth(b.move.to));
  for (const { move, index } of byTargetDepth) {
    for (const path of folders.missing([move.to])) steps.push({ op: 'mkdir', path });
    steps.push({ op: 'rename', from: stagingPath(`d${index}`), to: move.to });
    folders.place(move);
  }
  for (const path of folders.missing([...fileRenames.map((rename) => rename.to), ...createPaths])) steps.push({ op: 'mkdir', path });
  fileRenames.forEach((rename, index) => steps.push({ op: 'rename', from: stagingPath(`r${index}`), to: rename.to }));

  for (const path of foldersLeftBehind(root, [...fileRenames.map((rename) => rename.from), ...folderSources])) {
    steps.push({ op: 'rmdir', path, mode: fs.statSync(absolute(root, path)).mode & 0o7777 });
  }
  for (let create = 0; create < createPaths.length; create++) steps.push({ op: 'create', create });
  for (let relink = 0; relink < relinkCount; relink++) steps.push({ op: 'relink', relink });
  return steps;
}

/** Folder moves that can be one rename: a real folder with no other move of the batch inside it. */
function wholeFolderMoves(root: string, moves: readonly Move[]): Move[] {
  const sources = moves.map((move) => move.from).sort();
  return moves.filter((move) => {
    if (!isDirectory(absolute(root, move.from))) return false;
    const inner = lowerBound(sources, `${move.from}/`);
    return !(inner < sources.length && sources[inner].startsWith(`${move.from}/`));
  });
}

/** Which folders the phase-2 renames and the creates need created, given what whole-folder renames bring along. */
class TargetFolders {
  private readonly placed: Move[] = [];
  private readonly created = new Set<string>();

  constructor(
    private readonly root: string,
    private readonly folderMoves: readonly Move[],
  ) {}

  place(move: Move): void {
    this.placed.push(move);
  }

  /** Ancestors of `paths` that will not be folders when needed, parents first; from now on counted as created. */
  missing(paths: readonly string[]): string[] {
    const needed = new Set<string>();
    for (const path of paths) {
      for (let folder = dirname(path); folder !== '' && !needed.has(folder); folder = dirname(folder)) {
        if (this.exists(folder)) break;
        needed.add(folder);
      }
    }
    for (const folder of needed) this.created.add(folder);
    return [...needed].sort((a, b) => depth(a) - depth(b) || (a < b ? -1 : 1));
  }

  private exists(folder: string): boolean {
    if (this.created.has(folder)) return true;
    const carrier = this.placed.find((move) => isInside(folder, move.to));
    if (carrier) return isDirectory(absolute(this.root, carrier.from + folder.slice(carrier.to.length)));
    if (this.folderMoves.some((move) => isInside(folder, move.from))) return false;
    return isDirectory(absolute(this.root, folder));
  }
}

/** Folders that held moved entries, deepest first: removed when the batch leaves them empty. */
function foldersLeftBehind(root: string, sources: readonly string[]): string[] {
  const folders = new Set<string>();
  for (const source of sources) {
    for (let folder = dirname(source); folder !== ''; folder = dirname(folder)) folders.add(folder);
  }
  return [...folders]
    .filter((folder) => isDirectory(absolute(root, folder)) && !isInside(folder, RELAYOUT_FOLDER))
    .sort((a, b) => depth(b) - depth(a) || (a < b ? -1 : 1));
}

function ancestors(path: string): string[] {
  const folders: string[] = [];
  for (let folder = dirname(path); folder !== ''; folder = dirname(folder)) folders.push(folder);
  return folders;
}

function hasAncestorIn(path: string, folders: ReadonlySet<string>): boolean {
  return ancestors(path).some((folder) => folders.has(folder));
}

function lowerBound(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function forward(root: string, journal: Journal, index: number, step: JournalStep): void {
  switch (step.op) {
    case 'write': {
      const file = journal.files[step.file];
      const target = absolute(root, file.path);
      const updated = Buffer.from(file.updated, 'base64');
      const current = fingerprint(target);
      if (current === contentFingerprint(updated)) return;
      if (current !== contentFingerprint(Buffer.from(file.original, 'base64'))) throw new Error(`${file.path} changed during the apply`);
      replaceFile(root, index, target, updated, file.mode);
      return;
    }
    case 'rename':
      moveEntry(root, step.from, step.to);
      return;
    case 'mkdir': {
      const target = absolute(root, step.path);
      if (isDirectory(target)) return;
      fs.mkdirSync(target);
      syncFolder(nodePath.dirname(target));
      return;
    }
    case 'rmdir':
      removeIfEmpty(absolute(root, step.path));
      return;
    case 'create': {
      const create = journal.creates[step.create];
      const target = absolute(root, create.path);
      const current = fingerprint(target);
      if (current === contentFingerprint(create.content)) return;
      if (current !== 'missing') throw new Error(`${create.path} already exists`);
      replaceFile(root, index, target, Buffer.from(create.content, 'utf8'), undefined);
      return;
    }
    case 'relink': {
      const relink = journal.relinks[step.relink];
      repoint(root, index, relink.path, relink.previousText, relink.linkText, false);
      return;
    }
  }
}

/** Undoes one step whether or not it had been done (only the step in flight can be either). */
function backward(root: string, journal: Journal, index: number, step: JournalStep, force: boolean): void {
  switch (step.op) {
    case 'write': {
      const file = journal.files[step.file];
      const target = absolute(root, file.path);
      const original = Buffer.from(file.original, 'base64');
      const current = fingerprint(target);
      if (current === contentFingerprint(original)) return;
      if (!force && current !== contentFingerprint(Buffer.from(file.updated, 'base64')) && current !== 'missing') {
        throw new Error(`${file.path} was changed after the apply wrote it; not overwriting it`);
      }
      replaceFile(root, index, target, original, file.mode);
      return;
    }
    case 'rename':
      moveEntry(root, step.to, step.from);
      return;
    case 'mkdir':
      removeIfEmpty(absolute(root, step.path));
      return;
    case 'rmdir': {
      const target = absolute(root, step.path);
      if (isDirectory(target)) return;
      fs.mkdirSync(target, { mode: step.mode });
      fs.chmodSync(target, step.mode);
      syncFolder(nodePath.dirname(target));
      return;
    }
    case 'create': {
      const create = journal.creates[step.create];
      const target = absolute(root, create.path);
      const current = fingerprint(target);
      if (current === 'missing') return;
      if (!force && current !== contentFingerprint(create.content)) {
        throw new Error(`${create.path} was changed after the apply created it; not removing it`);
      }
      fs.rmSync(target);
      syncFolder(nodePath.dirname(target));
      return;
    }
    case 'relink': {
      const relink = journal.relinks[step.relink];
      repoint(root, index, relink.path, relink.linkText, relink.previousText, force);
      return;
    }
  }
}

/** Renames `from` to `to` unless that already happened; never replaces an existing `to`. */
function moveEntry(root: string, from: string, to: string): void {
  const source = absolute(root, from);
  const target = absolute(root, to);
  const sourceThere = exists(source);
  const targetThere = exists(target);
  if (!sourceThere && targetThere) return;
  if (!sourceThere) throw new Error(`cannot move ${from} to ${to}: neither exists`);
  if (targetThere) throw new Error(`cannot move ${from} to ${to}: ${to} already exists`);
  fs.renameSync(source, target);
  syncFolder(nodePath.dirname(source));
  syncFolder(nodePath.dirname(target));
}

/** Replaces (or creates) a file atomically: the new bytes are written beside the tree, then renamed over it. */
function replaceFile(root: string, index: number, target: string, bytes: Uint8Array, mode: number | undefined): void {
  const temporary = absolute(root, stagingPath(`w${index}`));
  writeDurable(temporary, bytes, mode);
  fs.renameSync(temporary, target);
  syncFolder(nodePath.dirname(target));
}

/** Points the symlink at `path` from `expected` to `wanted`, by renaming a fresh link over it. */
function repoint(root: string, index: number, path: string, expected: string, wanted: string, force: boolean): void {
  const target = absolute(root, path);
  const current = fs.readlinkSync(target);
  if (current === wanted) return;
  if (current !== expected && !force) throw new Error(`the symlink ${path} now points at ${current}; not re-pointing it`);
  const temporary = absolute(root, stagingPath(`l${index}`));
  fs.rmSync(temporary, { force: true });
  fs.symlinkSync(wanted, temporary);
  fs.renameSync(temporary, target);
  syncFolder(nodePath.dirname(target));
}

/** Marks the journal completed, keeps it for rollback and files it in the history. Idempotent. */
export function completeJournal(root: string, journal: Journal): string {
  const completed: Journal = { ...journal, phase: 'completed' };
  if (journal.phase !== 'completed') writeJsonAtomically(absolute(root, JOURNAL_FILE), completed);
  writeJsonAtomically(absolute(root, LAST_APPLY_FILE), completed);
  fs.rmSync(absolute(root, STAGING_FOLDER), { recursive: true, force: true });
  return archive(root, completed, 'applied');
}

/** Moves the journal into the history and drops its progress log; returns the history path. */
function archive(root: string, journal: Journal, outcome: string): string {
  const stamp = journal.startedAt.replace(/[:.]/g, '-');
  const history = `${HISTORY_FOLDER}/${stamp}-${outcome}.json`;
  fs.mkdirSync(absolute(root, HISTORY_FOLDER), { recursive: true });
  if (exists(absolute(root, JOURNAL_FILE))) fs.renameSync(absolute(root, JOURNAL_FILE), absolute(root, history));
  fs.rmSync(absolute(root, PROGRESS_FILE), { force: true });
  syncFolder(absolute(root, RELAYOUT_FOLDER));
  return history;
}

/**
 * The git index entries of every old and new path of `renames`, before they happen; undefined outside git. A tracked
 * file the inventory does not list (git-ignored, added before the rule or with `add -f`) still moves with a folder of
 * `moves`: it is staged at its new place too, so that it does not leave the repository.
 */
export function gitState(root: string, planRenames: readonly Move[], moves: readonly Move[] = []): JournalGit | undefined {
  if (planRenames.length === 0) return undefined;
  const topOutput = git(root, ['rev-parse', '--show-toplevel']);
  if (topOutput === undefined) return undefined;
  const top = topOutput.trim();
  const realRoot = fs.realpathSync(root);
  const fromTop = (path: string): string => nodePath.relative(top, nodePath.join(realRoot, path)).split(nodePath.sep).join('/');
  // ls-files takes no pathspec file, and a command line cannot hold thousands of paths: read the whole index.
  const index = (git(top, ['ls-files', '-s', '--full-name', '-z']) ?? '').split('\0').filter((entry) => entry !== '');
  const renames = [...planRenames, ...unlistedTracked(index, fromTop(''), planRenames, wholeFolderMoves(root, moves))];
  const paths = [...new Set(renames.flatMap((rename) => [fromTop(rename.from), fromTop(rename.to)]))];
  const wanted = new Set(paths);
  const entries = index.filter((entry) => wanted.has(entry.slice(entry.indexOf('\t') + 1)));
  const tracked = new Set(entries.map((entry) => entry.slice(entry.indexOf('\t') + 1)));
  const indexEntries = entries.map((entry) => `${entry}\0`).join('');
  return { top, indexEntries, paths, staged: renames.filter((rename) => tracked.has(fromTop(rename.from))) };
}

/** Tracked files (not submodules) below a folder moved whole that the plan does not rename, with where they go. */
function unlistedTracked(index: readonly string[], rootFromTop: string, renames: readonly Move[], folders: readonly Move[]): Move[] {
  if (folders.length === 0) return [];
  const renamed = new Set(renames.map((rename) => rename.from));
  const extra: Move[] = [];
  for (const entry of index) {
    if (entry.startsWith('160000 ')) continue;
    const fromTopPath = entry.slice(entry.indexOf('\t') + 1);
    const path = rootFromTop === '' ? fromTopPath : fromTopPath.startsWith(`${rootFromTop}/`) ? fromTopPath.slice(rootFromTop.length + 1) : undefined;
    if (path === undefined || renamed.has(path)) continue;
    const move = folders.find((folder) => isInside(path, folder.from) && path !== folder.from);
    if (move) extra.push({ from: path, to: `${move.to}/${path.slice(move.from.length + 1)}` });
  }
  return extra;
}

/** Stages each tracked rename (old path removed, new path added) so git reports them as renames. */
export function stageRenames(state: JournalGit, root: string): void {
  if (state.staged.length === 0) return;
  const realRoot = fs.realpathSync(root);
  const fromTop = (path: string): string => nodePath.relative(state.top, nodePath.join(realRoot, path)).split(nodePath.sep).join('/');
  const pathspecs = state.staged.flatMap((rename) => [fromTop(rename.from), fromTop(rename.to)]).join('\0');
  // `-f`: a tracked file that a rule ignores stays tracked at its new place, as it was at the old one.
  if (git(state.top, ['add', '-A', '-f', '--pathspec-from-file=-', '--pathspec-file-nul'], pathspecs) === undefined) {
    throw new Error('git add failed while staging the renames');
  }
}

/** Puts the index entries of every old and new path back as they were before the apply. */
function restoreIndex(state: JournalGit): void {
  git(state.top, ['rm', '--cached', '-q', '-r', '--ignore-unmatch', '--pathspec-from-file=-', '--pathspec-file-nul'], state.paths.join('\0'));
  if (state.indexEntries !== '') git(state.top, ['update-index', '-z', '--index-info'], state.indexEntries);
}

/** Runs git with literal pathspecs; undefined when it fails (or git is not installed). */
function git(cwd: string, args: string[], input?: string): string | undefined {
  const result = spawnSync('git', ['--literal-pathspecs', ...args], { cwd, input, encoding: 'utf8' });
  return result.status === 0 ? result.stdout : undefined;
}

function stagingPath(name: string): string {
  return `${STAGING_FOLDER}/${name}`;
}

/** The absolute path of workspace path `path` under `root`. */
export function absolute(root: string, path: string): string {
  return path === '' ? root : nodePath.join(root, ...path.split('/'));
}

/** True when something (a dangling symlink too) is at the absolute `path`. */
export function exists(path: string): boolean {
  try {
    fs.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

export function isDirectory(path: string): boolean {
  try {
    return fs.lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

function removeIfEmpty(path: string): void {
  if (!isDirectory(path) || fs.readdirSync(path).length > 0) return;
  fs.rmdirSync(path);
  syncFolder(nodePath.dirname(path));
}

/** How many segments a workspace path has. */
export function depth(path: string): number {
  return path.split('/').length;
}
