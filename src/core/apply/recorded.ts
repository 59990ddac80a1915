/**
 * An apply that something else carries out (the editor applies a move step as one WorkspaceEdit), recorded as the
 * engine's own so that `rollback` undoes it byte for byte. `beginRecordedApply` captures, before anything changes,
 * what the batch may touch and holds the journal slot (so no CLI apply runs meanwhile); `finishRecordedApply` reads
 * from the tree what was actually applied (a person may have unchecked changes in a preview), removes the folders the
 * renames left empty, stages the renames in git and files the result as a completed journal, or releases the slot
 * when nothing was applied.
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { dirname, isInside } from '../paths';
import type { FileSource, Move, MovePlan } from '../types';
import {
  absolute,
  completeJournal,
  depth,
  exists,
  gitState,
  isDirectory,
  pendingJournal,
  publishJournal,
  stageRenames,
  type ApplyResult,
} from './apply';
import {
  fingerprint,
  JOURNAL_FILE,
  readJournalFile,
  RELAYOUT_FOLDER,
  STAGING_FOLDER,
  type Journal,
  type JournalCreate,
  type JournalFile,
  type JournalGit,
  type JournalStep,
} from './journal';

/** What `beginRecordedApply` captured: the tree as it was before, for the paths the batch may touch. */
export interface RecordedApply {
  readonly root: string;
  readonly startedAt: string;
  readonly plan: MovePlan;
  /** The renames as they are carried out: a folder that moves whole may be one rename. */
  readonly renames: readonly Move[];
  /** Every edited file with its bytes and mode before, at its path before the batch. */
  readonly edited: readonly { path: string; original: Buffer; mode: number }[];
  /** Folders that may be made for the renames and creates, and whether each was a folder before. */
  readonly folderBefore: ReadonlyMap<string, boolean>;
  /** Those folders that a folder rename brings along (its target, or a folder below its source), with that rename. */
  readonly carriedBy: ReadonlyMap<string, Move>;
  /** Paths that existed before, among the rename targets and created files. */
  readonly existedBefore: ReadonlySet<string>;
  readonly git: JournalGit | undefined;
}

export interface RecordedResult extends ApplyResult {
  /** Folders the renames left empty, removed as the engine's apply removes them. */
  removedFolders: string[];
}

/**
 * Captures the tree before `plan` is applied by someone else, with `renames` (the plan's renames, or folders that
 * move whole as one rename each), and publishes a journal that holds the slot. Refuses, writing nothing, a plan with
 * conflicts or symlinks to re-point, an interrupted apply still pending, and an edited file that differs from what
 * the planner read from `source`.
 */
export function beginRecordedApply(plan: MovePlan, rootAbs: string, source: FileSource, renames: readonly Move[]): RecordedApply {
  const root = nodePath.resolve(rootAbs);
  if (plan.conflicts.length > 0) throw new Error(`The plan has ${plan.conflicts.length} conflict(s); nothing was written.`);
  if (plan.relinks.length > 0) {
    throw new Error(`${plan.relinks.map((relink) => relink.path).join(', ')}: symlinks to re-point, which only the relayout CLI can do; nothing was written.`);
  }
  for (const rename of plan.renames) {
    if (!renames.some((carrier) => movedBy(rename.from, carrier) === rename.to)) {
      throw new Error(`${rename.from} → ${rename.to} is not among the renames to record; nothing was written.`);
    }
  }
  if (pendingJournal(root)) throw new Error('An interrupted apply is pending; run recover first. Nothing was written.');
  const edited = [...new Set(plan.edits.map((edit) => edit.file))].map((path) => {
    const target = absolute(root, path);
    const original = fs.readFileSync(target);
    const planned = source.readText(path);
    if (!planned.ok || planned.text !== original.toString('utf8')) throw new Error(`${path} changed since the plan was made; plan again. Nothing was written.`);
    return { path, original, mode: fs.statSync(target).mode & 0o7777 };
  });
  const folderBefore = new Map<string, boolean>();
  for (const path of [...renames.map((rename) => rename.to), ...plan.creates.map((create) => create.path)]) {
    for (let folder = dirname(path); folder !== '' && !folderBefore.has(folder); folder = dirname(folder)) {
      folderBefore.set(folder, isDirectory(absolute(root, folder)));
    }
  }
  const carriedBy = new Map<string, Move>();
  for (const folder of folderBefore.keys()) {
    const carrier = renames.find((rename) => folder === rename.to || (isInside(folder, rename.to) && isDirectory(absolute(root, rename.from + folder.slice(rename.to.length)))));
    if (carrier) carriedBy.set(folder, carrier);
  }
  const existedBefore = new Set(
    [...renames.map((rename) => rename.to), ...plan.creates.map((create) => create.path)].filter((path) => exists(absolute(root, path))),
  );
  const startedAt = new Date().toISOString();
  const git = gitState(root, plan.renames, plan.moves);
  // No steps yet: should the editor stop half-way, `recover` finds nothing it could undo wrongly and frees the slot.
  publishJournal(root, { version: 1, phase: 'started', startedAt, renames: [], files: [], creates: [], relinks: [], steps: [], expectedAfter: {}, ...(git ? { git } : {}) });
  return { root, startedAt, plan, renames, edited, folderBefore, carriedBy, existedBefore, git };
}

