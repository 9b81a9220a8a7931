/** Refuses an unusable HsmConfig with a message naming the field (never the PIN's value). */
import { HsmError } from '../hsm-error';
import type { HsmConfig } from '../hsm-config';

function refuse(reason: string): never {
  throw new HsmError('invalid-config', `invalid HSM configuration: ${reason}`);
}

export function checkHsmConfig(config: HsmConfig): void {
  if (typeof config.modulePath !== 'string' || config.modulePath === '') refuse('modulePath must name the PKCS#11 module file');
  if (typeof config.tokenLabel !== 'string' || config.tokenLabel === '') refuse('tokenLabel must be the label of a token');
  if (typeof config.pin !== 'string' || config.pin === '') refuse('pin must be a non-empty string');
  if (!Number.isInteger(config.workers) || config.workers < 1 || config.workers > 256) refuse(`workers must be an integer from 1 to 256 (got ${config.workers})`);
  if (!Number.isFinite(config.callTimeoutMs) || config.callTimeoutMs < 10) refuse(`callTimeoutMs must be at least 10 (got ${config.callTimeoutMs})`);
  const depth = config.pipelineDepth;
  if (depth !== undefined && (!Number.isInteger(depth) || depth < 1 || depth > 1024)) refuse(`pipelineDepth must be an integer from 1 to 1024 (got ${depth})`);
  const environment = config.moduleEnvironment;
  if (environment !== undefined && (typeof environment !== 'object' || Object.values(environment).some((value) => typeof value !== 'string'))) {
    refuse('moduleEnvironment must map variable names to strings');
  }
  if (config.requiredMechanisms !== undefined && !Array.isArray(config.requiredMechanisms)) refuse('requiredMechanisms must be a list of mechanism names');
}
