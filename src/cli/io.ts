/** What a CLI run talks to; `runCli` takes it so tests can run the CLI in-process. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Where a confirmation answer is read from. */
  stdin: NodeJS.ReadableStream;
  /** Whether a person is there to answer a question. */
  isTTY: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** Exit statuses of the CLI contract. */
export const EXIT_OK = 0;
/** Conflicts (nothing written) or verification failed. */
export const EXIT_FAILED = 1;
/** Bad arguments or unreadable input. */
export const EXIT_USAGE = 2;

/** Writes a line to stdout. */
export function out(io: CliIo, line = ''): void {
  io.stdout.write(line + '\n');
}

/** Writes a line to stderr. */
export function err(io: CliIo, line: string): void {
  io.stderr.write(line + '\n');
}

/** Prints one JSON document on stdout. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** Asks a yes/no question on stderr and reads one line from stdin; only `y`/`yes` is yes. */
export function confirm(io: CliIo, question: string): Promise<boolean> {
  io.stderr.write(`${question} [y/N] `);
  return new Promise((resolve) => {
    let answer = '';
    const finish = (): void => {
      io.stdin.off('data', onData);
      io.stdin.off('end', finish);
      io.stdin.off('error', finish);
      io.stdin.pause();
      resolve(/^\s*y(es)?\s*$/i.test(answer));
    };
    const onData = (chunk: Buffer | string): void => {
      answer += chunk.toString();
      const newline = answer.indexOf('\n');
      if (newline >= 0) {
        answer = answer.slice(0, newline);
        finish();
      }
    };
    io.stdin.on('data', onData);
    io.stdin.once('end', finish);
    io.stdin.once('error', finish);
    io.stdin.resume();
  });
}

/** `1 rename`, `2 renames`. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
