/**
 * The batch move planner: from requested moves and the reference graph of the tree BEFORE the batch, every file
 * rename, every minimal text edit, the kustomizations to create, the symlinks to re-point, and the conflicts that
 * stop the batch before anything is written.
 */
import { basename, dirname, escapesRoot, isInside, join, normalize, relative } from '../paths';
import { LineIndex } from '../text';
import type {
  Confidence,
  Conflict,
  FileCreate,
  FileSource,
  Move,
  MovePlan,
  Problem,
  Reference,
  ReferenceGraph,
  ReviewItem,
  TextEdit,
} from '../types';
import {
  baseSetterRole,
  commonFolder,
  ignorePatternLine,
  isDepthOnly,
  isSingleExpansionSegment,
  samePatternRun,
  sameSequence,
  sequenceItemLine,
  siblingItems,
  type SequenceItemLine,
  templateBase,
  templatedPath,
  type TemplatedPath,
} from './dissolved';
import { globMatcher, matchesFilesOnly, splitGlob } from './glob';
import { ignoredTargetConflicts } from './ignored';
import { MoveMap } from './mapping';
import { extractPlainText } from '../refs/plainText';
import { ignoreFileOfKind, type IgnoreFile } from '../refs/ignorePatterns';
import { encodeLinkPath, rewritePathText } from './style';

export { applyEditsToText } from './edits';
export { mappedPath } from './mapping';

export interface PlanOptions {
  /**
   * The workspace's file system ignores case (macOS, Windows): two targets that differ only in case collide.
   * A case-only rename of one path is valid either way (apply performs it through a temporary name).
   */
  caseInsensitive?: boolean;
}

/** File names kustomize reads as a kustomization, in its order of preference. */
const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Folder references that mean "the kustomization in this folder": they follow it when it moves on its own. */
const BUILD_ROOT_KINDS = new Set([
  'kustomize.resources',
  'kustomize.bases',
  'kustomize.components',
  'flux.path',
  'flux.components',
  'argocd.path',
]);

/** Markdown link destinations: URLs, where a path is percent-encoded. */
const LINK_DESTINATION_KINDS = new Set(['markdown.link', 'markdown.image', 'markdown.definition', 'markdown.html']);

/** Kustomization entries that load another kustomization root. */
const KUSTOMIZE_ROOT_KINDS = new Set(['kustomize.resources', 'kustomize.bases', 'kustomize.components']);

/** Folder references that, when the folder has no kustomization, deploy every manifest below it. */
const DIRECTORY_RENDER_KINDS = new Set(['flux.path', 'argocd.path']);

/** Keys whose folder is where the commands beside them run (GitHub's `working-directory`). */
const WORKING_DIRECTORY_KINDS = new Set(['github.workingDirectory']);

/** A folder's own description: when a batch empties the folder, what names the folder follows it. */
const FOLDER_README_NAMES = ['README.md', 'readme.md', 'Readme.md', 'README', 'README.markdown', 'index.md'];

/** Files whose glob references are YAML scalars, where a sequence item can take siblings. */
const YAML_FILE_KINDS = new Set<string>([
  'kustomization', 'kubernetes', 'flux', 'argocd', 'tekton', 'helm-values', 'skaffold', 'compose', 'github-workflow', 'gitlab-ci', 'yaml',
]);

/** `COPY`/`ADD` sources: relative to a build context they cannot leave. */
const DOCKER_SOURCE_KINDS = new Set(['docker.copy', 'docker.add']);

/** Gitignore-syntax pattern lines (`/dir/`, `!/dir/*.yaml`) read as glob references. */
const IGNORE_PATTERN_KINDS = new Set(['flux.ignore', 'flux.sourceignore']);

/** A glob planned as an item of a list, with the line it is written on. */
interface GlobListItem {
  ref: Reference;
  line: SequenceItemLine;
}

const CREATED_KUSTOMIZATION_HEADER = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n';

/**
 * Plans `moves` as one batch against the tree before it. Move paths are workspace-relative.
 *
 * Nested moves: a move inside a folder that another move of the batch carries is redundant when it lands where the
 * folder move would put it anyway (it is dropped); when its target differs, it wins for its own subtree (the rest of
 * the folder follows the folder move). Two moves of the same source to different targets conflict.
 */
export function planMoves(
  moves: readonly Move[],
  graph: ReferenceGraph,
  source: FileSource,
  options: PlanOptions = {},
): MovePlan {
  const { moves: kept, conflicts } = validateMoves(moves, source);
  const map = new MoveMap(kept);
  const renames = expandRenames(kept, graph, source, map);
  conflicts.push(...targetConflicts(kept, renames, source, map, options), ...ignoredTargetConflicts(renames, source));

  const planner = new ReferencePlanner(graph, source, map, renames);
  planner.planRebasedFolders();
  planner.planTemplates();
  planner.planReferences(kept);
  planner.planLoadRestrictorWraps();
  planner.planGlobs();
  planner.planDirectoryRenders();
  planner.planDissolvedFolders();
  planner.planSymlinks();

  const edits = dedupeEdits(planner.edits);
  conflicts.push(...planner.conflicts, ...overlapConflicts(edits));
  const problems = problemsOf(graph, edits, renames);
  conflicts.push(...problemConflicts(problems, edits), ...unparsedFileConflicts(graph, source, map, edits));

  const review = [
    ...planner.review,
    ...graphReview(graph, kept, map).filter((item) => !planner.settledReview.has(reviewKey(item))),
    ...shadowedReview(graph, renames, source, map),
  ];
  review.sort((a, b) => compare(a.file, b.file) || a.start - b.start);
  return {
    moves: kept,
    renames,
    edits,
    creates: planner.creates,
    relinks: planner.relinks,
    conflicts,
    review: dedupeReview(review),
    problems,
  };
}

/** Normalizes the requested moves and drops redundant ones; conflicts for moves that cannot be planned at all. */
function validateMoves(requested: readonly Move[], source: FileSource): { moves: Move[]; conflicts: Conflict[] } {
  const conflicts: Conflict[] = [];
  const bySource = new Map<string, Move>();
  for (const move of requested) {
    const unusable = [move.from, move.to].map(pathProblem).find((problem) => problem !== undefined);
    if (unusable !== undefined) {
      conflicts.push(unusable);
      continue;
    }
    const from = normalize(move.from);
    const to = normalize(move.to);
    if (from === to) continue;
    const earlier = bySource.get(from);
    if (earlier) {
      if (earlier.to !== to) conflicts.push({ path: from, reason: `${from} is moved twice: to ${earlier.to} and to ${to}` });
      continue;
    }
    const type = source.stat(from);
    if (type === undefined) {
      conflicts.push({ path: from, reason: `${from} does not exist` });
      continue;
    }
    if (type === 'directory' && isInside(to, from)) {
      conflicts.push({ path: from, reason: `the folder ${from} cannot move into itself (${to})` });
      continue;
    }
    bySource.set(from, { from, to });
  }
  // A prefix sorts before its extensions, so every move's enclosing moves are already in `outer`.
  const sorted = [...bySource.values()].sort((a, b) => compare(a.from, b.from));
  const outer = new MoveMap([]);
  const kept: Move[] = [];
  for (const move of sorted) {
    const parent = dirname(move.from);
    const carried = outer.moves(parent) ? join(outer.map(parent), basename(move.from)) : undefined;
    if (carried === move.to) continue;
    outer.add(move);
    kept.push(move);
  }
  return { moves: kept, conflicts };
}

function pathProblem(path: string): Conflict | undefined {
  if (path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(path)) {
    return { path, reason: `${path} is an absolute path; moves take workspace-relative paths` };
  }
  const normalized = normalize(path);
  if (escapesRoot(normalized)) return { path, reason: `${path} lies outside the workspace root` };
  if (normalized === '') return { path, reason: 'the workspace root itself cannot be moved or be a move target' };
  return undefined;
}

/**
 * Every file (symlinks included) the batch moves, before → after, sorted by source. Folder contents come from the
 * graph's file list (the source's listing when the graph was built), which saves listing a large tree again.
 */
function expandRenames(moves: readonly Move[], graph: ReferenceGraph, source: FileSource, map: MoveMap): Move[] {
  const files = [...graph.files()].sort(compare);
  const sources = new Set<string>();
  for (const move of moves) {
    if (source.stat(move.from) !== 'directory') {
      sources.add(move.from);
      continue;
    }
    for (let i = lowerBound(files, `${move.from}/`, (file) => file); i < files.length && files[i].startsWith(`${move.from}/`); i++) {
      sources.add(files[i]);
    }
  }
  return [...sources].sort(compare).map((from) => ({ from, to: map.map(from) }));
}

