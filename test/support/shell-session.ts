import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What one script printed, and the HTTP statuses of the curl calls it made, in order. */
export interface ScriptRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly statuses: number[];
  /** The exit status of its last command. */
  readonly exitStatus: number;
}

/** A script left running in the background: its process group, and where its output goes. */
export interface BackgroundScript {
  readonly pid: number;
  output(): string;
}

const STATUS_LINE = /^readme-test-status (\d{3})$/gm;

/**
 * One bash process that scripts are sourced into one after another, as a person pastes commands
 * into one terminal: variables set by one are there for the next. Its curl reports the HTTP status
 * of every answer on stderr, through a `.curlrc` in `CURL_HOME` (the commands themselves are run
 * as given); HOME is the session's directory, so no personal configuration takes part.
 */
export class ShellSession {
  private stdout = '';
  private stderr = '';
  private runs = 0;
  private readonly scripts: string;
  private readonly bash: ChildProcess;
  private waiter?: () => void;

  /** `prelude` runs first (shell functions standing in for what the test replaces). */
  constructor(
    readonly dir: string,
    prelude = '',
  ) {
    this.scripts = join(dir, '.readme-test');
    mkdirSync(this.scripts, { recursive: true });
    writeFileSync(join(dir, '.curlrc'), 'write-out = "%{stderr}readme-test-status %{http_code}\\n"\n');
    this.bash = spawn('bash', ['--noprofile', '--norc'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, CURL_HOME: dir, XDG_CONFIG_HOME: dir, LANG: 'C.UTF-8' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.bash.stdout!.on('data', (d: Buffer) => this.received(() => (this.stdout += d.toString())));
    this.bash.stderr!.on('data', (d: Buffer) => this.received(() => (this.stderr += d.toString())));
    // As in a terminal: aliases are expanded, and (job control) a background script gets a
    // process group of its own, which ends it as a whole.
    this.bash.stdin!.write(`shopt -s expand_aliases\nset -m\n${prelude}\n`);
  }

  /** Sources `script` and waits until it is done, for at most `timeoutMs`. */
  async run(script: string, timeoutMs = 30_000): Promise<ScriptRun> {
    const n = ++this.runs;
    const file = join(this.scripts, `${n}.sh`);
    writeFileSync(file, script);
    const done = `readme-test-done-${n}`;
    const outFrom = this.stdout.length;
    const errFrom = this.stderr.length;
    this.bash.stdin!.write(`source ${file}; printf '\\n${done} %d\\n' $?; printf '${done}\\n' >&2\n`);
    const finished = new RegExp(`\\n${done} (\\d+)\\n`);
    await this.until(() => finished.test(this.stdout.slice(outFrom)) && this.stderr.includes(`${done}\n`, errFrom), timeoutMs, `${file} to finish`);
    const out = this.stdout.slice(outFrom);
    const match = finished.exec(out)!;
    const stderr = this.stderr.slice(errFrom, this.stderr.indexOf(`${done}\n`, errFrom));
    return {
      stdout: out.slice(0, match.index),
      stderr,
      statuses: [...stderr.matchAll(STATUS_LINE)].map((m) => Number(m[1])),
      exitStatus: Number(match[1]),
    };
  }

  /** Starts `script` in the background, in the session (with its variables), output to a file. */
  async background(script: string): Promise<BackgroundScript> {
    const n = ++this.runs;
    const file = join(this.scripts, `${n}.sh`);
    const output = join(this.scripts, `${n}.out`);
    writeFileSync(file, script);
    const { stdout } = await this.run(`(source ${file}) >${output} 2>${output}.err &\necho "$!"\n`);
    return { pid: Number(stdout.trim()), output: () => readFileSync(output, 'utf8') };
  }

  /** The value of a shell variable. */
  async value(name: string): Promise<string> {
    return (await this.run(`printf '%s' "$${name}"\n`)).stdout;
  }

  /** Ends a background script's process group, then the shell. */
  async close(background: readonly BackgroundScript[] = []): Promise<void> {
    for (const { pid } of background) {
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        // it ended by itself
      }
    }
    if (this.bash.exitCode !== null) return;
    const exited = new Promise((resolve) => this.bash.once('exit', resolve));
    this.bash.stdin!.end('exit\n');
    await exited;
  }

  private received(append: () => void): void {
    append();
    this.waiter?.();
  }

  private async until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (this.bash.exitCode !== null) throw new Error(`The shell exited while waiting for ${what}:\n${this.stderr.slice(-2000)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`Timed out waiting for ${what}; the shell said:\n${this.stdout.slice(-2000)}\n${this.stderr.slice(-2000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
