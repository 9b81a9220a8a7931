import { accessSync, constants, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { SettingSchema } from './env-setting';

/** A whole decimal number in a range; rejects "1e3", " 80", "80.0" and the like that Number() would accept. */
export function integerBetween(min: number, max: number): SettingSchema<number> {
  const rule = `must be an integer between ${min} and ${max}`;
  return z
    .string()
    .regex(/^[0-9]{1,15}$/, { error: rule })
    .transform(Number)
    .pipe(z.number().min(min, { error: rule }).max(max, { error: rule }));
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T): SettingSchema<T[number]> {
  return z.enum(values, { error: `must be one of ${values.join(', ')}` }) as unknown as SettingSchema<T[number]>;
}

const HOST_NAME = /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

export const hostSetting: SettingSchema<string> = z
  .string()
  .refine((value) => isIP(value) !== 0 || HOST_NAME.test(value), { error: 'must be an IP address or a host name' });

export function nonEmptyText(maxLength: number): SettingSchema<string> {
  return z
    .string()
    .transform((value) => value.trim())
    .pipe(z.string().min(1).max(maxLength, { error: `must be at most ${maxLength} characters` }));
}

/** Why a path cannot be read as a file, or undefined when it can. */
export function unreadableFileReason(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return 'not a regular file';
    accessSync(path, constants.R_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'no such file';
    if (code === 'EACCES') return 'permission denied';
    return code ?? 'cannot be read';
  }
}

/** A path to an existing, readable file, resolved against the working directory. */
export const readableFile: SettingSchema<string> = z
  .string()
  .transform((value) => resolve(value))
  .superRefine((path, context) => {
    const reason = unreadableFileReason(path);
    if (reason) context.addIssue({ code: 'custom', message: 'must name a readable file', params: { reason } });
  });

/** Comma-separated paths, each an existing readable file. */
export const readableFileList: SettingSchema<string[]> = z
  .string()
  .transform((value) => value.split(',').map((part) => part.trim()).filter((part) => part !== ''))
  .pipe(z.array(readableFile));

/** A directory path; if something exists there already it must be a directory (the service creates it otherwise). */
export const directoryPath: SettingSchema<string> = z
  .string()
  .transform((value) => resolve(value))
  .superRefine((path, context) => {
    let isDirectory = true;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      // Missing: the service creates it at start.
    }
    if (!isDirectory) context.addIssue({ code: 'custom', message: 'must name a directory', params: { reason: 'not a directory' } });
  });

/** RFC 7512 PKCS#11 URI naming one object: `pkcs11:token=smpki;object=auth-token-key`. */
export const pkcs11ObjectUri: SettingSchema<string> = z
  .string()
  .regex(/^pkcs11:(?:[^;?]*;)*object=[^;?]+/, { error: 'must be a PKCS#11 URI naming an object (pkcs11:token=...;object=...)' });
