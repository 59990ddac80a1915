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
    assert.equal(gone.map('base/web'), 'apps/web');
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

  it('infers a folder moved file by file only when every file below it keeps its path under one folder, as the planner does', () => {
    const signoz = [
      { from: 'infra/signoz/import.sh', to: 'infra/monitoring/signoz/import.sh' },
      { from: 'infra/signoz/dashboards/a.json', to: 'infra/monitoring/signoz/dashboards/a.json' },
    ];
    const whole = new RenameMap(signoz, (folder) => folder === 'infra');
    assert.equal(whole.map('infra/signoz/alerts/rules.yaml'), 'infra/monitoring/signoz/alerts/rules.yaml');
    // One file deeper down lands elsewhere: `infra/signoz` did not move whole, though `dashboards` did.
    const parted = new RenameMap([...signoz, { from: 'infra/signoz/extra/tool.sh', to: 'infra/scripts/tool.sh' }], (folder) => folder === 'infra');
    assert.equal(parted.map('infra/signoz/alerts/rules.yaml'), 'infra/signoz/alerts/rules.yaml');
    assert.equal(parted.map('infra/signoz/dashboards/b.json'), 'infra/monitoring/signoz/dashboards/b.json');
  });

  it('rewrites moved paths written in text, file paths before their folders, whole names only', () => {
    const map = new RenameMap(renames, (folder) => folder === 'base' || folder === 'docs');
    assert.equal(
      map.rewriteText('cd base/web && kubectl apply -f base/web/deployment.yaml; cat docs/old.md docs/old.mdx mybase/web'),
      'cd apps/web && kubectl apply -f apps/web/deployment.yaml; cat docs/new.md docs/old.mdx mybase/web',
    );
    assert.equal(map.rewriteText('$(workspaces.src.path)/base/web/kustomization.yaml'), '$(workspaces.src.path)/apps/web/kustomization.yaml');
    assert.equal(new RenameMap([]).rewriteText('base/web'), 'base/web');
  });
});
