// The top-level commands of client-program.ts, by name, for main.ts to route on before it loads
// anything else (test/unit/cli-bundle.test.ts checks the list against the program).
export const CLIENT_COMMANDS: readonly string[] = ['nodes', 'events', 'deploy', 'scale', 'rm', 'services', 'ps', 'rollout', 'rollback', 'history', 'logs', 'endpoints', 'autoscale', 'token', 'credentials', 'node', 'whoami', 'secret', 'config', 'volume', 'top', 'usage', 'rebalance'];