function targetConflicts(
  moves: readonly Move[],
  renames: readonly Move[],
  source: FileSource,
  map: MoveMap,
  options: PlanOptions,
): Conflict[] {
  const conflicts: Conflict[] = [];
  for (const move of moves) {
    const caseOnly = move.to.toLowerCase() === move.from.toLowerCase();
    if (!caseOnly && source.stat(move.to) !== undefined && !map.moves(move.to)) {
      conflicts.push({ path: move.to, reason: `cannot move ${move.from} to ${move.to}: ${move.to} already exists` });
    }
    for (let parent = dirname(move.to); parent !== ''; parent = dirname(parent)) {
      const type = source.stat(parent);
      if (type === 'directory') break;
      if (type !== undefined && !map.moves(parent)) {
        conflicts.push({ path: move.to, reason: `cannot move ${move.from} to ${move.to}: ${parent} is a file` });
        break;
      }
    }
  }
  const byTarget = new Map<string, string>();
  for (const rename of renames) {
    const key = options.caseInsensitive ? rename.to.toLowerCase() : rename.to;
    const other = byTarget.get(key);
    if (other !== undefined) {
      conflicts.push({ path: rename.to, reason: `both ${other} and ${rename.from} would move to ${rename.to}` });
    } else {
      byTarget.set(key, rename.from);
    }
  }
  return conflicts;
}

/** A `resources` file entry the batch would push out of its kustomization's folder. */
interface Wrap {
  ref: Reference;
  newBase: string;
  newTarget: string;
}

/** Rewrites references, keeping the data the later passes (wraps, globs, symlinks) share. */
class ReferencePlanner {
  readonly edits: TextEdit[] = [];
  readonly creates: FileCreate[] = [];
  readonly relinks: { path: string; linkText: string }[] = [];
  readonly conflicts: Conflict[] = [];
  readonly review: ReviewItem[] = [];
  private readonly wraps: Wrap[] = [];
  private readonly globs: Reference[] = [];
  private readonly directoryRenders: Reference[] = [];
  private readonly renameTargets: Set<string>;
  private renamesByTarget: Move[] | undefined;
  /** Folder → where its kustomization goes, for kustomizations that move without their folder. */
  private readonly movedKustomizations = new Map<string, string>();
  /** Folders the batch empties file by file: no move of the folder itself, every file below it going elsewhere. */
  private readonly dissolvedFolders = new Set<string>();
  /** Dissolved folders whose files all keep their path below them under one new folder: where the folder now is. */
  private readonly reassembledFolders = new Map<string, string>();
  /** Dissolved folders whose subfolders all land, under their own names, in one folder: where the folder now is. */
  private readonly regroupedFolders = new Map<string, string>();
  /** Dissolved folders whose README moves: the README's new folder, which is what the folder was. */
  private readonly readmeFolders = new Map<string, string>();
  /**
   * Dissolved folders whose files all land below one folder the batch creates (`microservices/a.yaml`, `b.yaml` to
   * `services/microservices/a/…`, `…/b/…`): that folder, which a document describing the folder can name instead.
   */
  private readonly homeFolders = new Map<string, string>();
  /**
   * `file\0start` of link text naming the folder whose README its link opens (`[infra/k8s](infra/k8s/README.md)`),
   * for READMEs that leave their folder → the README's new folder: the label follows what the link opens.
   */
  private readonly linkLabels = new Map<string, string>();
  /**
   * `file\0folder` → the folder that replaces a dissolved folder as the base of the paths `file` resolves in it (its
   * `cd` target, its variable's value, its `working-directory`).
   */
  private readonly rebasedFolders = new Map<string, string>();
  /** Templated paths planned for rewriting, with the base they are written against. */
  private readonly templates: { template: TemplatedPath; base: string; destination: string }[] = [];
  /** Review items of the graph that this plan's edits settle (by `reviewKey`). */
  readonly settledReview = new Set<string>();
  private filesAfter: string[] | undefined;

  constructor(
    private readonly graph: ReferenceGraph,
    private readonly source: FileSource,
    private readonly map: MoveMap,
    private readonly renames: readonly Move[],
  ) {
    this.renameTargets = new Set(renames.map((rename) => rename.to));
    for (const rename of renames) {
      const folder = dirname(rename.from);
      if (KUSTOMIZATION_NAMES.includes(basename(rename.from)) && dirname(rename.to) !== map.map(folder)) {
        this.movedKustomizations.set(folder, dirname(rename.to));
      }
    }
    const filesBelow = countByFolder(graph.files());
    const arriving = countByFolder(renames.map((rename) => rename.to));
    for (const [folder, leaving] of countByFolder(renames.map((rename) => rename.from))) {
      if (leaving === filesBelow.get(folder) && !arriving.has(folder) && !map.moves(folder)) this.dissolvedFolders.add(folder);
    }
    for (const folder of this.dissolvedFolders) {
      const reassembled = movedWholeDestination(folder, this.renamesTouching(folder, folder));
      if (reassembled !== undefined) this.reassembledFolders.set(folder, reassembled);
      const destination = regroupedDestination(folder, renames);
      if (destination !== undefined) this.regroupedFolders.set(folder, destination);
    }
    const renamedTo = new Map(renames.map((rename) => [rename.from, rename.to]));
    for (const folder of this.dissolvedFolders) {
      const readme = FOLDER_README_NAMES.map((name) => renamedTo.get(join(folder, name))).find((to) => to !== undefined);
      if (readme !== undefined) this.readmeFolders.set(folder, dirname(readme));
      const home = commonFolder(this.renamesTouching(folder, folder).filter((rename) => isInside(rename.from, folder)).map((rename) => dirname(rename.to)));
      if (home !== '' && !isInside(folder, home) && source.stat(home) === undefined) this.homeFolders.set(folder, home);
    }
  }

  /**
   * A file that names a folder the batch empties as the base of later paths (`cd dir && ./x.sh && cd ..`,
   * `DIR := dir` then `$(DIR)/y`, a step's `working-directory`) gets, as that base, the deepest folder holding the new
   * targets of the paths it resolves there; each of those paths, and the anchor going back (`..`), is then written
   * relative to it. A templated path there (`$(DIR)/overlays/$(ENV)`) takes part with its static folder's new place,
   * and is rewritten when what it can name keeps its meaning (see `templateDestination`); one that cannot keep it
   * takes part with the folder its files went to and stays a review item. When no path is used there, nothing is
   * rebased and the names of the folder stay review items.
   */
  planRebasedFolders(): void {
    const reviewByFile = new Map<string, ReviewItem[]>();
    for (const item of this.graph.review()) {
      const items = reviewByFile.get(item.file);
      if (items) items.push(item);
      else reviewByFile.set(item.file, [item]);
    }
    for (const folder of this.dissolvedFolders) {
      const setters = this.graph.refsInto(folder).filter((ref) => ref.target === folder && !ref.glob && namesBase(ref));
      for (const file of new Set(setters.map((ref) => ref.from))) {
        const read = this.source.readText(file);
        if (!read.ok) continue;
        const roles = new Set(setters.filter((ref) => ref.from === file).map((ref) => baseSetterRole(read.text, ref)));
        const used = this.graph
          .refsFrom(file)
          // `../..` names a folder above (no sign of where the folder went); `.` names the folder itself and follows it.
          .filter((ref) => ref.base === folder && ref.baseRule === 'fixed' && !ref.glob && ref.kind !== 'symlink' && (!isDepthOnly(ref.text) || ref.target === folder));
        const templates: { template: TemplatedPath; base: string; destination: string }[] = [];
        const templateFolders: string[] = [];
        for (const item of reviewByFile.get(file) ?? []) {
          const template = templatedPath(item);
          if (template === undefined || !roles.has(template.variable ?? 'cwd') || templateBase(template, [folder]) !== folder) continue;
          const destination = this.templateDestination(template);
          if (destination !== undefined) templates.push({ template, base: folder, destination });
          const staticFolder = join(folder, template.staticText);
          const leaving = this.renamesTouching(staticFolder, staticFolder).filter((rename) => isInside(rename.from, staticFolder));
          const landed = destination ?? (leaving.length > 0 ? commonFolder(leaving.map((rename) => dirname(rename.to))) : undefined);
          if (landed !== undefined) templateFolders.push(landed);
        }
        if (used.length === 0 && templates.length === 0) continue;
        const rebased = commonFolder([...used.map((ref) => this.folderOfNewTarget(ref)), ...templateFolders]);
        if (isInside(rebased, folder)) continue;
        this.rebasedFolders.set(fileFolderKey(file, folder), rebased);
        this.templates.push(...templates);
      }
    }
  }

