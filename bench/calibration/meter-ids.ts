/** DIN 43863-5 meter ids for tests and benchmarks: division 1 (electricity), the FLAG id, a block, 8 digits. */
export function meterId(flagId: string, index: number, block = '00'): string {
  return `1${flagId}${block}${String(index).padStart(8, '0')}`;
}
