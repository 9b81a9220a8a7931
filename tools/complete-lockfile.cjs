#!/usr/bin/env node
/**
 * Records every platform-specific optional dependency in package-lock.json.
 *
 * npm writes lock entries only for the optional native builds it could resolve (those of this platform when the
 * registry mirror serves only those), and `npm ci` then refuses the lock ("Missing: @swc/core-darwin-arm64@ from
 * lock file"). An entry with the platform's os/cpu lets npm skip the package where it does not apply, as it would
 * with a lock written on a machine that saw every platform. Run after any `npm install` that changes the lock:
 *   node tools/complete-lockfile.cjs
 */
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const lockPath = join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));

const OS = ['darwin', 'linux', 'win32', 'freebsd', 'android', 'openharmony', 'sunos', 'aix', 'netbsd', 'openbsd', 'wasm32'];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el', 'wasm32'];

/** `@swc/core-linux-arm-gnueabihf` -> { os: ['linux'], cpu: ['arm'], libc?: ['glibc'] } */
function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = OS.find((candidate) => parts.includes(candidate));
  const cpu = CPU.find((candidate) => parts.includes(candidate)) ?? (parts.includes('arm64') ? 'arm64' : undefined);
  const platform = {};
  if (os) platform.os = [os === 'wasm32' ? 'any' : os];
  if (cpu && cpu !== 'wasm32') platform.cpu = [cpu];
  if (parts.includes('musl') || parts.includes('musleabihf')) platform.libc = ['musl'];
  else if (parts.includes('gnu') || parts.includes('gnueabihf')) platform.libc = ['glibc'];
  if (platform.os?.[0] === 'any') delete platform.os;
  return platform;
}

let added = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (lock.packages[key] || lock.packages[`${path}/node_modules/${name}`]) continue;
    const version = range.replace(/^[\^~=]/, '');
    if (!/^\d+\.\d+\.\d+/.test(version)) continue;
    lock.packages[key] = { version, ...(entry.dev ? { dev: true } : {}), optional: true, ...platformOf(name) };
    added += 1;
  }
}
const sorted = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
lock.packages = sorted;
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: ${added} optional platform entries recorded`);