  /**
   * Templated paths whose static folder the batch moves (`infrastructure/k8s/overlays/$ENV` with `overlays/dev` and
   * `overlays/prod` now side by side in `environments/`): the static folder is rewritten when what the template can
   * name keeps its meaning, and the review item is settled. The others stay review items.
   */
  planTemplates(): void {
    const planned = new Set(this.templates.map(({ template }) => reviewKey(template.item)));
    for (const item of this.graph.review()) {
      if (planned.has(reviewKey(item))) continue;
      const template = templatedPath(item);
      if (template === undefined || item.target === undefined) continue;
      const candidates = [
        ...derivedBase(template, item.target),
        ...(template.variable === undefined ? ['', dirname(item.file)] : this.variableValues(item.file, template.variable)),
      ];
      const base = templateBase(template, candidates);
      if (base === undefined || (base !== '' && this.map.moves(item.file))) continue;
      const destination = this.templateDestination(template);
      if (destination === undefined) continue;
      if (destination === item.target && !this.map.moves(base) && !this.rebasedFolders.has(fileFolderKey(item.file, base))) {
        // No file leaves the folder it expands below: files arriving there only add children it may come to name.
        if (isSingleExpansionSegment(template.rest)) this.settledReview.add(reviewKey(item));
        continue;
      }
      this.templates.push({ template, base, destination });
    }
    for (const { template, base, destination } of this.templates) {
      const newBase = this.rebasedFolders.get(fileFolderKey(template.item.file, base)) ?? this.map.map(base);
      const path = relative(newBase, destination);
      const oldText = template.staticText;
      const dotSlash = oldText.startsWith('./') && !path.startsWith('../') && path !== '.';
      const newText = path === '.' ? '' : `${dotSlash ? './' : ''}${path}/`;
      this.settledReview.add(reviewKey(template.item));
      if (newText === oldText) continue;
      const start = template.item.start + template.staticOffset;
      this.editText(template.item.file, start, start + oldText.length, template.item.line, oldText, newText, template.item.kind, 'probable');
    }
  }

  /** The folders that base-naming references in `file` assign to `variable` (`K8S_DIR := infra/k8s`). */
  private variableValues(file: string, variable: string): string[] {
    const setters = this.graph.refsFrom(file).filter((ref) => ref.namesBase === true);
    if (setters.length === 0) return [];
    const read = this.source.readText(file);
    if (!read.ok) return [];
    return setters.filter((ref) => baseSetterRole(read.text, ref) === variable).map((ref) => ref.target);
  }

  /**
   * Where the folder a templated path expands below is after the batch, when every path the template could name
   * keeps its meaning there: the folder itself when no file leaves it, the folder's new place when it moves whole, or
   * the folder its children were regrouped into when the template names exactly one child (`overlays/$(ENV)`).
   */
  private templateDestination(template: TemplatedPath): string | undefined {
    const folder = template.item.target;
    if (folder === undefined) return undefined;
    const leaving = this.renamesTouching(folder, folder).filter((rename) => isInside(rename.from, folder));
    if (leaving.length === 0) return folder;
    if (!this.map.moves(folder) && !this.dissolvedFolders.has(folder)) return undefined;
    const movedTo = movedWholeDestination(folder, leaving);
    if (movedTo !== undefined) return movedTo;
    const regrouped = this.regroupedFolders.get(folder);
    return regrouped !== undefined && isSingleExpansionSegment(template.rest) ? regrouped : undefined;
  }

  /** The folder a reference's target is in after the batch (the target itself when it is a folder). */
  private folderOfNewTarget(ref: Reference): string {
    const newTarget = this.newTargetOf(ref);
    return this.source.stat(ref.target) === 'directory' ? newTarget : dirname(newTarget);
  }

  /** Outgoing references of moved files, incoming references to moved paths, and paths whose fixed base moves. */
  planReferences(moves: readonly Move[]): void {
    const candidates = new Map<string, Reference>();
    const add = (ref: Reference): void => {
      candidates.set(`${ref.from}\0${ref.start}\0${ref.end}`, ref);
    };
    for (const rename of this.renames) this.graph.refsFrom(rename.from).forEach(add);
    for (const move of moves) this.graph.refsInto(move.from).forEach(add);
    for (const folder of new Set([...this.movedKustomizations.keys(), ...this.dissolvedFolders])) {
      for (const ref of this.graph.refsInto(folder)) if (ref.target === folder || this.writesInto(ref, folder)) add(ref);
    }
    this.readmeLinkLabels().forEach(add);
    for (const ref of this.graph.allRefs()) {
      if (ref.glob) this.globs.push(ref);
      else if (ref.baseRule === 'fixed' && ref.base !== '' && (this.map.moves(ref.base) || this.rebasedFolders.has(fileFolderKey(ref.from, ref.base)))) {
        add(ref);
      }
      if (DIRECTORY_RENDER_KINDS.has(ref.kind) && !ref.glob && this.rendersWholeFolder(ref.target)) this.directoryRenders.push(ref);
    }
    for (const ref of candidates.values()) {
      // Symlinks are re-pointed by `planSymlinks`, not edited as text.
      if (!ref.glob && ref.kind !== 'symlink') this.planReference(ref);
    }
  }

  private planReference(ref: Reference): void {
    if (escapesRoot(ref.target)) return;
    const { newFrom, newBase } = this.newBaseOf(ref);
    const newTarget = this.newTargetOf(ref);
    if (newBase === ref.base && newTarget === ref.target) return;
    // A folder the batch empties with no new path to write is a review item (`planDissolvedFolders`); its text stays.
    if (this.dissolvedFolders.has(ref.target) && newTarget === ref.target) return;
    if (!isRootAbsolute(ref) && relative(newBase, newTarget) === relative(ref.base, ref.target)) return;
    if (this.breaksLoadRestrictor(ref, newFrom, newTarget)) {
      if (ref.kind === 'kustomize.resources') {
        this.wraps.push({ ref, newBase, newTarget });
      } else {
        this.conflicts.push({
          path: ref.from,
          line: ref.line,
          reason:
            `${ref.from}:${ref.line}: ${ref.kind} entry ${ref.text} would name ${newTarget}, outside the ` +
            `kustomization's folder ${dirname(newFrom) || '.'} (kustomize's load restrictor); only resources can be ` +
            'wrapped in a new kustomization',
        });
      }
      return;
    }
    if (this.makesKustomizeCycle(ref, newFrom, newTarget)) {
      this.conflicts.push({
        path: ref.from,
        line: ref.line,
        reason:
          `${ref.from}:${ref.line}: ${ref.kind} entry ${ref.text} would name ${newTarget || '.'}, a folder that holds the ` +
          `kustomization ${newFrom} itself; kustomize refuses that as a cycle`,
      });
      return;
    }
    let newText = rewritePathText(ref.text, newBase, newTarget);
    if (DOCKER_SOURCE_KINDS.has(ref.kind) && (newText === '..' || newText.startsWith('../'))) {
      // Docker sends only the build context: a source outside it cannot be copied, whatever the path says.
      this.review.push({
        ...reviewAt(ref),
        reason: `${ref.text} would be written ${newText}, outside the build context ${newBase || '.'}; Docker cannot copy it from there`,
        target: ref.target,
      });
      return;
    }
    const ignoreFile = ignoreFileOfKind(ref.kind);
    if (ignoreFile !== undefined) {
      if (this.leavesIgnoreFileFolder(ref, ignoreFile, newText)) return;
      if (!ignoreFile.everyPatternAnchored) newText = this.anchoredIgnorePath(ref, newText);
    }
    // A path in free text is told from a word by its slash: `overlays/prod` shortened to `prod` would no longer read
    // as a path (to a person or to the extractors), so it is written `./prod`. After `$(DIR)/` the slash is there.
    const shortened = ref.text.includes('/') && !newText.includes('/') && newText !== '.';
    if (ref.confidence === 'probable' && shortened && !this.followsSlash(ref)) newText = `./${newText}`;
    if (LINK_DESTINATION_KINDS.has(ref.kind) && newText !== ref.text) newText = encodeLinkPath(ref.text, newText, this.isAngled(ref));
    if (ref.generatorKey !== undefined && basename(newTarget) !== ref.generatorKey) {
      newText = `${ref.generatorKey}=${newText}`;
    }
    this.edit(ref, ref.start, ref.end, newText, this.isInferred(ref) ? 'probable' : ref.confidence);
  }

  /** Reviews a path an ignore file would have to write above its own folder, where its patterns do not reach. */
  private leavesIgnoreFileFolder(ref: Reference, ignoreFile: IgnoreFile, newText: string): boolean {
    if (newText !== '.' && newText !== '..' && !newText.startsWith('../')) return false;
    this.review.push({
      ...reviewAt(ref),
      reason:
        `${ref.text} would be written ${newText}, outside the folder ${ref.base || '.'} of its ${ignoreFile.name}, ` +
        `whose patterns ${ignoreFile.reader} applies only below it`,
      target: ref.target,
    });
    return true;
  }

  /**
   * A .gitignore pattern with no leading `/` is anchored by a `/` in its middle (`deploy/ca.key`); one rewritten
   * without any (`ca.key`) would match at every depth, so it gets a leading `/`.
   */
  private anchoredIgnorePath(ref: Reference, newText: string): string {
    const read = this.source.readText(ref.from);
    if (!read.ok || read.text[ref.start - 1] === '/') return newText;
    const lineEnd = read.text.slice(ref.end).search(/ *\r?(?:\n|$)/);
    const rest = read.text.slice(ref.end, ref.end + lineEnd).replace(/\/$/, '');
    return newText.includes('/') || rest.includes('/') ? newText : `/${newText}`;
  }

