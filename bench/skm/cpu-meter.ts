/**
 * CPU time spent by a phase of bench/skm: this process (main thread, HSM worker threads) and, on PostgreSQL, the
 * server processes serving the benchmark's database (read from /proc: the server runs on this machine). On a
 * shared machine the rates move with the other jobs; the CPU milliseconds per key move much less, and show which
 * side (Node + HSM, or the database server) a change saved.
 */
import { readFileSync } from 'node:fs';
import type { DataSource } from 'typeorm';

export interface CpuSpent {
  processMs: number;
  /** Undefined on SQLite (in-process) or when the server's /proc entries cannot be read. */
  databaseMs?: number;
}

/** Starts measuring; the answer's `stop()` tells the CPU time spent since. */
export async function startCpuMeter(dataSource: DataSource): Promise<{ stop(): Promise<CpuSpent> }> {
  const process0 = process.cpuUsage();
  const database0 = await serverCpu(dataSource);
  return {
    stop: async () => {
      const spent = process.cpuUsage(process0);
      const database1 = await serverCpu(dataSource);
      const processMs = (spent.user + spent.system) / 1000;
      if (!database0 || !database1) return { processMs };
      // A backend that started during the phase counts from zero.
      let databaseMs = 0;
      for (const [pid, ms] of database1) databaseMs += ms - (database0.get(pid) ?? 0);
      return { processMs, databaseMs };
    },
  };
}

/** CPU ms of each server process of the benchmark's database, by pid; undefined when not measurable. */
async function serverCpu(dataSource: DataSource): Promise<Map<number, number> | undefined> {
  if (dataSource.driver.options.type !== 'postgres') return undefined;
  const rows: Array<{ pid: number }> = await dataSource.query('SELECT pid FROM pg_stat_activity WHERE datname = current_database()');
  const ticksMs = 10; // USER_HZ is 100 on Linux
  try {
    return new Map(rows.map(({ pid }) => {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return [pid, (Number(fields[11]) + Number(fields[12])) * ticksMs];
    }));
  } catch {
    return undefined;
  }
}
