// The agent's container executor: the interface, Baton's labels and the Docker implementation.
export * from './types.js';
export * from './labels.js';
export { DockerExecutor, type DockerExecutorOptions } from './docker/docker-executor.js';
export { createOptions, healthConfig } from './docker/create-options.js';
export { dockerMessage, exitCodeFromStatus, statusCodeOf } from './docker/docker-client.js';
