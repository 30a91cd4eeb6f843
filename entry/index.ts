/**
 * The programmatic API, `import { loadPlan, run } from 'orchestrate-rollout'`
 * (bundled as dist/index.js, typed by dist/types/entry/index.d.ts): a
 * composition root. Each function is src/api's, bound to the built-in
 * handlers; the CLI's commands call the same functions with the same world.
 */
import { jsonSchema as jsonSchemaOf, loadPlan as loadPlanOf, validatePlan as validatePlanOf, type LoadedPlan, type ValidationResult } from '../src/api/load.js';
import type { PlanOptions } from '../src/api/options.js';
import { planRun as planRunOf, type PlannedRun, type PlanRunOptions } from '../src/api/plan-run.js';
import { run as runOf, type RunHandle, type RunOptions } from '../src/api/run.js';
import { status as statusOf, type StatusOptions, type StatusReport } from '../src/api/status.js';
import { world } from './world.js';

/** Read a plan, load its plugins, check and resolve it. Throws PlanError with every located problem, UserError when there is no plan. */
export function loadPlan(options: PlanOptions = {}): Promise<LoadedPlan> {
  return loadPlanOf(world, options);
}

/** Check a plan as `orchestrate validate` does; problems are returned (`valid: false`, `diagnostics`), not thrown. */
export function validatePlan(options: PlanOptions = {}): Promise<ValidationResult> {
  return validatePlanOf(world, options);
}

/** What a run would do, in order: the plan and the chosen phases, as `orchestrate plan` shows them (`json` as `--format json`). */
export function planRun(options: PlanRunOptions = {}): Promise<PlannedRun> {
  return planRunOf(world, options);
}

/** Start a run: iterate the handle (or pass `onEvent`) for its events, await `result`; stop it with `signal`. */
export function run(options: RunOptions = {}): RunHandle {
  return runOf(world, options);
}

/** Where the rollout stands, as `orchestrate status --json` prints it; `verify: true` checks done tasks for drift. */
export function status(options: StatusOptions = {}): Promise<StatusReport> {
  return statusOf(world, options);
}

/** The JSON Schema of phases.yaml; with `config`, including the task types of the plan's plugins. */
export function jsonSchema(options: PlanOptions = {}): Promise<Record<string, unknown>> {
  return jsonSchemaOf(world, options);
}

export { BugError, ConfigError, ExitCode, PlanError, UserError } from '../src/errors.js';
export type { ExitCodeValue, UserErrorOptions } from '../src/errors.js';
export { HandlerRegistrationError } from '../src/engine/registry.js';
export type { AnyHandler, AnyHandlerParts, HandlerOrigin, HandlerRegistry } from '../src/engine/registry.js';
export { renderDiagnostic as formatDiagnostic } from '../src/config/diagnostics.js';
export type { Diagnostic } from '../src/config/diagnostics.js';
export type {
  Handler,
  HandlerParts,
  PromptAnswer,
  PromptRequest,
  Task,
  TaskContext,
  TaskFieldsSchema,
  TaskOutcome,
  TaskOutcomeStatus,
  TaskProgress,
  TemplateDirs,
} from '../src/engine/handler.js';
export type { WorkspaceView, FileChange } from '../src/workspace/types.js';
export type { EngineEvent, EngineEvent as RunEvent, EngineEventType as RunEventType, EventOf, RunCounts } from '../src/engine/events.js';
export type { Plan, PlannedGroup, PlannedPhase, PlannedTask } from '../src/plan/types.js';
export type { PlanOptions, LoadedPlan, ValidationResult, PlanRunOptions, PlannedRun, RunOptions, RunHandle, StatusOptions, StatusReport };
export type { Notice, RunAttachment, RunResult } from '../src/api/run.js';
export type { Drift, ShownStatus } from '../src/api/status.js';
