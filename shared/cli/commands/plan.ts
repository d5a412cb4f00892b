// `baton plan`: placeholder registration until the placement layer lands.
import type { Command } from 'commander';
export function registerPlan(_program: Command): void {}
