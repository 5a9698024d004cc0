import { readdirSync, readFileSync } from 'node:fs';

/** CPU milliseconds used so far by this process and by the local MySQL/MariaDB server. */
export interface CpuSample {
  readonly appMs: number;
  /** Undefined when no mariadbd/mysqld runs on this machine (or /proc is not readable). */
  readonly dbMs: number | undefined;
}

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks (100 on every common build). */
const TICKS_PER_SECOND = 100;

/**
 * Samples CPU time, so a run can be judged by CPU per record as well as by throughput: on a shared machine
 * throughput moves with whatever else runs, CPU per record much less.
 */
export function createCpuSampler(): () => CpuSample {
  const dbPid = findDatabasePid();
  return () => {
    const usage = process.cpuUsage();
    return { appMs: (usage.user + usage.system) / 1000, dbMs: dbPid ? processCpuMs(dbPid) : undefined };
  };
}

/** The pid of the local mariadbd/mysqld, if one runs on this machine. */
export function findDatabasePid(): number | undefined {
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (comm === 'mariadbd' || comm === 'mysqld') return Number(entry);
    }
  } catch {
    // not Linux, or /proc hidden: CPU of the database is simply not reported
  }
  return undefined;
}

/** CPU milliseconds (user + system) a process has used so far; undefined when it is gone. */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
