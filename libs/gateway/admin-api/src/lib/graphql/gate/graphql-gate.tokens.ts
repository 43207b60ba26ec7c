/** GraphqlGateSettings and the route path, as AdminApiModule.forRoot was given them. */
export const GRAPHQL_GATE_SETTINGS = Symbol('GRAPHQL_GATE_SETTINGS');
