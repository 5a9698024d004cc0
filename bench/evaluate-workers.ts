/**
 * Real ratewatch worker processes for bench/evaluate.ts: `npx tsx src/main.ts` with `ROLES=worker`, each in a
 * process group of its own so that it (npx, tsx's launcher and the node process that runs ratewatch) can be
 * stopped as a whole, even when the benchmark fails or is interrupted.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { processCpuMs } from './cpu-usage.js';

export interface WorkerProcess {
  /** The node process that runs ratewatch (npx and tsx's launcher are its parents). */
  readonly pid: number;
  readonly logFile: string;
  /** Peak and current resident memory of the ratewatch process, MiB (VmHWM, VmRSS). */
  memory(): { peakMiB: number; currentMiB: number };
  /** CPU ms the ratewatch process has used so far. */
  cpuMs(): number;
  /** True once the process group's leader exited. */
  exited(): boolean;
  /** SIGTERM to the group (ratewatch shuts down gracefully), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface WorkerOptions {
  readonly cwd: string;
  readonly env: Record<string, string>;
  readonly logFile: string;
  /** When set, the ratewatch process writes a V8 CPU profile into this directory when it exits. */
  readonly cpuProfDir?: string | undefined;
}

/** Every worker started and not yet stopped, so a failing or interrupted benchmark can stop them all. */
const live = new Set<WorkerProcess>();

export async function startWorker(options: WorkerOptions): Promise<WorkerProcess> {
  const log = openSync(options.logFile, 'a');
  const nodeFlags = options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : [];
  const child = spawn('npx', ['tsx', ...nodeFlags, 'src/main.ts'], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  const pid = await findRatewatchPid(child, () => exited, options.logFile);
  const worker: WorkerProcess = {
    pid,
    logFile: options.logFile,
    memory: () => memoryOf(pid),
    cpuMs: () => processCpuMs(pid) ?? Number.NaN,
    exited: () => exited,
    stop: async (graceMs = 15_000) => {
      live.delete(worker);
      signalGroup(child, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
      await exit;
      await waitUntilGone(pid, graceMs);
      clearTimeout(timer);
      signalGroup(child, 'SIGKILL'); // anything of the group still around
    },
  };
  live.add(worker);
  return worker;
}

/** Stops every worker still running (on failure or Ctrl-C). */
export async function stopAllWorkers(): Promise<void> {
  await Promise.all([...live].map((worker) => worker.stop(5000)));
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // the group is gone already
  }
}

/** The deepest descendant of the launcher whose command line runs src/main.ts: node with tsx's loader. */
async function findRatewatchPid(
  child: ChildProcess,
  exited: () => boolean,
  logFile: string,
): Promise<number> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`worker exited during start-up; see ${logFile}`);
    const pid = child.pid === undefined ? undefined : deepestMain(child.pid);
    if (pid !== undefined) return pid;
    await sleep(100);
  }
  throw new Error(`worker did not start within 60 s; see ${logFile}`);
}

function deepestMain(rootPid: number): number | undefined {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProc(entry, 'stat');
    if (!stat) continue;
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  let found: number | undefined;
  const visit = (pid: number) => {
    if (readProc(String(pid), 'cmdline')?.includes('--import')) found = pid;
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(rootPid);
  return found !== undefined && readProc(String(found), 'cmdline')?.includes('src/main.ts')
    ? found
    : undefined;
}

function memoryOf(pid: number): { peakMiB: number; currentMiB: number } {
  const status = readProc(String(pid), 'status') ?? '';
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { peakMiB: kib('VmHWM') / 1024, currentMiB: kib('VmRSS') / 1024 };
}

async function waitUntilGone(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (readProc(String(pid), 'stat') !== undefined && Date.now() < deadline) await sleep(50);
}

function readProc(pid: string, file: string): string | undefined {
  try {
    return readFileSync(join('/proc', pid, file), 'utf8');
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
