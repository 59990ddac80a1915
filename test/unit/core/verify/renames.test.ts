import { strict as assert } from 'node:assert';
import { RenameMap } from '../../../../src/core/verify/renames';

describe('verify/renames', () => {
  const renames = [
    { from: 'base/web/deployment.yaml', to: 'apps/web/deployment.yaml' },
    { from: 'base/web/kustomization.yaml', to: 'apps/web/kustomization.yaml' },
    { from: 'docs/old.md', to: 'docs/new.md' },
  ];

  it('maps renamed files exactly and leaves the rest alone', () => {
    const map = new RenameMap(renames);
    assert.equal(map.map('base/web/deployment.yaml'), 'apps/web/deployment.yaml');
    assert.equal(map.map('docs/old.md'), 'docs/new.md');
    assert.equal(map.map('base/other.yaml'), 'base/other.yaml');
    assert.equal(map.isEmpty, false);
    assert.equal(new RenameMap([]).isEmpty, true);
  });

  it('infers a whole-folder move only for folders that no longer exist', () => {
    const gone = new RenameMap(renames, (folder) => folder === 'base' || folder === 'docs');
    assert.equal(gone.map('base/web/missing.yaml'), 'apps/web/missing.yaml');
    // `base` still exists, so a path directly below it did not move.
    assert.equal(gone.map('base/missing.yaml'), 'base/missing.yaml');
    // `docs/old.md` → `docs/new.md` implies no folder move.
    assert.equal(gone.map('docs/missing.md'), 'docs/missing.md');
    const stillThere = new RenameMap(renames, () => true);
    assert.equal(stillThere.map('base/web/missing.yaml'), 'base/web/missing.yaml');
  });

  it('infers nothing for a folder whose files went to different places', () => {
    const split = new RenameMap(
      [
        { from: 'a/x.yaml', to: 'b/x.yaml' },
        { from: 'a/y.yaml', to: 'c/y.yaml' },
      ],
      () => false,
    );
    assert.equal(split.map('a/z.yaml'), 'a/z.yaml');
  });
});
