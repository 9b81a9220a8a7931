import { z } from 'zod';
import { ConfigurationError } from './configuration-error';

/** The process environment, or any map standing in for it (tests). */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * One variable's rule: a zod schema from the raw string to the typed value. The schema's issue message is the rule
 * as the operator reads it ("must be an integer between 1 and 65535"), so it comes straight after the variable name.
 */
export type SettingSchema<T> = z.ZodType<T, string>;

export interface ReadOptions {
  /** Never repeat the value in an error message (PINs, passwords). */
  secret?: boolean;
}

/** Empty counts as unset: `SMPKI_X=` in a compose file or unit means "use the default". */
export function isSet(env: Environment, name: string): boolean {
  const value = env[name];
  return value !== undefined && value.trim() !== '';
}

/** Reads and checks one variable; undefined when it is not set. */
export function readSetting<T>(env: Environment, name: string, schema: SettingSchema<T>, options: ReadOptions = {}): T | undefined {
  if (!isSet(env, name)) return undefined;
  const raw = env[name] as string;
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const rule = issue?.message ?? 'is not valid';
  if (options.secret) throw new ConfigurationError(name, rule);
  // A custom rule may say why the value failed (e.g. "no such file"); it follows the value the operator gave.
  const reason = issue?.code === 'custom' ? (issue.params as { reason?: string } | undefined)?.reason : undefined;
  throw new ConfigurationError(name, `${rule} (got ${JSON.stringify(raw)}${reason ? `: ${reason}` : ''})`);
}

export function requireSetting<T>(env: Environment, name: string, schema: SettingSchema<T>, why: string, options?: ReadOptions): T {
  const value = readSetting(env, name, schema, options);
  if (value === undefined) throw new ConfigurationError(name, `is required ${why}`);
  return value;
}
