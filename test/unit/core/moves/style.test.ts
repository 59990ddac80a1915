import { strict as assert } from 'node:assert';
import { rewritePathText } from '../../../../src/core/moves/style';

describe('rewritePathText', () => {
  const cases: [string, string, string, string][] = [
    ['deploy.yaml', 'app', 'app/sub/deploy.yaml', 'sub/deploy.yaml'],
    ['./deploy.yaml', 'app', 'app/sub/deploy.yaml', './sub/deploy.yaml'],
    ['./deploy.yaml', 'app', 'shared/deploy.yaml', '../shared/deploy.yaml'],
    ['../base/', 'overlays/prod', 'base', '../../base/'],
    ['../base', 'overlays', 'overlays/base', 'base'],
    ['/apps/a.md', '', 'services/a.md', '/services/a.md'],
    ['/apps/', '', 'services', '/services/'],
    ['/apps', '', '', '/'],
    ['deploy', 'deploy', 'deploy', '.'],
    ['deploy/', 'deploy', 'deploy', './'],
    ['.', '', 'deploy', 'deploy'],
    ['./', '', 'deploy', './deploy/'],
  ];
  for (const [oldText, base, target, expected] of cases) {
    it(`${oldText} → ${expected} (base ${base || "''"}, target ${target || "''"})`, () => {
      assert.equal(rewritePathText(oldText, base, target), expected);
    });
  }
});
