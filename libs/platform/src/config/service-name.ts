/** The four smpki services. Each runs as its own process with its own configuration. */
export const SERVICE_NAMES = ['root-ca', 'sub-ca', 'skm', 'directory'] as const;

export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Default HTTP ports, one block of ten per service, so all four can run side by side on one host. */
export const DEFAULT_HTTP_PORTS: Readonly<Record<ServiceName, number>> = {
  'root-ca': 8410,
  'sub-ca': 8420,
  skm: 8430,
  directory: 8440,
};

/** The name a service goes by in logs, error lines and the OpenAPI title, e.g. `smpki-sub-ca`. */
export function serviceDisplayName(service: ServiceName): string {
  return `smpki-${service}`;
}

export function isServiceName(value: string): value is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(value);
}
