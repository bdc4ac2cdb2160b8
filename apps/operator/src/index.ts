/** @kruise-agents/operator: startOperator() runs the Kruise Agents operator in this process (the CLI, `up`, tests). */
export { startOperator, type Operator, type StartOperatorOptions } from './create-operator';
export { parseConfig, ConfigError, OPERATOR_USAGE, OperatorConfigSchema, type OperatorConfig } from './config';
export { runOperatorMain } from './run';
