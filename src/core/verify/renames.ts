import type { Move } from '../types';
import { basename, dirname, movePath, normalize } from '../paths';

/**
 * Maps paths as they were before an apply to where they are after it, given the apply's renames.
 * Renames are usually file-level (folder moves expanded). A folder is taken to have moved whole when every renamed
 * file below it kept its path below it under one new folder and the folder no longer exists (the planner's rule for
 * a folder moved file by file), so that a path which never existed (a broken reference's target) below a moved
 * folder follows the folder.
 */
export class RenameMap {
  private readonly files = new Map<string, string>();
  private readonly folders = new Map<string, string>();
  private pattern: RegExp | null | undefined;

  /** `folderExists` tells whether a folder exists after the apply; without it no folder move is inferred. */
  constructor(renames: readonly Move[], folderExists?: (folder: string) => boolean) {
    for (const rename of renames) this.files.set(normalize(rename.from), normalize(rename.to));
    if (folderExists) this.inferFolderMoves(folderExists);
  }

  /** True when there is nothing to map. */
  get isEmpty(): boolean {
    return this.files.size === 0;
  }

  /** Where `path` is after the renames; `path` itself when it did not move. */
  map(path: string): string {
    const exact = this.files.get(path);
    if (exact !== undefined) return exact;
    for (let folder = path; folder !== ''; folder = dirname(folder)) {
      const to = this.folders.get(folder);
      if (to !== undefined) return movePath(path, folder, to) ?? path;
    }
    return path;
  }

  /** Where the renamed files that were below `folder` are now (none when no file left it). */
  destinationsBelow(folder: string): string[] {
    const prefix = `${folder}/`;
    return [...this.files].filter(([from]) => folder === '' || from.startsWith(prefix)).map(([, to]) => to);
  }

  /**
   * Rewrites every moved path written out in `text` (a file or folder path, root-relative, not part of a longer name)
   * to where it is now: what a reference rewrite does to paths inside rendered content, such as a script in a Task.
   */
  rewriteText(text: string): string {
    this.pattern ??= this.buildPattern();
    if (this.pattern === null) return text;
    return text.replace(this.pattern, (path) => this.files.get(path) ?? this.folders.get(path) ?? path);
  }

  private buildPattern(): RegExp | null {
    const paths = [...this.files.keys(), ...this.folders.keys()].filter((path) => path !== '');
    if (paths.length === 0) return null;
    // Longest first, so that a file path wins over the folder that contains it.
    const alternatives = paths.sort((a, b) => b.length - a.length).map((path) => path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    return new RegExp(`(?<![A-Za-z0-9_.-])(?:${alternatives.join('|')})(?![A-Za-z0-9_.-])`, 'g');
  }

  private inferFolderMoves(folderExists: (folder: string) => boolean): void {
    const candidates = new Map<string, string | null>();
    for (const [from, to] of this.files) {
      // While the trailing segments agree, each pair of parent folders is a folder move this rename is consistent with.
      let fromPath = from;
      let toPath = to;
      while (basename(fromPath) === basename(toPath) && dirname(fromPath) !== '' && dirname(toPath) !== '') {
        fromPath = dirname(fromPath);
        toPath = dirname(toPath);
        const known = candidates.get(fromPath);
        if (known === undefined) candidates.set(fromPath, toPath);
        else if (known !== toPath) candidates.set(fromPath, null);
      }
      // Above that, the file did not keep its path below the folder: no folder there moved whole (the planner's rule).
      for (let folder = dirname(fromPath); folder !== ''; folder = dirname(folder)) candidates.set(folder, null);
    }
    for (const [from, to] of candidates) {
      if (to !== null && from !== to && !folderExists(from)) this.folders.set(from, to);
    }
  }
}