/**
 * Records what was applied since `beginRecordedApply`, as read from the tree: the renames that took place, the files
 * whose bytes changed, the files created. Removes the folders those renames left empty and stages the renames in git,
 * as the engine's apply does. Files a completed journal in the history when anything was applied (its `journal`);
 * otherwise releases the slot and returns no journal.
 */
export function finishRecordedApply(recorded: RecordedApply): RecordedResult {
  const { root, plan } = recorded;
  const leaving = new Set(recorded.renames.map((rename) => rename.from));
  const targets = new Set(recorded.renames.map((rename) => rename.to));
  const applied = recorded.renames.filter(
    (rename) =>
      exists(absolute(root, rename.to)) &&
      (!recorded.existedBefore.has(rename.to) || leaving.has(rename.to)) &&
      (!exists(absolute(root, rename.from)) || targets.has(rename.from)),
  );
  const renames = plan.renames.filter((rename) => applied.some((carrier) => movedBy(rename.from, carrier) === rename.to));
  const after = (path: string): string => renames.find((rename) => rename.from === path)?.to ?? path;

  const files: JournalFile[] = [];
  for (const { path, original, mode } of recorded.edited) {
    const now = readIfFile(absolute(root, after(path)));
    if (now === undefined || now.equals(original)) continue;
    files.push({ path, after: after(path), original: original.toString('base64'), updated: now.toString('base64'), mode });
  }
  const creates: JournalCreate[] = plan.creates
    .filter((create) => !recorded.existedBefore.has(create.path))
    .flatMap((create) => {
      const content = readIfFile(absolute(root, create.path));
      return content === undefined ? [] : [{ path: create.path, content: content.toString('utf8') }];
    });

  if (applied.length === 0 && files.length === 0 && creates.length === 0) {
    abandonRecordedApply(recorded);
    return { renamed: 0, edited: 0, created: 0, relinked: 0, gitStaged: 0, removedFolders: [] };
  }

  const carried = (folder: string): boolean => {
    const carrier = recorded.carriedBy.get(folder);
    return carrier !== undefined && applied.includes(carrier);
  };
  const made = [...recorded.folderBefore]
    .filter(([folder, was]) => !was && isDirectory(absolute(root, folder)) && !carried(folder))
    .map(([folder]) => folder)
    .sort((a, b) => depth(a) - depth(b) || (a < b ? -1 : 1));
  const removed = removeFoldersLeftEmpty(root, applied);

  const byTargetDepth = applied.map((rename, index) => ({ rename, index })).sort((a, b) => depth(a.rename.to) - depth(b.rename.to));
  const steps: JournalStep[] = [
    ...files.map((_, file): JournalStep => ({ op: 'write', file })),
    ...applied.map((rename, index): JournalStep => ({ op: 'rename', from: rename.from, to: stagingPath(index) })),
    ...made.map((path): JournalStep => ({ op: 'mkdir', path })),
    ...byTargetDepth.map(({ rename, index }): JournalStep => ({ op: 'rename', from: stagingPath(index), to: rename.to })),
    ...removed.map(({ path, mode }): JournalStep => ({ op: 'rmdir', path, mode })),
    ...creates.map((_, create): JournalStep => ({ op: 'create', create })),
  ];
  const expectedAfter: Record<string, string> = {};
  for (const rename of renames) expectedAfter[rename.to] = fingerprint(absolute(root, rename.to));
  for (const file of files) expectedAfter[file.after] = fingerprint(absolute(root, file.after));
  for (const create of creates) expectedAfter[create.path] = fingerprint(absolute(root, create.path));

  const fromBefore = new Set(renames.map((rename) => rename.from));
  const git = recorded.git ? { ...recorded.git, staged: recorded.git.staged.filter((rename) => fromBefore.has(rename.from)) } : undefined;
  const journal: Journal = {
    version: 1,
    phase: 'started',
    startedAt: recorded.startedAt,
    renames,
    files,
    creates,
    relinks: [],
    steps,
    expectedAfter,
    ...(git ? { git } : {}),
  };
  if (git) stageRenames(git, root);
  const history = completeJournal(root, journal);
  return {
    journal: history,
    renamed: renames.length,
    edited: files.length,
    created: creates.length,
    relinked: 0,
    gitStaged: git?.staged.length ?? 0,
    removedFolders: removed.map(({ path }) => path),
  };
}

