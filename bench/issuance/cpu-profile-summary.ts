/**
 * Where a V8 CPU profile (`node --cpu-prof`) spent its time: self time per function and per package/library, so
 * that the benchmark can say what an issuance costs beyond the HSM signature without opening DevTools.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileShare {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  /** Time on the CPU (samples outside `(idle)`); the shares are of this. */
  totalMs: number;
  idleMs: number;
  /** Self time per function (`name (file:line)`), largest first. */
  functions: ProfileShare[];
  /** Self time per package (node_modules/<pkg>), smpki library (libs/<lib>, apps/<app>), node internals, or V8 bucket. */
  areas: ProfileShare[];
}

/** `@peculiar/x509`, `libs/crypto`, `node:internal`, `(garbage collector)`, ... */
function areaOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const nodeModule = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nodeModule) return nodeModule[1]!;
  const smpki = /\/dist\/((?:libs|apps|bench)\/[^/]+)/.exec(url);
  if (smpki) return smpki[1]!;
  if (url.startsWith('node:')) return 'node:internal';
  return url;
}

function shortUrl(url: string): string {
  return url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules|dist)\//, '$1/');
}

function ranked(totals: Map<string, number>, totalMs: number, limit: number): ProfileShare[] {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, ms]) => ({ name, ms, share: ms / totalMs }));
}

export function summarizeCpuProfile(path: string, limit = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const functions = new Map<string, number>();
  const areas = new Map<string, number>();
  let totalMs = 0;
  let idleMs = 0;
  profile.samples.forEach((id, index) => {
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    const frame = byId.get(id)!.callFrame;
    if (frame.url === '' && frame.functionName === '(idle)') {
      idleMs += ms;
      return;
    }
    const name = frame.url === '' ? frame.functionName || '(anonymous)' : `${frame.functionName || '(anonymous)'} (${shortUrl(frame.url)}:${frame.lineNumber + 1})`;
    functions.set(name, (functions.get(name) ?? 0) + ms);
    const area = areaOf(frame);
    areas.set(area, (areas.get(area) ?? 0) + ms);
    totalMs += ms;
  });
  return { totalMs, idleMs, functions: ranked(functions, totalMs, limit), areas: ranked(areas, totalMs, limit) };
}
