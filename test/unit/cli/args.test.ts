import { strict as assert } from 'node:assert';
import { booleanFlag, parseArgs, stringFlag, UsageError, type CommandSpec } from '../../../src/cli/args';

const COMMANDS: CommandSpec[] = [
  { name: 'move', flags: { yes: 'boolean', moves: 'string', json: 'boolean' }, positionals: ['FROM?', 'TO?'] },
  { name: 'refs', flags: { json: 'boolean' }, positionals: ['FILE?'] },
  { name: 'verify', flags: { baseline: 'string' }, positionals: [] },
];

describe('cli/args', () => {
  it('reads the command, global flags anywhere, command flags and positionals', () => {
    const args = parseArgs(['--root', 'repo', 'move', 'a', '--yes', 'b', '--moves=m.json'], COMMANDS);
    assert.equal(args.command, 'move');
    assert.equal(args.root, 'repo');
    assert.deepEqual(args.positionals, ['a', 'b']);
    assert.equal(booleanFlag(args, 'yes'), true);
    assert.equal(booleanFlag(args, 'json'), false);
    assert.equal(stringFlag(args, 'moves'), 'm.json');
    assert.equal(parseArgs(['refs', '--root=x'], COMMANDS).root, 'x');
  });

  it('treats everything after -- as positionals and knows -h, -V and -y', () => {
    const args = parseArgs(['move', '-y', '--', '--odd', 'b'], COMMANDS);
    assert.deepEqual(args.positionals, ['--odd', 'b']);
    assert.equal(booleanFlag(args, 'yes'), true);
    assert.equal(parseArgs(['-h'], COMMANDS).help, true);
    assert.equal(parseArgs(['-V'], COMMANDS).version, true);
    assert.equal(parseArgs([], COMMANDS).command, undefined);
  });

  it('names the problem in every usage error', () => {
    const cases: [string[], RegExp][] = [
      [['deploy'], /unknown command 'deploy' \(commands: move, refs, verify\)/],
      [['refs', '--yes'], /unknown flag --yes for 'refs'/],
      [['--json', 'refs'], /unknown flag --json$/],
      [['verify', '--baseline'], /flag --baseline needs a value/],
      [['verify', '--baseline='], /needs a non-empty value/],
      [['refs', '--json=1'], /flag --json takes no value/],
      [['refs', '--json', '--json'], /given twice/],
      [['refs', 'a', 'b'], /unexpected argument 'b' for 'refs'/],
      [['refs', '-x'], /unknown flag -x/],
    ];
    for (const [argv, message] of cases) {
      assert.throws(() => parseArgs(argv, COMMANDS), (error: unknown) => error instanceof UsageError && message.test(error.message), argv.join(' '));
    }
  });

  it('does not check positionals when help is asked for', () => {
    assert.equal(parseArgs(['refs', 'a', 'b', '--help'], COMMANDS).help, true);
  });
});
