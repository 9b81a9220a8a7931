/** The parsed {@link ServiceConfig} of this process, provided by PlatformModule.forRoot(config). */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
