import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { catalogueHas } from '@smpki/policy';
import { AuthSettings } from '../auth-options';
import { handlerDeclaration, handlerName } from './handler-declaration';

/**
 * At start-up, looks at every route handler of the application: one that declares neither `@Public()` nor
 * `@Command()` (or both) is logged as a programming error (the guard refuses it on every request), and one whose
 * command the catalogue does not list stops the start, since access rules could never name that command.
 */
@Injectable()
export class HandlerDeclarationCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('AccessGuard');

  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuthSettings) private readonly settings: AuthSettings,
  ) {}

  onApplicationBootstrap(): void {
    const uncatalogued: string[] = [];
    for (const { handler, controller } of this.routeHandlers()) {
      const declaration = handlerDeclaration(this.reflector, handler, controller);
      const name = handlerName(handler, controller);
      if (declaration.kind === 'undeclared') this.logger.error(`programming error: handler ${name} declares neither @Command() nor @Public(); it will refuse every request`);
      if (declaration.kind === 'conflicting') this.logger.error(`programming error: handler ${name} declares both @Command() and @Public(); it will refuse every request`);
      if (declaration.kind === 'command' && !catalogueHas(this.settings.commandCatalogue, declaration.command)) {
        uncatalogued.push(`${name} (@Command('${declaration.command}'))`);
      }
    }
    if (uncatalogued.length > 0) {
      throw new Error(`auth: handler commands missing from the command catalogue (libs/policy/src/access/command-catalogue.ts): ${uncatalogued.join(', ')}`);
    }
  }

  private *routeHandlers(): Generator<{ handler: Function; controller: Function }> {
    for (const wrapper of this.discovery.getControllers()) {
      const { instance, metatype } = wrapper;
      if (!instance || !metatype) continue;
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[method] as Function;
        if (Reflect.getMetadata(PATH_METADATA, handler) !== undefined) yield { handler, controller: metatype as Function };
      }
    }
  }
}
