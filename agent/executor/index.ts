// The agent's container executor: Docker implementation, Baton's labels and the in-place restart supervisor.
export * from './types.js';
export * from './labels.js';
export { DockerExecutor, createOptions, healthConfig, statusCodeOf, dockerMessage, type DockerExecutorOptions } from './docker-executor.js';
export {
  RestartSupervisor,
  decideRestart,
  type RestartSupervisorOptions,
  type RestartBackoffOptions,
  type RestartDecision,
  type RestartHistory,
  type Timers,
} from './restart-supervisor.js';
