// The agent's container executor: the interface, Baton's labels and the Docker implementation.
export * from './types.js';
export * from './labels.js';
export { DockerExecutor, createOptions, healthConfig, statusCodeOf, dockerMessage, type DockerExecutorOptions } from './docker/docker-executor.js';