  /** Link text naming a folder whose README its link opens, when the README leaves for another folder (`linkLabels`). */
  private readmeLinkLabels(): Reference[] {
    const labels: Reference[] = [];
    for (const rename of this.renames) {
      if (!FOLDER_README_NAMES.includes(basename(rename.from))) continue;
      const folder = dirname(rename.from);
      for (const link of this.graph.refsInto(rename.from)) {
        if (link.kind !== 'markdown.link' || link.target !== rename.from) continue;
        const label = this.graph
          .refsFrom(link.from)
          .find((ref) => ref.kind === 'markdown.linkText' && ref.target === folder && ref.end <= link.start && link.start - ref.end <= 3);
        const newFolder = dirname(this.newTargetOf(link));
        if (label === undefined || newFolder === this.map.map(folder)) continue;
        this.linkLabels.set(`${label.from}\0${label.start}`, newFolder);
        labels.push(label);
      }
    }
    return labels;
  }

  /** True when the batch's rewrite of `ref` rests on an inference about a dissolved folder, not on a move alone. */
  private isInferred(ref: Reference): boolean {
    if (ref.baseRule === 'fixed' && this.rebasedFolders.has(fileFolderKey(ref.from, ref.base))) return true;
    if (namesBase(ref) && this.rebasedFolders.has(fileFolderKey(ref.from, ref.target))) return true;
    return this.reassembledFolders.has(ref.target) || this.readmeFollower(ref) !== undefined;
  }

  private followsSlash(ref: Reference): boolean {
    const read = this.source.readText(ref.from);
    return read.ok && read.text[ref.start - 1] === '/';
  }

  /**
   * For a reference that names a dissolved folder in a link, prose or a comment, the folder its README moved to, else
   * the new folder all its files went below. A command's argument is none of those: what the command does with
   * another folder is not what it did.
   */
  private readmeFollower(ref: Reference): string | undefined {
    if (!isProse(ref.kind) || ref.glob) return undefined;
    return this.readmeFolders.get(ref.target) ?? this.homeFolders.get(ref.target);
  }

  /**
   * Where a reference's target is after the batch. A folder whose kustomization moves on its own: build-root
   * references follow the kustomization; others do too once the batch empties the folder (it is then the only new
   * path that still means what the reference meant). A link's text naming the folder whose README it opens follows
   * the README.
   */
  private newTargetOf(ref: Reference): string {
    // What an ignore file's pattern ignores is not listed: it goes along only with a folder that moves whole.
    if (ignoreFileOfKind(ref.kind) !== undefined) return this.map.map(ref.target);
    if (ref.output) {
      // The file does not exist yet: it goes wherever its folder goes, also a folder moved file by file.
      const folder = dirname(ref.target);
      return join(this.reassembledFolders.get(folder) ?? this.map.map(folder), basename(ref.target));
    }
    const label = ref.kind === 'markdown.linkText' ? this.linkLabels.get(`${ref.from}\0${ref.start}`) : undefined;
    if (label !== undefined) return label;
    const rebased = namesBase(ref) ? this.rebasedFolders.get(fileFolderKey(ref.from, ref.target)) : undefined;
    if (rebased !== undefined) return rebased;
    const follows = BUILD_ROOT_KINDS.has(ref.kind) || this.dissolvedFolders.has(ref.target);
    const kustomizationFolder = follows ? this.movedKustomizations.get(ref.target) : undefined;
    return (
      kustomizationFolder ??
      this.reassembledFolders.get(ref.target) ??
      this.regroupedFolders.get(ref.target) ??
      this.readmeFollower(ref) ??
      this.map.map(ref.target)
    );
  }

  /** True for a file a command writes (an `output` reference) directly into `folder`, when the batch empties it. */
  private writesInto(ref: Reference, folder: string): boolean {
    return ref.output === true && dirname(ref.target) === folder && this.dissolvedFolders.has(folder);
  }

  private rendersWholeFolder(folder: string): boolean {
    if (this.source.stat(folder) !== 'directory') return false;
    return KUSTOMIZATION_NAMES.every((name) => this.source.stat(join(folder, name)) === undefined);
  }

  private newBaseOf(ref: Reference): { newFrom: string; newBase: string } {
    const newFrom = this.map.map(ref.from);
    if (isRootAbsolute(ref)) return { newFrom, newBase: '' };
    const rebased = ref.baseRule === 'fixed' ? this.rebasedFolders.get(fileFolderKey(ref.from, ref.base)) : undefined;
    if (rebased !== undefined) return { newFrom, newBase: rebased };
    const newBase =
      ref.baseRule === 'referrer'
        ? join(dirname(newFrom), relative(dirname(ref.from), ref.base))
        : this.map.map(ref.base);
    return { newFrom, newBase };
  }

  /** A Markdown destination written `<my notes.md>`, where a space needs no escape. */
  private isAngled(ref: Reference): boolean {
    const read = this.source.readText(ref.from);
    return read.ok && read.text[ref.start - 1] === '<';
  }

  /**
   * A kustomization that names a folder above (or at) its own folder is a cycle to kustomize ("candidate root … contains
   * visited root"): a move that puts a kustomization below a root it references breaks the build, with no path to write.
   */
  private makesKustomizeCycle(ref: Reference, newFrom: string, newTarget: string): boolean {
    if (!KUSTOMIZE_ROOT_KINDS.has(ref.kind) || this.source.stat(ref.target) !== 'directory') return false;
    return isInside(dirname(newFrom), newTarget) && !isInside(dirname(ref.from), ref.target);
  }

  /** A file named by a kustomization must stay inside the kustomization's folder; folders may lie anywhere. */
  private breaksLoadRestrictor(ref: Reference, newFrom: string, newTarget: string): boolean {
    if (!ref.kind.startsWith('kustomize.') || ref.confidence !== 'exact') return false;
    const type = this.source.stat(ref.target);
    if (type !== 'file' && type !== 'symlink') return false;
    return isInside(ref.target, dirname(ref.from)) && !isInside(newTarget, dirname(newFrom));
  }

  /**
   * Resources entries pushed out of their kustomization's folder: a kustomization created at the files' new folder
   * lists them, and each referrer names that folder once (its first such entry is rewritten, the rest deleted).
   */
  planLoadRestrictorWraps(): void {
    const byFolder = new Map<string, Wrap[]>();
    for (const wrap of this.wraps) {
      const folder = dirname(wrap.newTarget);
      const wraps = byFolder.get(folder);
      if (wraps) wraps.push(wrap);
      else byFolder.set(folder, [wrap]);
    }
    for (const [folder, wraps] of byFolder) {
      wraps.sort((a, b) => compare(a.ref.from, b.ref.from) || a.ref.start - b.ref.start);
      const existing = this.kustomizationAfterBatch(folder);
      if (existing !== undefined) {
        for (const { ref, newTarget } of wraps) {
          this.conflicts.push({
            path: ref.from,
            line: ref.line,
            reason:
              `${ref.from}:${ref.line}: resources entry ${ref.text} would name ${newTarget}, outside the ` +
              `kustomization's folder; ${existing} already exists there and referencing it would also render its ` +
              'other resources',
          });
        }
        continue;
      }
      const entries = [...new Set(wraps.map((wrap) => relative(folder, wrap.newTarget)))];
      const path = join(folder, KUSTOMIZATION_NAMES[0]);
      this.creates.push({
        path,
        content: CREATED_KUSTOMIZATION_HEADER + entries.map((entry) => `- ${entry}\n`).join(''),
        reason: `kustomize's load restrictor: ${wraps.map((wrap) => wrap.ref.from).filter(unique).join(', ')} ` +
          `name files moved to ${folder || '.'}, so they reference this folder instead`,
      });
      const seenReferrers = new Set<string>();
      for (const { ref, newBase } of wraps) {
        if (!seenReferrers.has(ref.from)) {
          seenReferrers.add(ref.from);
          this.edit(ref, ref.start, ref.end, rewritePathText(ref.text, newBase, folder));
        } else {
          this.deleteSequenceItem(ref);
        }
      }
    }
  }

  private kustomizationAfterBatch(folder: string): string | undefined {
    for (const name of KUSTOMIZATION_NAMES) {
      const path = join(folder, name);
      if (this.renameTargets.has(path)) return path;
      if (this.source.stat(path) !== undefined && !this.map.moves(path)) return path;
    }
    return undefined;
  }

