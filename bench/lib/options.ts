/** Command-line options of the benchmarks: `--name <value>` and bare `--name` flags, read from process.argv. */

/** A positive number after `--name`, or `fallback` when the option is absent. */
export function numberOption(name: string, fallback: number): number {
  return positiveOption(name, fallback, Number.isFinite, 'number');
}

/** A positive whole number after `--name`, or `fallback` when the option is absent. */
export function integerOption(name: string, fallback: number): number {
  return positiveOption(name, fallback, Number.isInteger, 'integer');
}

export const flag = (name: string): boolean => process.argv.includes(`--${name}`);

function positiveOption(name: string, fallback: number, accepts: (value: number) => boolean, kind: string): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!accepts(value) || value <= 0) throw new Error(`--${name} needs a positive ${kind} (got '${process.argv[index + 1]}')`);
  return value;
}
