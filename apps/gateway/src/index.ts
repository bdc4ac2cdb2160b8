/** @kruise-agents/gateway: the E2B-compatible control plane and data-plane proxy of Kruise Agents. */
export { startGateway, DEFAULT_ENVD_VERSION, type Gateway, type GatewayOptions } from './create-gateway';
export {
  API_KEY_PATTERN,
  DEFAULT_KEY_SECRET,
  DEFAULT_SYSTEM_NAMESPACE,
  addApiKey,
  createApiKey,
  generateApiKey,
  hashApiKey,
  type CreatedApiKey,
} from './auth/api-keys';
export {
  parseGatewayArgs,
  gatewayOptionsFrom,
  GatewayConfigError,
  GATEWAY_USAGE,
  type GatewayCliConfig,
} from './config';