  /** Deletes a list item: its whole line in a block sequence, or the item and the comma before it in a flow one. */
  private deleteSequenceItem(ref: Reference): void {
    const read = this.source.readText(ref.from);
    if (!read.ok) {
      this.conflicts.push({ path: ref.from, line: ref.line, reason: `${ref.from} cannot be read: ${read.message}` });
      return;
    }
    const text = read.text;
    const quoted = isQuote(text[ref.start - 1]) && text[ref.end] === text[ref.start - 1];
    const itemStart = quoted ? ref.start - 1 : ref.start;
    const itemEnd = quoted ? ref.end + 1 : ref.end;
    const lineStart = new LineIndex(text).lineStart(ref.line);
    const newline = text.indexOf('\n', itemEnd);
    const lineEnd = newline < 0 ? text.length : newline + 1;
    if (/^[ \t]*-[ \t]+$/.test(text.slice(lineStart, itemStart)) && /^[ \t]*(#.*)?\r?\n?$/.test(text.slice(itemEnd, lineEnd))) {
      this.edit(ref, lineStart, lineEnd, '');
      return;
    }
    const comma = previousNonSpace(text, itemStart);
    if (comma >= 0 && text[comma] === ',') {
      this.edit(ref, comma, itemEnd, '');
      return;
    }
    this.conflicts.push({
      path: ref.from,
      line: ref.line,
      reason: `${ref.from}:${ref.line}: cannot remove the resources entry ${ref.text} (not a plain list item)`,
    });
  }

  /**
   * Glob references: the static prefix is rewritten when its folder (or the referrer) moves; a move that takes a
   * file into or out of what the pattern matches is reported for review, since that changes behaviour silently.
   * Globs that are items of one YAML block sequence (`on.push.paths`) are planned together (`planGlobList`), and so is
   * each anchored ignore pattern line on its own (last match wins there, so lines are no union; only lines of one run
   * with the same `!` are); an unquoted shell glob word whose files leave becomes several words (`planGlobWord`).
   */
  planGlobs(): void {
    const listed = new Set<Reference>();
    for (const list of this.globLists()) {
      this.planGlobList(list);
      list.forEach(({ ref }) => listed.add(ref));
    }
    for (const { item, run } of this.ignorePatternLines()) {
      this.planGlobList([item], run);
      listed.add(item.ref);
    }
    for (const ref of this.globs) {
      if (listed.has(ref) || (ref.kind.endsWith('.globWord') && this.planGlobWord(ref))) continue;
      const ignoreFile = ignoreFileOfKind(ref.kind);
      if (ignoreFile !== undefined) {
        this.planIgnoreFileGlob(ref, ignoreFile);
        continue;
      }
      const { prefix, pattern } = splitGlob(ref.text, ref.kind);
      const { newBase } = this.newBaseOf(ref);
      const newTarget = this.globFolderAfter(ref.target);
      if (newBase !== ref.base || newTarget !== ref.target) {
        const confidence = this.reassembledFolders.has(ref.target) ? 'probable' : ref.confidence;
        if (prefix === '') {
          const path = relative(newBase, newTarget);
          if (path !== '.') this.edit(ref, ref.start, ref.start, `${path}/`, confidence);
        } else if (isRootAbsolute(ref) || relative(newBase, newTarget) !== relative(ref.base, ref.target)) {
          this.edit(ref, ref.start, ref.start + prefix.length, rewritePathText(prefix, newBase, newTarget), confidence);
        }
      }
      const what = this.dissolvedFolders.has(ref.target) && !this.reassembledFolders.has(ref.target)
        ? `the glob ${ref.text} matches files below ${ref.target}, which the batch empties into several folders; it is no ` +
          'item of a YAML list that could take more items, so no single rewrite keeps what it matches, and it'
        : `the glob ${ref.text}`;
      this.reviewMembership(ref, newTarget, globMatcher(pattern, matchesFilesOnly(ref.kind)), `${what} would match different files`);
    }
  }

  /**
   * A wildcard pattern of a `.gitignore` or `.dockerignore` over a folder: its folder part follows the folder when it
   * moves whole, carrying the files the pattern ignores (those are not listed, so a folder emptied file by file keeps
   * them, and its pattern is reviewed); files of the batch moving into or out of what it matches are reviewed.
   */
  private planIgnoreFileGlob(ref: Reference, ignoreFile: IgnoreFile): void {
    const { prefix, pattern } = splitGlob(ref.text);
    const newTarget = this.newTargetOf(ref);
    if (newTarget === ref.target && this.dissolvedFolders.has(ref.target)) {
      this.review.push({
        ...reviewAt(ref),
        reason: `${ref.text} matches below ${ref.target}, which the batch empties file by file; the files it ignores stay there`,
        target: ref.target,
      });
      return;
    }
    const { newBase } = this.newBaseOf(ref);
    const newPrefix = rewritePathText(prefix, newBase, newTarget);
    if (newPrefix !== prefix) {
      if (this.leavesIgnoreFileFolder(ref, ignoreFile, newPrefix)) return;
      this.edit(ref, ref.start, ref.start + prefix.length, newPrefix);
    }
    this.reviewMembership(ref, newTarget, globMatcher(pattern), `the pattern ${ref.text} would match different files`);
  }

  /**
   * Where a lone glob's static folder is after the batch: moved, or moved file by file (`reassembledFolders`). Items
   * of a YAML list are described anew from the files they matched instead (`planGlobList`).
   */
  private globFolderAfter(folder: string): string {
    return this.reassembledFolders.get(folder) ?? this.map.map(folder);
  }

  /**
   * Root-relative glob references that are whole items of one YAML block sequence without negated items, grouped by
   * sequence (a glob in a script embedded in the YAML, `run:` or `script:`, is shell text, not an item).
   */
  private globLists(): GlobListItem[][] {
    const refs = this.globs.filter(
      (ref) =>
        YAML_FILE_KINDS.has(this.graph.kindOf(ref.from) ?? '') &&
        !/\.(?:run|script)\./.test(ref.kind) &&
        ref.base === '' &&
        !isRootAbsolute(ref) &&
        !this.map.moves(ref.from),
    );
    return this.adjacentLines(refs, sequenceItemLine, sameSequence).filter((list) => list.every(({ line }) => line.negation === ''));
  }

  /**
   * The references that stand on lines of their own (`lineOf`), by file, in groups of lines side by side that
   * `together` keeps together.
   */
  private adjacentLines(
    refs: readonly Reference[],
    lineOf: (text: string, ref: Reference) => SequenceItemLine | undefined,
    together: (text: string, first: SequenceItemLine, second: SequenceItemLine) => boolean,
  ): GlobListItem[][] {
    const byFile = new Map<string, GlobListItem[]>();
    for (const ref of refs) {
      const read = this.source.readText(ref.from);
      const line = read.ok ? lineOf(read.text, ref) : undefined;
      if (line !== undefined) byFile.set(ref.from, [...(byFile.get(ref.from) ?? []), { ref, line }]);
    }
    const groups: GlobListItem[][] = [];
    for (const [file, items] of byFile) {
      const read = this.source.readText(file);
      if (!read.ok) continue;
      items.sort((a, b) => a.ref.start - b.ref.start);
      let group: GlobListItem[] = [];
      for (const item of items) {
        const last = group[group.length - 1];
        if (last && !together(read.text, last.line, item.line)) {
          groups.push(group);
          group = [];
        }
        group.push(item);
      }
      groups.push(group);
    }
    return groups;
  }

  /**
   * A YAML list of globs matches the union of its items: after the batch it should match the same files at their
   * new places. Prefixes of moved folders are rewritten; files that leave the union get new sibling items that match
   * exactly them (`describeFiles`), after the item that matched them; an item whose folder the batch empties is
   * replaced by those (or deleted when every file it matched is still matched). Files entering the union need review.
   * `alongside`: patterns outside the list that match in union with it (ignore lines of its run), which are not
   * planned here but keep matching what they match: a file they match is neither leaving nor entering.
   */
  private planGlobList(list: readonly GlobListItem[], alongside: readonly GlobListItem[] = []): void {
    const read = this.source.readText(list[0].ref.from);
    if (!read.ok) return;
    const planned = ({ ref, line }: GlobListItem) => {
      const { prefix, pattern } = splitGlob(ref.text);
      const matches = globMatcher(pattern, matchesFilesOnly(ref.kind));
      return { ref, line, prefix, pattern, matches, newTarget: this.map.map(ref.target), dissolved: this.dissolvedFolders.has(ref.target) };
    };
    const items = list.map(planned);
    const others = alongside.map(planned);
    type Item = (typeof items)[number];
    const matchedBy = (path: string, folder: (item: Item) => string, item: Item): boolean =>
      isInside(path, folder(item)) && item.matches(relativeBelow(folder(item), path));
    const before = (path: string): Item | undefined => items.find((item) => matchedBy(path, (i) => i.ref.target, item));
    const after = (path: string): boolean => items.some((item) => !item.dissolved && matchedBy(path, (i) => i.newTarget, item));
    const othersBefore = (path: string): boolean => others.some((item) => matchedBy(path, (i) => i.ref.target, item));
    const keptAfter = (path: string): boolean => after(path) || others.some((item) => !item.dissolved && matchedBy(path, (i) => i.newTarget, item));
    const touching = new Set<Move>();
    for (const item of items) this.renamesTouching(item.ref.target, item.newTarget).forEach((rename) => touching.add(rename));
    const leaving = new Map<Item, string[]>();
    const entering: Move[] = [];
    for (const rename of touching) {
      const matcher = before(rename.from);
      if (matcher && !keptAfter(rename.to)) leaving.set(matcher, [...(leaving.get(matcher) ?? []), rename.to]);
      else if (!matcher && after(rename.to) && !othersBefore(rename.from)) entering.push(rename);
    }
    for (const item of items) {
      const { ref, line } = item;
      const described = this.describeFiles(leaving.get(item) ?? [], item.pattern, keptAfter, matchesFilesOnly(ref.kind));
      // An ignore pattern names a whole folder with a trailing slash.
      const paths = line.anchor === '/' ? described.map((path) => relativeBelow(ref.base, path.replace(/\/\*\*$/, '/'))) : described;
      const outside = described.find((path) => !isInside(path, ref.base));
      if (outside !== undefined) {
        this.review.push({
          ...reviewAt(ref),
          reason: `the pattern ${ref.text} matches files that leave ${ref.base}, where ${ref.from} applies (${outside}): no pattern there can match them`,
          target: ref.target,
        });
        continue;
      }
      if (item.dissolved) {
        if (paths.length === 0) {
          this.editText(ref.from, line.lineStart, line.lineEnd, ref.line, read.text.slice(line.lineStart, line.lineEnd), '', ref.kind, 'probable');
          continue;
        }
        this.editText(ref.from, ref.start, ref.end, ref.line, ref.text, paths[0], ref.kind, 'probable');
        paths.shift();
      } else if (item.newTarget !== ref.target && item.prefix !== '') {
        this.edit(ref, ref.start, ref.start + item.prefix.length, rewritePathText(item.prefix, ref.base, item.newTarget));
      }
      if (paths.length > 0) this.editText(ref.from, line.contentEnd, line.contentEnd, ref.line, '', siblingItems(line, paths), ref.kind, 'probable');
      const arriving = entering.filter((rename) => !item.dissolved && matchedBy(rename.to, (i) => i.newTarget, item));
      if (arriving.length > 0) {
        const sample = arriving.slice(0, 3).map((rename) => `${rename.from} → ${rename.to}`).join(', ');
        this.review.push({
          ...reviewAt(ref),
          reason: `the glob ${ref.text} would match files its list did not match before the batch (${arriving.length} moved: ${sample}${arriving.length > 3 ? ', …' : ''})`,
          target: ref.target,
        });
      }
    }
  }

  /**
   * An unquoted glob word among a command's arguments (`shellcheck infra/k8s/*.sh`) is expanded by the shell into the
   * paths it matches, so several words matching the same files keep the command's meaning: files that leave what it
   * matches get words of their own after it (`dir/*.sh` for a folder whose matching files are exactly those, else
   * the files), and the word itself is replaced when it would match nothing (it would stay a literal argument). False,
   * leaving it to the general glob rule, when no matching file leaves or some file arrives.
   */
  private planGlobWord(ref: Reference): boolean {
    const { prefix, pattern } = splitGlob(ref.text);
    const matches = globMatcher(pattern);
    const { newBase } = this.newBaseOf(ref);
    const newTarget = this.globFolderAfter(ref.target);
    const matchedBefore = (path: string): boolean => isInside(path, ref.target) && matches(relativeBelow(ref.target, path));
    const matchedAfter = (path: string): boolean => isInside(path, newTarget) && matches(relativeBelow(newTarget, path));
    const touching = this.renamesTouching(ref.target, newTarget);
    if (touching.some((rename) => !matchedBefore(rename.from) && matchedAfter(rename.to))) return false;
    const leaving = touching.filter((rename) => matchedBefore(rename.from) && !matchedAfter(rename.to)).map((rename) => rename.to);
    if (leaving.length === 0) return false;
    const lastSegment = pattern.split('/').pop() ?? '';
    // The words keep the glob's style: `./k8s/*.yaml` gets `./k8s/tools/x.yaml`.
    const dotSlash = ref.text.startsWith('./') ? './' : '';
    const words = this.describeByFolder(leaving, lastSegment, matchedAfter).map((path) => {
      const { prefix: folder, pattern: below } = splitGlob(path);
      const relativePath = relative(newBase, below === '' ? path : folder);
      const written = relativePath.startsWith('../') ? relativePath : `${dotSlash}${relativePath}`;
      return below === '' ? written : `${written}/${below}`;
    });
    const keeps = this.filesAfterBatchBelow(newTarget).some(matchedAfter);
    if (!keeps) {
      this.edit(ref, ref.start, ref.end, words.join(' '), 'probable');
      return true;
    }
    if (prefix !== '' && (newBase !== ref.base || newTarget !== ref.target) && relative(newBase, newTarget) !== relative(ref.base, ref.target)) {
      this.edit(ref, ref.start, ref.start + prefix.length, rewritePathText(prefix, newBase, newTarget));
    }
    this.edit(ref, ref.end, ref.end, words.map((word) => ` ${word}`).join(''), 'probable');
    return true;
  }

  /**
   * Anchored ignore patterns (a GitRepository's `spec.ignore`, a `.sourceignore` that stays where it is), each line
   * planned on its own: files leaving what it matches get lines of their own after it, with its `!` (a review item
   * when they leave the folder the patterns apply to), unless another line of its `run` matches them where they go.
   * A run is lines side by side with the same `!`, which match in union whatever lines come after them.
   */
  private ignorePatternLines(): { item: GlobListItem; run: GlobListItem[] }[] {
    const refs = this.globs.filter((ref) => IGNORE_PATTERN_KINDS.has(ref.kind) && !(ref.baseRule === 'referrer' && this.map.moves(ref.from)));
    return this.adjacentLines(refs, ignorePatternLine, samePatternRun).flatMap((run) =>
      run.map((item) => ({ item, run: run.filter((other) => other !== item) })),
    );
  }

  /**
   * Globs and paths that match exactly `files` among the files after the batch, besides what the list matches
   * already (`listed`): the old pattern below the files' common folder when that is exact (`services/**` as
   * `platform/**`); else a folder as `dir/**` when every file below it is one of them, already listed, or created by the batch, the
   * highest such folder; then a folder's files as `dir/<last pattern segment>` when that matches exactly them; the
   * rest one by one. Sorted.
   */
  private describeFiles(files: readonly string[], pattern: string, listed: (path: string) => boolean, filesOnly = false): string[] {
    if (files.length === 0) return [];
    const allowed = new Set([...files, ...this.creates.map((create) => create.path)]);
    const covered = (file: string): boolean => allowed.has(file) || listed(file);
    const common = commonFolder(files.map(dirname));
    if (common !== '' && pattern !== '' && files.length > 1) {
      const matches = globMatcher(pattern, filesOnly);
      const matched = this.filesAfterBatchBelow(common).filter((file) => matches(relativeBelow(common, file)));
      const wanted = new Set(files);
      if (files.every((file) => matches(relativeBelow(common, file))) && matched.every((file) => wanted.has(file) || listed(file))) {
        return [join(common, pattern)];
      }
    }
    const onlyAllowed = (folder: string): boolean => this.filesAfterBatchBelow(folder).every(covered);
    const described: string[] = [];
    const left = new Set(files);
    for (const file of [...files].sort(compare)) {
      if (!left.has(file)) continue;
      let folder = dirname(file);
      if (folder === '' || !onlyAllowed(folder)) continue;
      while (dirname(folder) !== '' && onlyAllowed(dirname(folder))) folder = dirname(folder);
      described.push(`${folder}/**`);
      for (const other of files) if (isInside(other, folder)) left.delete(other);
    }
    described.push(...this.describeByFolder([...left], pattern.split('/').pop() ?? '', listed));
    return described.sort(compare);
  }

  /**
   * `files` folder by folder: `dir/<lastSegment>` when that glob matches exactly the folder's files among them (or
   * already `listed`), else the files one by one. Sorted.
   */
  private describeByFolder(files: readonly string[], lastSegment: string, listed: (path: string) => boolean): string[] {
    const described: string[] = [];
    const wanted = new Set(files);
    const byFolder = new Map<string, string[]>();
    for (const file of files) byFolder.set(dirname(file), [...(byFolder.get(dirname(file)) ?? []), file]);
    for (const [folder, inFolder] of byFolder) {
      if (inFolder.length > 1 && /[*?[{]/.test(lastSegment) && !lastSegment.includes('**')) {
        const segmentMatches = globMatcher(lastSegment);
        const siblings = this.filesAfterBatchBelow(folder).filter((file) => dirname(file) === folder && segmentMatches(basename(file)));
        if (siblings.every((file) => wanted.has(file) || listed(file)) && inFolder.every((file) => siblings.includes(file))) {
          described.push(join(folder, lastSegment));
          continue;
        }
      }
      described.push(...inFolder);
    }
    return described.sort(compare);
  }

  /** The files below `folder` once the batch is done: those that stay, those that arrive, those it creates. */
  private filesAfterBatchBelow(folder: string): string[] {
    if (this.filesAfter === undefined) {
      const leaving = new Set(this.renames.map((rename) => rename.from));
      const staying = this.graph.files().filter((file) => !leaving.has(file));
      this.filesAfter = [...staying, ...this.renames.map((rename) => rename.to), ...this.creates.map((create) => create.path)].sort(compare);
    }
    const sorted = this.filesAfter;
    const prefix = `${folder}/`;
    const below: string[] = [];
    for (let i = lowerBound(sorted, prefix, (file) => file); i < sorted.length && sorted[i].startsWith(prefix); i++) below.push(sorted[i]);
    return below;
  }

  /**
   * Flux/Argo paths to a folder without a kustomization deploy every manifest below it: moved files entering or
   * leaving such a folder change what is deployed without breaking any reference.
   */
  planDirectoryRenders(): void {
    for (const ref of this.directoryRenders) {
      const newTarget = this.map.map(ref.target);
      const what = `${ref.text} deploys every manifest below ${ref.target} (it has no kustomization)`;
      this.reviewMembership(ref, newTarget, () => true, `${what}, so the files it deploys would change`);
      const created = this.creates.find((create) => isInside(create.path, newTarget));
      if (created) {
        this.review.push({
          ...reviewAt(ref),
          reason: `${what}; the batch creates ${created.path} there, which changes how that folder is built`,
          target: ref.target,
        });
      }
    }
  }

  /** References naming a folder the batch empties, with no kustomization to follow: no new path, so review. */
  planDissolvedFolders(): void {
    for (const folder of this.dissolvedFolders) {
      const naming = this.graph
        .refsInto(folder)
        .filter((ref) => ref.target === folder && !ref.glob && ref.kind !== 'symlink' && this.newTargetOf(ref) === folder);
      const writing = this.graph.refsInto(folder).filter((ref) => this.writesInto(ref, folder) && this.newTargetOf(ref) === ref.target);
      if (naming.length === 0 && writing.length === 0) continue;
      const destinations = [
        ...new Set(this.renames.filter((rename) => isInside(rename.from, folder)).map((rename) => dirname(rename.to) || '.')),
      ];
      const goTo = `its files go to ${destinations.slice(0, 3).join(', ')}${destinations.length > 3 ? ', …' : ''}`;
      for (const ref of naming) {
        this.review.push({
          ...reviewAt(ref),
          reason: namesBase(ref)
            ? `${ref.text} names ${folder} as the folder later paths resolve in, and the batch empties it (${goTo}); ` +
              'no path resolved there moves along with a meaning kept, so there is no folder to put in its place'
            : `${ref.text} names ${folder}, which the batch empties (${goTo}); there is no single new path to write`,
          target: folder,
        });
      }
      for (const ref of writing) {
        this.review.push({
          ...reviewAt(ref),
          reason: `${ref.text} names a file written into ${folder}, which the batch empties (${goTo}); there is no single new folder to write`,
          target: folder,
        });
      }
    }
  }

  /** A review item when moved files enter or leave what `matches` selects below the reference's folder. */
  private reviewMembership(ref: Reference, newTarget: string, matches: (path: string) => boolean, what: string): void {
    const changed = this.renamesTouching(ref.target, newTarget).filter((rename) => {
      const inBefore = isInside(rename.from, ref.target);
      const inAfter = isInside(rename.to, newTarget);
      if (!inBefore && !inAfter) return false;
      const pathBefore = inBefore ? relativeBelow(ref.target, rename.from) : undefined;
      const pathAfter = inAfter ? relativeBelow(newTarget, rename.to) : undefined;
      if (pathBefore === pathAfter) return false;
      const before = pathBefore !== undefined && matches(pathBefore);
      const after = pathAfter !== undefined && matches(pathAfter);
      return before !== after;
    });
    if (changed.length === 0) return;
    const sample = changed.slice(0, 3).map((rename) => `${rename.from} → ${rename.to}`).join(', ');
    this.review.push({
      ...reviewAt(ref),
      reason: `${what} after the batch (${changed.length} moved: ${sample}${changed.length > 3 ? ', …' : ''})`,
      target: ref.target,
    });
  }

  /** Renames whose source lies below `before` or whose target lies below `after` (binary search on sorted lists). */
  private renamesTouching(before: string, after: string): readonly Move[] {
    if (before === '' || after === '') return this.renames;
    this.renamesByTarget ??= [...this.renames].sort((a, b) => compare(a.to, b.to));
    const leavingPrefix = `${before}/`;
    const arrivingPrefix = `${after}/`;
    const touching: Move[] = [];
    const bySource = this.renames;
    for (let i = lowerBound(bySource, leavingPrefix, (rename) => rename.from); i < bySource.length; i++) {
      if (!bySource[i].from.startsWith(leavingPrefix)) break;
      touching.push(bySource[i]);
    }
    const byTarget = this.renamesByTarget;
    for (let i = lowerBound(byTarget, arrivingPrefix, (rename) => rename.to); i < byTarget.length; i++) {
      if (!byTarget[i].to.startsWith(arrivingPrefix)) break;
      if (!byTarget[i].from.startsWith(leavingPrefix)) touching.push(byTarget[i]);
    }
    return touching;
  }

  /** Symlinks that move, or whose target moves, get new link text (relative links only). */
  planSymlinks(): void {
    const renamed = new Set(this.renames.map((rename) => rename.from));
    for (const link of this.graph.files()) {
      if (this.graph.kindOf(link) !== 'symlink' && !renamed.has(link)) continue;
      const info = this.source.readSymlink(link);
      if (!info) continue;
      const newLink = this.map.map(link);
      const resolved = info.target ?? join(dirname(link), info.linkText);
      const newResolved = info.target !== undefined ? this.map.map(info.target) : resolved;
      if (newLink === link && newResolved === resolved) continue;
      if (info.linkText.startsWith('/')) {
        if (newResolved !== resolved) {
          this.review.push({
            file: link,
            start: 0,
            end: info.linkText.length,
            line: 1,
            column: 1,
            text: info.linkText,
            kind: 'symlink',
            reason: `the symlink's absolute target moves to ${newResolved}; absolute links are not rewritten`,
            target: resolved,
          });
        }
        continue;
      }
      const linkText = rewritePathText(info.linkText, dirname(newLink), newResolved);
      if (linkText !== info.linkText) this.relinks.push({ path: newLink, linkText });
    }
  }

  private edit(ref: Reference, start: number, end: number, newText: string, confidence = ref.confidence): void {
    const line = start === ref.start ? ref.line : lineOf(this.source, ref.from, start);
    this.editText(ref.from, start, end, line, this.textOf(ref, start, end), newText, ref.kind, confidence);
  }

  private editText(file: string, start: number, end: number, line: number, oldText: string, newText: string, kind: string, confidence: Confidence): void {
    this.edits.push({ file, start, end, line, oldText, newText, kind, confidence });
  }

  private textOf(ref: Reference, start: number, end: number): string {
    if (start === ref.start && end === ref.end) return ref.text;
    if (start >= ref.start && end <= ref.end) return ref.text.slice(start - ref.start, end - ref.start);
    const read = this.source.readText(ref.from);
    return read.ok ? read.text.slice(start, end) : '';
  }
}

/** Review items of the graph whose path overlaps a moved path (either inside the other), or whose file moves. */
function graphReview(graph: ReferenceGraph, moves: readonly Move[], map: MoveMap): ReviewItem[] {
  const ancestorsOfMoved = new Set<string>();
  for (const move of moves) {
    for (const path of [move.from, move.to]) {
      for (let folder = path; folder !== ''; folder = dirname(folder)) ancestorsOfMoved.add(folder);
    }
  }
  const landing = new MoveMap(moves.map((move) => ({ from: move.to, to: move.from })));
  return graph.review().filter((item) => {
    if (item.kind.endsWith('.scriptDepth')) return scriptDepthChanges(item, map);
    // A default path written nowhere (MkDocs' `docs`) matters only when that folder itself moves.
    if (item.kind.endsWith('.default')) return item.target !== undefined && map.moves(item.target) && map.map(item.target) !== item.target;
    if (map.moves(item.file)) return true;
    if (item.target === undefined) return false;
    return item.target === '' || ancestorsOfMoved.has(item.target) || map.moves(item.target) || landing.moves(item.target);
  });
}

/** Kinds read from the repository root first and from the referring file's folder only when that fails. */
const ROOT_FIRST_KIND = /^(?:markdown\.(?:code|linkText|emphasis|tableCell|htmlAttribute|shell)|shell)\.|\.comment$/;

/**
 * A prose or shell path that resolved from its file's folder because nothing of that name was at the root (a code
 * span `services/` in `telemetry-schema/README.md`) is read from the root once the batch puts something there: it
 * would name the new path instead, which no rewrite can prevent, so it needs review.
 */
function shadowedReview(graph: ReferenceGraph, renames: readonly Move[], source: FileSource, map: MoveMap): ReviewItem[] {
  const arriving = new Set<string>();
  for (const rename of renames) {
    for (let path = rename.to; path !== '' && !arriving.has(path) && source.stat(path) === undefined; path = dirname(path)) arriving.add(path);
  }
  if (arriving.size === 0) return [];
  const review: ReviewItem[] = [];
  for (const ref of graph.allRefs()) {
    if (ref.baseRule !== 'referrer' || ref.base === '' || ref.confidence !== 'probable' || !ROOT_FIRST_KIND.test(ref.kind)) continue;
    if (/^(?:\/|\.\.\/)/.test(ref.text) || map.moves(ref.from)) continue;
    const fromRoot = normalize(ref.text);
    if (!arriving.has(fromRoot) || fromRoot === map.map(ref.target)) continue;
    review.push({
      ...reviewAt(ref),
      reason: `${ref.text} names ${ref.target} from ${ref.from}'s folder; after the batch ${fromRoot} exists at the root, which is read first`,
      target: ref.target,
    });
  }
  return review;
}

/**
 * Whether a script whose variable names a folder `k` levels above it by `dirname` alone (a `.scriptDepth` item) moves
 * to where `k` levels up is no longer that folder (or the place it moves to).
 */
function scriptDepthChanges(item: ReviewItem, map: MoveMap): boolean {
  if (item.target === undefined || !map.moves(item.file)) return false;
  let oldFolder = dirname(item.file);
  let newFolder = dirname(map.map(item.file));
  while (oldFolder !== item.target) {
    if (oldFolder === '') return true;
    oldFolder = dirname(oldFolder);
    newFolder = newFolder === '' ? '..' : dirname(newFolder);
  }
  return newFolder !== map.map(item.target);
}

function problemsOf(graph: ReferenceGraph, edits: readonly TextEdit[], renames: readonly Move[]): Problem[] {
  const touched = new Set<string>([...edits.map((edit) => edit.file), ...renames.map((rename) => rename.from)]);
  return graph.problems().filter((problem) => touched.has(problem.file));
}

/** An edit in a file that could not be parsed could land anywhere: the batch stops instead. */
function problemConflicts(problems: readonly Problem[], edits: readonly TextEdit[]): Conflict[] {
  const edited = new Set(edits.map((edit) => edit.file));
  return problems
    .filter((problem) => problem.severity === 'error' && edited.has(problem.file))
    .map((problem) => ({
      path: problem.file,
      line: problem.line,
      reason: `${problem.file}:${problem.line}: needs an edit but cannot be parsed: ${problem.message}`,
    }));
}

/**
 * A file that could not be parsed yields no references, so the batch cannot tell what it would have to rewrite there.
 * Read as free text, the words that name workspace paths tell: when one names a path the batch moves, or the file
 * itself moves while a word names a path beside it, the batch stops rather than leave the file naming old places.
 */
function unparsedFileConflicts(graph: ReferenceGraph, source: FileSource, map: MoveMap, edits: readonly TextEdit[]): Conflict[] {
  const edited = new Set(edits.map((edit) => edit.file));
  const firstError = new Map<string, Problem>();
  for (const problem of graph.problems()) {
    if (problem.severity === 'error' && !edited.has(problem.file) && !firstError.has(problem.file)) firstError.set(problem.file, problem);
  }
  const conflicts: Conflict[] = [];
  for (const [file, problem] of firstError) {
    const read = source.readText(file);
    if (!read.ok) continue;
    const moves = map.moves(file);
    const words = extractPlainText({ path: file, text: read.text, kind: 'other' }, source).refs;
    const named = words.find((word) => map.moves(word.target) || (moves && word.baseRule === 'referrer'));
    if (named === undefined) continue;
    const why = map.moves(named.target) ? `names ${named.text}, which the batch moves` : `moves, and names ${named.text} beside it`;
    conflicts.push({
      path: file,
      line: problem.line,
      reason: `${file}:${problem.line}: cannot be parsed (${problem.message}) and ${why} (line ${named.line}): fix the file first`,
    });
  }
  return conflicts;
}

function dedupeEdits(edits: readonly TextEdit[]): TextEdit[] {
  const byRange = new Map<string, TextEdit>();
  for (const edit of edits) {
    const key = `${edit.file}\0${edit.start}\0${edit.end}\0${edit.newText}`;
    if (!byRange.has(key)) byRange.set(key, edit);
  }
  return [...byRange.values()].sort((a, b) => compare(a.file, b.file) || a.start - b.start || a.end - b.end);
}

/** Edits are sorted by file and start here. */
function overlapConflicts(edits: readonly TextEdit[]): Conflict[] {
  const conflicts: Conflict[] = [];
  for (let i = 1; i < edits.length; i++) {
    const previous = edits[i - 1];
    const edit = edits[i];
    if (previous.file === edit.file && (previous.end > edit.start || (previous.start === edit.start && previous.end === edit.start))) {
      conflicts.push({
        path: edit.file,
        line: edit.line,
        reason: `${edit.file}:${edit.line}: two rewrites of overlapping text (${JSON.stringify(previous.newText)} and ${JSON.stringify(edit.newText)})`,
      });
    }
  }
  return conflicts;
}

function dedupeReview(items: readonly ReviewItem[]): ReviewItem[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = `${item.file}\0${item.start}\0${item.end}\0${item.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** How many of `paths` lie below each folder (the root excluded). */
function countByFolder(paths: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const path of paths) {
    for (let folder = dirname(path); folder !== ''; folder = dirname(folder)) counts.set(folder, (counts.get(folder) ?? 0) + 1);
  }
  return counts;
}

/** True for a reference after which paths in its file resolve in the folder it names (`cd`, variable, working directory). */
function namesBase(ref: Reference): boolean {
  return ref.namesBase === true || WORKING_DIRECTORY_KINDS.has(ref.kind);
}

/** Kinds found in documents and comments, which describe a folder rather than act on it. */
function isProse(kind: string): boolean {
  if (kind.endsWith('.comment') || kind.startsWith('text.')) return true;
  return kind.startsWith('markdown.') && !kind.startsWith('markdown.shell.') && kind !== 'markdown.tree';
}

function fileFolderKey(file: string, folder: string): string {
  return `${file}\0${folder}`;
}

function reviewKey(item: ReviewItem): string {
  return `${item.file}\0${item.start}\0${item.end}`;
}

/**
 * The base a templated path's plain static folder was resolved against, read off its target
 * (`infrastructure/k8s` for `overlays/` naming `infrastructure/k8s/overlays`); none when the folder climbs (`../x/`).
 */
function derivedBase(template: TemplatedPath, target: string): string[] {
  const folder = normalize(template.staticText);
  if (template.staticText !== `${folder}/`) return [];
  if (target === folder) return [''];
  return target.endsWith(`/${folder}`) ? [target.slice(0, target.length - folder.length - 1)] : [];
}

/** The location part of a review item about a reference. */
function reviewAt(ref: Reference): Omit<ReviewItem, 'reason'> {
  return { file: ref.from, start: ref.start, end: ref.end, line: ref.line, column: ref.column, text: ref.text, kind: ref.kind };
}

function isRootAbsolute(ref: Reference): boolean {
  return ref.base === '' && ref.text.startsWith('/');
}

/** `path` relative to `folder` when it lies inside it (`''` for the folder itself). */
function relativeBelow(folder: string, path: string): string {
  return folder === '' ? path : path.slice(folder.length + 1);
}

function lineOf(source: FileSource, file: string, offset: number): number {
  const read = source.readText(file);
  return read.ok ? new LineIndex(read.text).position(offset).line : 1;
}

function previousNonSpace(text: string, offset: number): number {
  let i = offset - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  return i;
}

function isQuote(character: string | undefined): boolean {
  return character === '"' || character === "'";
}

function unique<T>(value: T, index: number, values: readonly T[]): boolean {
  return values.indexOf(value) === index;
}

/** The first index whose key is not below `value`, in an array sorted by that key. */
function lowerBound<T>(sorted: readonly T[], value: string, key: (item: T) => string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (key(sorted[mid]) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Where a folder is after the batch when every file leaving it (`leaving`, renames from below it and possibly others)
 * keeps its path below it under one new folder: `signoz/dashboards/a.json` and `signoz/import.sh` to
 * `monitoring/signoz/…` is `signoz` moved to `monitoring/signoz`, file by file. Undefined when none leaves or they
 * part ways.
 */
function movedWholeDestination(folder: string, leaving: readonly Move[]): string | undefined {
  let destination: string | undefined;
  for (const rename of leaving) {
    if (!isInside(rename.from, folder) || rename.from === folder) continue;
    const below = relativeBelow(folder, rename.from);
    if (!rename.to.endsWith(`/${below}`)) return undefined;
    const candidate = rename.to.slice(0, rename.to.length - below.length - 1);
    if (destination === undefined) destination = candidate;
    else if (destination !== candidate) return undefined;
  }
  return destination;
}

/**
 * Where a dissolved folder went when its contents went together: every file below it lies in a subfolder, and each
 * subfolder's files land below one folder of the same name, all of those side by side in one destination
 * (`overlays/dev/…` and `overlays/prod/patches/…` to `environments/dev/…` and `environments/prod/…`: `overlays` is
 * now `environments`). Undefined when no such single destination exists (a file directly in the folder, a
 * subfolder split up or renamed, destinations in different places).
 */
function regroupedDestination(folder: string, renames: readonly Move[]): string | undefined {
  let destination: string | undefined;
  for (const rename of renames) {
    if (!isInside(rename.from, folder) || rename.from === folder) continue;
    const below = rename.from.slice(folder.length + 1);
    const child = below.split('/')[0];
    if (child === below) return undefined;
    let named = dirname(rename.to);
    while (named !== '' && basename(named) !== child) named = dirname(named);
    if (named === '') return undefined;
    const candidate = dirname(named);
    if (destination === undefined) destination = candidate;
    else if (destination !== candidate) return undefined;
  }
  return destination !== undefined && destination !== '' && !isInside(destination, folder) ? destination : undefined;
}
