/**
 * A setting in the environment is wrong or missing. The message always starts with the variable's name so the
 * operator knows what to fix; it never contains a secret's value.
 */
export class ConfigurationError extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`${variable} ${problem}`);
    this.name = 'ConfigurationError';
  }
}

/** The single line a service prints before it exits 1, e.g. `smpki-sub-ca: configuration error: SMPKI_HTTP_PORT ...`. */
export function formatConfigurationError(serviceDisplayName: string, error: ConfigurationError): string {
  return `${serviceDisplayName}: configuration error: ${error.message}`;
}
