/*
 * The README's example session, read as a test reads it. Every ```sh block is preceded by a
 * marker saying what running it must give, or why it is not run:
 *
 *   <!-- readme-test: <step name>; expect 201 200 -->       the HTTP statuses of its curl calls, in order
 *   <!-- readme-test: <step name>; expect 200; eventually --> repeated until it gives that (a reading arriving)
 *   <!-- readme-test: <step name>; background -->           left running (a stream) while the next steps run
 *   <!-- readme-test: <step name>; not run: <reason> -->    needs what a test does not have
 *
 * A block without `expect` makes no HTTP calls. Example outputs shown in a block as comments are
 * checked against what the block printed (see `shownOutputs`).
 */

export interface ReadmeStep {
  readonly name: string;
  /** The shell commands, as the README shows them. */
  readonly script: string;
  /** 1-based line of the block's first command in README.md. */
  readonly line: number;
  readonly expectedStatuses: readonly number[];
  readonly eventually: boolean;
  readonly background: boolean;
  /** Why the block is not run, when it is not. */
  readonly notRun?: string;
}

const MARKER = /^<!--\s*readme-test:\s*(.*?)\s*-->$/;
const SH_FENCE = /^```(sh|bash|shell)\s*$/;

/** The ```sh blocks of a README in document order; throws on a block without a marker right above it, or a marker without a block. */
export function readmeSteps(readme: string): ReadmeStep[] {
  const lines = readme.split('\n');
  const steps: ReadmeStep[] = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = MARKER.exec(lines[i]);
    if (marker && !SH_FENCE.test(lines[i + 1] ?? '')) throw new Error(`README.md:${i + 1}: a readme-test marker not right above an sh block`);
    if (!SH_FENCE.test(lines[i])) continue;
    const above = MARKER.exec(lines[i - 1] ?? '');
    if (!above) throw new Error(`README.md:${i + 1}: an sh block without a readme-test marker right above it (say what it must give, or why it is not run)`);
    const end = lines.indexOf('```', i + 1);
    if (end < 0) throw new Error(`README.md:${i + 1}: an sh block that is not closed`);
    steps.push({ ...parseMarker(above[1], i), script: lines.slice(i + 1, end).join('\n') + '\n', line: i + 2 });
    i = end;
  }
  return steps;
}

function parseMarker(text: string, line: number): Omit<ReadmeStep, 'script' | 'line'> {
  // The reason a block is not run is the rest of the marker, semicolons and all.
  const notRunMatch = /^(.*?);\s*not run:(.*)$/.exec(text);
  const [head, reason] = notRunMatch ? [notRunMatch[1], notRunMatch[2]] : [text, undefined];
  const [name, ...options] = head.split(';').map((part) => part.trim());
  if (!name) throw new Error(`README.md:${line}: a readme-test marker without a step name`);
  if (reason !== undefined && !reason.trim()) throw new Error(`README.md:${line}: "not run:" needs a reason`);
  let expectedStatuses: number[] = [];
  let eventually = false;
  let background = false;
  const notRun = reason?.trim();
  for (const option of options) {
    if (/^expect( \d{3})+$/.test(option)) expectedStatuses = option.split(' ').slice(1).map(Number);
    else if (option === 'eventually') eventually = true;
    else if (option === 'background') background = true;
    else throw new Error(`README.md:${line}: readme-test option "${option}" is none of: expect <statuses>, eventually, background, not run: <reason>`);
  }
  if (background && expectedStatuses.length > 0) throw new Error(`README.md:${line}: a background step has no statuses to expect (it does not end)`);
  return { name, expectedStatuses, eventually, background, notRun };
}

/*
 * Example outputs are comment lines. One starts at a comment that begins like an answer (`{`, `[`,
 * `HTTP/`, or an event stream's `retry:`) and goes on to the last comment line before the next
 * command. In them `...` stands for anything (ids, times, members left out) and white space does
 * not count, so that long answers can be wrapped.
 */
const OUTPUT_START = /^#\s?(\{|\[|HTTP\/|retry:)/;

/** The example outputs a block shows, without their comment marks. */
export function shownOutputs(script: string): string[] {
  const outputs: string[] = [];
  let current: string[] | undefined;
  for (const line of script.split('\n')) {
    if (!line.startsWith('#')) {
      if (current) outputs.push(current.join('\n'));
      current = undefined;
      continue;
    }
    if (!current && OUTPUT_START.test(line)) current = [];
    current?.push(line.replace(/^#\s?/, ''));
  }
  if (current) outputs.push(current.join('\n'));
  return outputs;
}

/** Whether `actual` contains what `shown` shows, `...` standing for anything and white space ignored. */
export function showsTruly(shown: string, actual: string): boolean {
  const pattern = shown
    .replace(/\s+/g, '')
    .split('...')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\s\\S]*?');
  return new RegExp(pattern).test(actual.replace(/\s+/g, ''));
}
