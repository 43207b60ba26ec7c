/*
 * The console suite starts and talks to the gateway exactly as the gateway's own end-to-end suites
 * do: the same process support, shared rather than copied. Test code only, never shipped.
 */
// eslint-disable-next-line @nx/enforce-module-boundaries -- e2e process support shared between the two e2e projects
export {
  freePort,
  removeDir,
  startGateway,
  tempDir,
  type GatewayProcess,
} from '../../../gateway-e2e/src/support/gateway-process';
// eslint-disable-next-line @nx/enforce-module-boundaries -- e2e process support shared between the two e2e projects
export { accessToken, graphql, login, type GqlBody } from '../../../gateway-e2e/src/support/admin-session';
// eslint-disable-next-line @nx/enforce-module-boundaries -- e2e process support shared between the two e2e projects
export { eventually } from '../../../gateway-e2e/src/support/eventually';