/**
 * True while nothing of the batch has been applied since `beginRecordedApply`: every rename still to do, every edited
 * file as it was, no file created. Something that refused the batch may then be asked again.
 */
export function untouchedSinceBegin(recorded: RecordedApply): boolean {
  const { root } = recorded;
  return (
    recorded.renames.every((rename) => exists(absolute(root, rename.from)) && (recorded.existedBefore.has(rename.to) || !exists(absolute(root, rename.to)))) &&
    recorded.edited.every(({ path, original }) => readIfFile(absolute(root, path))?.equals(original) === true) &&
    recorded.plan.creates.every((create) => recorded.existedBefore.has(create.path) || !exists(absolute(root, create.path)))
  );
}

/** Releases the journal slot `beginRecordedApply` took, when nothing of the batch was applied. */
function abandonRecordedApply(recorded: RecordedApply): void {
  const journalFile = absolute(recorded.root, JOURNAL_FILE);
  if (readJournalFile(journalFile)?.startedAt === recorded.startedAt) fs.rmSync(journalFile, { force: true });
}

/** Where `carrier` (a file or a folder rename) puts `path`, or undefined when it does not move it. */
function movedBy(path: string, carrier: Move): string | undefined {
  if (path === carrier.from) return carrier.to;
  return isInside(path, carrier.from) ? carrier.to + path.slice(carrier.from.length) : undefined;
}

/** Removes, deepest first, the folders that held renamed entries and are empty now; returns them with their modes. */
function removeFoldersLeftEmpty(root: string, renames: readonly Move[]): { path: string; mode: number }[] {
  const folders = new Set<string>();
  for (const rename of renames) for (let folder = dirname(rename.from); folder !== ''; folder = dirname(folder)) folders.add(folder);
  const removed: { path: string; mode: number }[] = [];
  const ordered = [...folders].filter((folder) => !isInside(folder, RELAYOUT_FOLDER)).sort((a, b) => depth(b) - depth(a) || (a < b ? -1 : 1));
  for (const folder of ordered) {
    const target = absolute(root, folder);
    if (!isDirectory(target) || fs.readdirSync(target).length > 0) continue;
    const mode = fs.statSync(target).mode & 0o7777;
    fs.rmdirSync(target);
    removed.push({ path: folder, mode });
  }
  return removed;
}

function stagingPath(index: number): string {
  return `${STAGING_FOLDER}/e${index}`;
}

function readIfFile(path: string): Buffer | undefined {
  try {
    return fs.lstatSync(path).isFile() ? fs.readFileSync(path) : undefined;
  } catch {
    return undefined;
  }
}
