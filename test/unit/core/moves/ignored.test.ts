import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DiskFileSource, MemoryFileSource, OverlayFileSource } from '../../../../src/core/inventory/source';
import { ignoredTargetConflicts } from '../../../../src/core/moves/ignored';

describe('ignoredTargetConflicts', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'relayout-ignored-'));
    const files: Record<string, string> = {
      '.gitignore': '# local output\nbuild/\n*.tmp\n',
      'apps/.gitignore': 'secrets/\n!notes.tmp\n',
      'apps/web/deploy.yaml': 'kind: Deployment\n',
      'apps/web/notes.txt': 'n\n',
      'legacy/old.yaml': 'x: 1\n',
    };
    for (const [file, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), content);
    }
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('names the .gitignore, line and pattern of a destination below an ignored folder', () => {
    const conflicts = ignoredTargetConflicts([{ from: 'apps/web/deploy.yaml', to: 'build/web/deploy.yaml' }], new DiskFileSource(root));
    assert.deepEqual(conflicts, [
      {
        path: 'build/web/deploy.yaml',
        reason: 'cannot move apps/web/deploy.yaml to build/web/deploy.yaml: build/web/deploy.yaml is ignored by .gitignore (line 2: build/)',
      },
    ]);
  });

  it('uses the nearest .gitignore, and its negations bring a name back', () => {
    const source = new DiskFileSource(root);
    const conflicts = ignoredTargetConflicts(
      [
        { from: 'apps/web/deploy.yaml', to: 'apps/secrets/deploy.yaml' },
        { from: 'apps/web/notes.txt', to: 'apps/notes.tmp' },
        { from: 'legacy/old.yaml', to: 'old.tmp' },
      ],
      source,
    );
    assert.deepEqual(conflicts, [
      {
        path: 'apps/secrets/deploy.yaml',
        reason: 'cannot move apps/web/deploy.yaml to apps/secrets/deploy.yaml: apps/secrets/deploy.yaml is ignored by apps/.gitignore (line 1: secrets/)',
      },
      { path: 'old.tmp', reason: 'cannot move legacy/old.yaml to old.tmp: old.tmp is ignored by .gitignore (line 3: *.tmp)' },
    ]);
  });

  it('names the exclude pattern of a destination the plan excludes', () => {
    const source = new DiskFileSource(root, { exclude: ['/legacy/'] });
    assert.deepEqual(ignoredTargetConflicts([{ from: 'apps/web/notes.txt', to: 'legacy/notes.txt' }], source), [
      { path: 'legacy/notes.txt', reason: 'cannot move apps/web/notes.txt to legacy/notes.txt: legacy/notes.txt is excluded by relayout.exclude (/legacy/)' },
    ]);
  });

  it('says once per rule what a folder moved into an ignored place would lose', () => {
    const conflicts = ignoredTargetConflicts(
      [
        { from: 'apps/web/deploy.yaml', to: 'build/web/deploy.yaml' },
        { from: 'apps/web/notes.txt', to: 'build/web/notes.txt' },
        { from: 'legacy/old.yaml', to: 'build/web/old.yaml' },
        { from: 'apps/web/x.yaml', to: 'web/x.tmp' },
      ],
      new DiskFileSource(root),
    );
    assert.deepEqual(conflicts.map((conflict) => conflict.reason), [
      'cannot move apps/web/deploy.yaml to build/web/deploy.yaml: build/web/deploy.yaml is ignored by .gitignore (line 2: build/), as are the destinations of 2 more files of the batch',
      'cannot move apps/web/x.yaml to web/x.tmp: web/x.tmp is ignored by .gitignore (line 3: *.tmp)',
    ]);
  });

  it('finds nothing for destinations no rule ignores, through an overlay too', () => {
    const source = new OverlayFileSource(new DiskFileSource(root), () => undefined);
    assert.deepEqual(ignoredTargetConflicts([{ from: 'apps/web/deploy.yaml', to: 'platform/web/deploy.yaml' }], source), []);
  });

  it('finds nothing when the source applies no ignore rules', () => {
    const source = new MemoryFileSource({ '.gitignore': 'build/\n', 'a.yaml': '' });
    assert.deepEqual(ignoredTargetConflicts([{ from: 'a.yaml', to: 'build/a.yaml' }], source), []);
  });
});
