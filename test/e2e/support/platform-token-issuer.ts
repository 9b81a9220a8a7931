/**
 * Issues access tokens exactly as the token-issuing service does, by opening the platform's own SoftHSM2 token
 * (the data directory's softhsm2.conf and PIN file) and signing with its token key through TokenService. This is
 * how a test gets a role that no login flow hands out yet (auditor), with a token no different from a real one.
 */
import { AuthSettings, TokenService } from '@smpki/auth';
import { Pkcs11KeyManager, type EcPublicKey } from '@smpki/hsm';
import { DEFAULT_ACCESS_RULES, type Role } from '@smpki/policy';

/** What the issuing service reports in `GET /v1/configuration` (flattened settings). */
export interface IssuerSettings {
  'hsm.modulePath': string;
  'hsm.tokenLabel': string;
  'auth.tokenKeyUri': string;
  'auth.issuer': string;
  'auth.audience': string;
  'auth.tokenTtlSeconds': number;
}

export interface PlatformTokenLocation {
  /** SOFTHSM2_CONF of the platform: SoftHSM reads it from the real process environment, which jest does not reach. */
  softhsmConfig: string;
  pin: string;
}

export class PlatformTokenIssuer {
  private constructor(
    private readonly keys: Pkcs11KeyManager,
    private readonly tokens: TokenService,
    /** The public half of the token signing key, read from the token. */
    readonly publicKey: EcPublicKey,
  ) {}

  static async open(settings: IssuerSettings, location: PlatformTokenLocation): Promise<PlatformTokenIssuer> {
    const keys = await Pkcs11KeyManager.open({
      modulePath: settings['hsm.modulePath'],
      tokenLabel: settings['hsm.tokenLabel'],
      pin: location.pin,
      workers: 1,
      callTimeoutMs: 10_000,
      moduleEnvironment: { SOFTHSM2_CONF: location.softhsmConfig },
    });
    try {
      const signer = await keys.createSigner(settings['auth.tokenKeyUri']);
      const authSettings = new AuthSettings({
        issuer: settings['auth.issuer'],
        audience: settings['auth.audience'],
        tokenTtlSeconds: settings['auth.tokenTtlSeconds'],
        tokenSigner: signer,
        verificationKeys: [],
        accessRules: DEFAULT_ACCESS_RULES,
        // Issuing records nothing; the services record what the token is then used for.
        eventSink: { record: async () => undefined },
      });
      return new PlatformTokenIssuer(keys, new TokenService(authSettings), signer.publicKey);
    } catch (error) {
      await keys.close();
      throw error;
    }
  }

  async issue(subject: string, roles: Role[]): Promise<string> {
    return (await this.tokens.issue({ subject, roles })).accessToken;
  }

  close(): Promise<void> {
    return this.keys.close();
  }
}
