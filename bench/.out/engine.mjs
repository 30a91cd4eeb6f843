var __defProp = Object.defineProperty;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __esm = (fn, res, err) => function __init() {
  if (err) throw err[0];
  try {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  } catch (e) {
    throw err = [e], e;
  }
};
var __export = (target, all) => {
  for (var name2 in all)
    __defProp(target, name2, { get: all[name2], enumerable: true });
};

// handlers/describe-command.ts
function formatCommand(run) {
  if (typeof run === "string") return run;
  return run.map((arg) => /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`).join(" ");
}
var init_describe_command = __esm({
  "handlers/describe-command.ts"() {
    "use strict";
  }
});

// src/config/duration.ts
import { z } from "zod";
function parseDuration(input) {
  if (typeof input === "number") {
    return Number.isFinite(input) && input >= 0 ? Math.round(input) : void 0;
  }
  const text = input.trim();
  if (/^\d+$/.test(text)) return Number(text);
  if (!WHOLE.test(text)) return void 0;
  let total = 0;
  for (const match of text.matchAll(PART)) {
    total += Number(match[1]) * UNIT_MS[match[2]];
  }
  return Math.round(total);
}
function formatDuration(ms) {
  if (ms < 1e3) return `${Math.round(ms)}ms`;
  if (ms < 6e4) return `${(ms / 1e3).toFixed(ms < 1e4 ? 1 : 0)}s`;
  if (ms < 36e5) {
    const m2 = Math.floor(ms / 6e4);
    const s = Math.round(ms % 6e4 / 1e3);
    return s ? `${m2}m ${s}s` : `${m2}m`;
  }
  const h = Math.floor(ms / 36e5);
  const m = Math.round(ms % 36e5 / 6e4);
  return m ? `${h}h ${m}m` : `${h}h`;
}
var UNIT_MS, PART, WHOLE, NOT_A_DURATION, durationSchema;
var init_duration = __esm({
  "src/config/duration.ts"() {
    "use strict";
    UNIT_MS = { ms: 1, s: 1e3, m: 6e4, h: 36e5 };
    PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
    WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
    NOT_A_DURATION = "not a duration: use a number of milliseconds or a value like 500ms, 30s, 10m, 1h, 1h30m";
    durationSchema = z.union(
      [
        z.number().int().nonnegative(),
        z.string().regex(/^\s*(?:\d+|(?:\d+(?:\.\d+)?(?:ms|s|m|h))+)\s*$/, { error: NOT_A_DURATION })
      ],
      // Neither a number nor a string (true, a list, ...): the same advice. Missing falls through.
      { error: (issue) => issue.input === void 0 ? void 0 : NOT_A_DURATION }
    ).transform((value) => parseDuration(value)).meta({ description: "A duration: milliseconds, or a string like 500ms, 30s, 10m, 1h, 1h30m." });
  }
});

// src/errors.ts
function errorMessage(error) {
  return error instanceof Error ? error.message : String(error);
}
var ExitCode, UserError, BugError;
var init_errors = __esm({
  "src/errors.ts"() {
    "use strict";
    ExitCode = {
      ok: 0,
      failed: 1,
      usage: 2,
      awaiting: 3,
      locked: 4,
      interrupted: 130
    };
    UserError = class extends Error {
      hint;
      exitCode;
      retryable;
      file;
      constructor(message, options = {}) {
        super(message, options.cause === void 0 ? void 0 : { cause: options.cause });
        this.name = "UserError";
        this.hint = options.hint;
        this.exitCode = options.exitCode ?? ExitCode.usage;
        this.retryable = options.retryable;
        this.file = options.file;
      }
    };
    BugError = class extends Error {
      constructor(message) {
        super(message);
        this.name = "BugError";
      }
    };
  }
});

// src/engine/process.ts
import { statSync } from "node:fs";
import { execa } from "execa";
async function runProcess(command, options) {
  const started = performance.now();
  const tail2 = [];
  const record = (line, stream) => {
    tail2.push(line);
    if (tail2.length > TAIL_LINES) tail2.shift();
    options.onLine?.(line, stream);
  };
  const finish = (fields) => {
    if (fields.error !== void 0) record(fields.error, "stderr");
    const { exitCode, signal, timedOut = false, cancelled = false, error } = fields;
    return { exitCode, signal, timedOut, cancelled, error, output: tail2.join("\n"), durationMs: performance.now() - started };
  };
  if (options.signal.aborted) return finish({ cancelled: true });
  if (!isDirectory(options.cwd)) return finish({ error: `working directory not found: ${options.cwd}` });
  const [file, ...args] = options.shell ? [typeof command === "string" ? command : command.join(" ")] : typeof command === "string" ? splitCommand(command) : command;
  if (file === void 0 || file === "") throw new UserError("empty command", { hint: "Give the program to run." });
  installExitHook();
  const graceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  const subprocess = execa(file, args, {
    cwd: options.cwd,
    env: options.env ?? {},
    shell: options.shell ?? false,
    // A group of its own: signals to -pid then reach every descendant.
    detached: true,
    stdin: "ignore",
    reject: false,
    stdout: { transform: lineSink((line) => record(line, "stdout")) },
    stderr: { transform: lineSink((line) => record(line, "stderr")) }
  });
  const pid = subprocess.pid;
  if (pid !== void 0) liveGroups.add(pid);
  let stopReason;
  let ended = false;
  const stop = (reason) => {
    if (stopReason !== void 0 || ended || pid === void 0) return;
    stopReason = reason;
    terminateGroup(pid, graceMs);
  };
  const onAbort = () => stop("cancel");
  options.signal.addEventListener("abort", onAbort, { once: true });
  const timer = options.timeoutMs === void 0 ? void 0 : setTimeout(() => stop("timeout"), options.timeoutMs);
  subprocess.once("exit", () => {
    if (pid !== void 0 && stopReason === void 0 && groupExists(pid)) terminateGroup(pid, graceMs);
  });
  const result = await subprocess;
  ended = true;
  options.signal.removeEventListener("abort", onAbort);
  if (timer) clearTimeout(timer);
  if (pid !== void 0 && !groupExists(pid)) liveGroups.delete(pid);
  if (pid === void 0 || result.failed && result.exitCode === void 0 && result.signal === void 0 && !stopReason) {
    return finish({ error: explainSpawnError(result.code, file, result.originalMessage ?? result.message ?? "") });
  }
  return finish({
    exitCode: result.exitCode,
    signal: result.signal,
    timedOut: stopReason === "timeout",
    cancelled: stopReason === "cancel"
  });
}
function killAllProcessGroups(signal = "SIGTERM") {
  let count = 0;
  for (const pid of liveGroups) {
    if (signalGroup(pid, signal)) count += 1;
    else liveGroups.delete(pid);
  }
  return count;
}
function splitCommand(text) {
  const words = [];
  let word = "";
  let inWord = false;
  let quote;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charAt(i);
    if (quote === "'") {
      if (ch === "'") quote = void 0;
      else word += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = void 0;
      else if (ch === "\\" && /["\\$`]/.test(text.charAt(i + 1))) word += text.charAt(++i);
      else word += ch;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      inWord = true;
      if (ch === "'" || ch === '"') quote = ch;
      else if (ch === "\\" && i + 1 < text.length) word += text.charAt(++i);
      else word += ch;
    }
  }
  if (quote !== void 0) {
    throw new UserError(`unclosed ${quote} in command: ${text}`, {
      hint: "Close the quote, or give the command as an array of arguments."
    });
  }
  if (inWord) words.push(word);
  return words;
}
function lineSink(onLine) {
  return function* (line) {
    onLine(String(line));
  };
}
function terminateGroup(pid, graceMs) {
  if (!signalGroup(pid, "SIGTERM")) {
    liveGroups.delete(pid);
    return;
  }
  setTimeout(() => {
    signalGroup(pid, "SIGKILL");
    liveGroups.delete(pid);
  }, graceMs).unref();
}
function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}
function groupExists(pid) {
  return signalGroup(pid, 0);
}
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => killAllProcessGroups("SIGKILL"));
}
function explainSpawnError(code, file, message) {
  if (code === "ENOENT") return `command not found: ${file}`;
  if (code === "EACCES") return `permission denied: ${file} is not executable`;
  return `could not start ${file}: ${message}`;
}
function isDirectory(path10) {
  try {
    return statSync(path10).isDirectory();
  } catch {
    return false;
  }
}
var TAIL_LINES, DEFAULT_KILL_GRACE_MS, liveGroups, exitHookInstalled;
var init_process = __esm({
  "src/engine/process.ts"() {
    "use strict";
    init_errors();
    TAIL_LINES = 50;
    DEFAULT_KILL_GRACE_MS = 5e3;
    liveGroups = /* @__PURE__ */ new Set();
    exitHookInstalled = false;
  }
});

// handlers/command/run.ts
var run_exports = {};
__export(run_exports, {
  abortError: () => abortError,
  runCommandTask: () => runCommandTask
});
async function runCommandTask(task, ctx) {
  const shown = formatCommand(task.run);
  if (ctx.dryRun) return { status: "skipped", summary: `would run: ${shown}`, files: [] };
  const cwd = task.cwd === void 0 ? ctx.root : ctx.workspace.resolve(task.cwd);
  const result = await runProcess(task.run, {
    cwd,
    ...task.env && { env: task.env },
    ...task.shell !== void 0 && { shell: task.shell },
    ...task.kill_grace !== void 0 && { killGraceMs: task.kill_grace },
    signal: ctx.signal,
    onLine: (line) => ctx.log(line)
  });
  if (result.cancelled || ctx.signal.aborted) throw abortError(`cancelled: ${shown}`, ctx.signal.reason);
  const accepted = task.exit_codes ?? [0];
  if (result.exitCode !== void 0 && accepted.includes(result.exitCode)) {
    return { status: "changed", summary: `exit ${result.exitCode} in ${formatDuration(result.durationMs)}`, files: [] };
  }
  throw commandFailure(shown, result, cwd === ctx.root ? void 0 : task.cwd, accepted);
}
function commandFailure(shown, result, cwd, accepted) {
  const where = cwd === void 0 ? "" : ` (in ${cwd})`;
  if (result.error !== void 0) {
    return new UserError(`${result.error} (running ${shown}${where})`, {
      exitCode: ExitCode.failed,
      hint: "Check that the program is installed and on PATH, or give its path."
    });
  }
  const tail2 = result.output.split("\n").filter((line) => line.trim() !== "").slice(-FAILURE_TAIL_LINES);
  const body = tail2.length > 0 ? `
${tail2.map((line) => `  ${line}`).join("\n")}` : "";
  return new UserError(`command ${failureReason(result, accepted)}: ${shown}${where}${body}`, {
    exitCode: ExitCode.failed,
    hint: "Run the command yourself in the target repository to see its whole output."
  });
}
function failureReason(result, accepted) {
  if (result.timedOut) return "timed out";
  if (result.exitCode !== void 0) {
    const expected = accepted.length === 1 && accepted[0] === 0 ? "" : ` (expected ${accepted.join(", ")})`;
    return `failed with exit code ${result.exitCode}${expected}`;
  }
  return `was killed by ${result.signal ?? "a signal"}`;
}
function abortError(message, reason) {
  const error = new Error(message, reason === void 0 ? void 0 : { cause: reason });
  error.name = "AbortError";
  return error;
}
var FAILURE_TAIL_LINES;
var init_run = __esm({
  "handlers/command/run.ts"() {
    "use strict";
    init_process();
    init_duration();
    init_errors();
    init_describe_command();
    FAILURE_TAIL_LINES = 20;
  }
});

// handlers/manual/run.ts
var run_exports2 = {};
__export(run_exports2, {
  renderVariables: () => renderVariables,
  runManualTask: () => runManualTask
});
async function runManualTask(task, ctx) {
  const headline = firstLine(task.instructions);
  if (ctx.dryRun) return { status: "skipped", summary: `would ask a person: ${headline}`, files: [] };
  if (task.verify !== void 0) {
    const shown = formatCommand(task.verify);
    const result = await runProcess(task.verify, { cwd: ctx.root, signal: ctx.signal, onLine: (line) => ctx.log(line) });
    if (result.cancelled || ctx.signal.aborted) throw abortError(`cancelled: ${shown}`, ctx.signal.reason);
    if (result.exitCode === 0) return { status: "changed", summary: `verified by ${shown}`, files: [] };
    const why = result.error ?? (result.exitCode === void 0 ? `killed by ${result.signal}` : `exit ${result.exitCode}`);
    ctx.log(`not verified by ${shown} (${why})`);
  }
  if (ctx.prompt === void 0) return { status: "awaiting", summary: `awaiting a person: ${headline}`, files: [] };
  const answer = await ctx.prompt({
    taskId: task.id,
    title: task.name ?? task.id,
    instructions: renderVariables(task.instructions, ctx.variables),
    checklist: (task.checklist ?? []).map((item) => renderVariables(item, ctx.variables))
  });
  switch (answer) {
    case "done":
      return { status: "changed", summary: "done by a person", files: [] };
    case "skip":
      return { status: "skipped", summary: "skipped by a person", files: [] };
    case "abort":
      throw new UserError(`aborted at manual task ${task.id}`, {
        exitCode: ExitCode.interrupted,
        hint: "Run again to continue from here, or settle it with `orchestrate approve` or `orchestrate skip`."
      });
  }
}
function renderVariables(text, variables) {
  return text.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (whole, name2) => {
    const value = Object.hasOwn(variables, name2) ? variables[name2] : void 0;
    if (value === void 0) return whole;
    return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
  });
}
function firstLine(text) {
  return text.trim().split("\n")[0] ?? "";
}
var init_run2 = __esm({
  "handlers/manual/run.ts"() {
    "use strict";
    init_process();
    init_errors();
    init_run();
    init_describe_command();
  }
});

// bench/engine.ts
import { spawn } from "node:child_process";
import { existsSync, statSync as statSync2 } from "node:fs";
import { mkdtemp, readdir, realpath as realpath2, rm as rm2, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path9 from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { execa as execa2 } from "execa";
import pLimit2 from "p-limit";
import writeFileAtomic4 from "write-file-atomic";

// handlers/command/index.ts
init_describe_command();

// handlers/command/schema.ts
init_duration();
import { z as z2 } from "zod";
var commandTaskSchema = z2.object({
  run: z2.union([z2.string().min(1), z2.array(z2.string()).min(1)]).describe("The program and its arguments: an array, or a string split into words (no shell unless shell: true)."),
  shell: z2.boolean().optional().describe("Run `run` (a string) through the system shell."),
  env: z2.record(z2.string(), z2.string()).optional().describe("Extra environment variables."),
  cwd: z2.string().optional().describe("Working directory relative to the target root."),
  exit_codes: z2.array(z2.int()).min(1).optional().describe("Exit codes that count as success (default [0])."),
  kill_grace: durationSchema.optional().describe("Time between SIGTERM and SIGKILL when the task is cancelled (default 5s).")
});

// handlers/command/index.ts
var commandHandler = {
  type: "command",
  summary: "Run a program in the target repository (argument array; a shell only with shell: true).",
  schema: commandTaskSchema,
  describe: (task) => `run ${formatCommand(task.run)}${task.cwd ? ` in ${task.cwd}` : ""}`,
  run: async (task, ctx) => (await Promise.resolve().then(() => (init_run(), run_exports))).runCommandTask(task, ctx)
};

// handlers/unavailable.ts
init_errors();
async function unavailable(type) {
  throw new UserError(`this version of orchestrate cannot carry out ${type} tasks yet`, {
    hint: `the plan validates and plans, but ${type} tasks fail when run; skip them with --task or mark them continue_on_error`
  });
}

// handlers/config-edit/schema.ts
import { z as z3 } from "zod";
var NAMED_ACTIONS = [
  "expand_coverage_collection",
  "add_directory_thresholds",
  "remove_continue_on_error",
  "add_migration_step",
  "implement_staging_deploy",
  "implement_production_deploy",
  "add_approval_gates",
  "make_trivy_blocking",
  "parallelize_python_builds",
  "add_path_filters",
  "add_sbom_generation",
  "add_container_scanning"
];
var PRIMITIVE_ACTIONS = ["yaml_set", "yaml_delete", "yaml_merge", "yaml_append", "json_set", "json_delete"];
var configEditTaskSchema = z3.object({
  action: z3.enum([...NAMED_ACTIONS, ...PRIMITIVE_ACTIONS]).describe("The edit to make."),
  file: z3.string().min(1).describe("The file to edit, relative to the target root."),
  params: z3.record(z3.string(), z3.unknown()).optional().describe("The action's parameters.")
});

// handlers/config-edit/index.ts
var configEditHandler = {
  type: "config_edit",
  summary: "Edit a workflow, Jest/Vitest config or package.json, changing only the lines the edit means to change.",
  schema: configEditTaskSchema,
  describe: (task) => `${task.action.replace(/_/g, " ")} in ${task.file}`,
  touches: (task) => [task.file],
  run: async () => unavailable("config_edit")
};

// handlers/file-generation/schema.ts
import { z as z4 } from "zod";
var fileGenerationTaskSchema = z4.object({
  template: z4.string().min(1).describe("Template name, e.g. fixtures/users."),
  target: z4.string().min(1).describe("The file to write, relative to the target root."),
  mode: z4.enum(["create", "skip_if_exists", "overwrite"]).optional().describe("create (default): fail if the target exists and differs; skip_if_exists; overwrite.")
});

// handlers/file-generation/index.ts
var fileGenerationHandler = {
  type: "file_generation",
  summary: "Render a Handlebars template to a file.",
  schema: fileGenerationTaskSchema,
  describe: (task) => `render template ${task.template} to ${task.target}`,
  touches: (task) => [task.target],
  run: async () => unavailable("file_generation")
};

// handlers/manual/schema.ts
import { z as z5 } from "zod";
var manualTaskSchema = z5.object({
  instructions: z5.string().min(1).describe("What the person should do (Markdown; variables are rendered)."),
  checklist: z5.array(z5.string().min(1)).optional().describe("Items to tick off."),
  verify: z5.union([z5.string().min(1), z5.array(z5.string()).min(1)]).optional().describe("A command that, when it exits 0, settles the task without asking.")
});

// handlers/manual/index.ts
var manualHandler = {
  type: "manual",
  summary: "A person's step (instructions, checklist), approved at a prompt, with --yes, or by `orchestrate approve`.",
  schema: manualTaskSchema,
  describe: (task) => `ask a person: ${firstLine2(task.instructions)}`,
  run: async (task, ctx) => (await Promise.resolve().then(() => (init_run2(), run_exports2))).runManualTask(task, ctx)
};
function firstLine2(text) {
  const line = text.trim().split("\n")[0] ?? "";
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

// handlers/test-generation/schema.ts
import { z as z6 } from "zod";
var testGenerationTaskSchema = z6.object({
  target: z6.string().min(1).optional().describe("One source file."),
  targets: z6.union([z6.string().min(1), z6.array(z6.string().min(1)).min(1)]).optional().describe("A glob (or several) of source files; .gitignore is respected."),
  template: z6.enum(["auto", "service", "route", "config", "python"]).optional().describe("Kind of test (default auto)."),
  test_file: z6.string().min(1).optional().describe('Where the test goes: a pattern with {dir}, {name} and {ext}, e.g. "{dir}/__tests__/{name}.test.ts".'),
  framework: z6.enum(["jest", "vitest", "pytest"]).optional().describe("Force the test framework instead of detecting it."),
  only_untested: z6.boolean().optional().describe("Skip sources that already have a test file."),
  overwrite: z6.boolean().optional().describe("Replace an existing test file."),
  verify: z6.boolean().optional().describe("Run the generated tests and drop those that fail (default true)."),
  coverage: z6.boolean().optional().describe("Keep the file only if coverage of the target does not go down.")
});

// handlers/test-generation/index.ts
var testGenerationHandler = {
  type: "test_generation",
  summary: "Generate tests for TS/JS or Python sources that compile, pass and raise coverage.",
  schema: testGenerationTaskSchema,
  describe: (task) => {
    const sources = task.target ?? (Array.isArray(task.targets) ? task.targets.join(", ") : task.targets) ?? "(no sources)";
    return `generate ${task.template ?? "auto"} tests for ${sources}${task.test_file ? ` -> ${task.test_file}` : ""}`;
  },
  touches: (task) => task.test_file && task.target ? [task.test_file] : [],
  run: async () => unavailable("test_generation")
};

// handlers/registry.ts
var handlers = [
  configEditHandler,
  testGenerationHandler,
  fileGenerationHandler,
  manualHandler,
  commandHandler
];
var byType = new Map(handlers.map((handler) => [handler.type, handler]));
function handlerFor(type) {
  return byType.get(type);
}

// src/engine/executor.ts
init_duration();
init_errors();
import pLimit from "p-limit";

// src/engine/checkpoints.ts
init_describe_command();
init_process();
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
var KEYS = ["lines", "statements", "functions", "branches"];
async function runCheckpoint(checkpoint, options) {
  const spec = checkpoint.spec;
  if (spec.run !== void 0) {
    const expected = spec.expect_exit_code ?? 0;
    const cwd = path.resolve(options.root, spec.cwd ?? ".");
    if (path.relative(options.root, cwd).startsWith("..")) return { passed: false, detail: `cwd ${spec.cwd} is outside the target repository` };
    const result = await runProcess(spec.run, {
      cwd,
      shell: spec.shell ?? false,
      signal: options.signal,
      timeoutMs: checkpoint.timeoutMs,
      ...options.onLine ? { onLine: (line) => options.onLine(line) } : {}
    });
    const command = formatCommand(spec.run);
    if (result.timedOut) return { passed: false, detail: `${command} timed out
${tail(result.output)}` };
    if (result.cancelled) return { passed: false, detail: `${command} was cancelled` };
    if (result.exitCode === expected) return { passed: true, detail: `${command} exited ${expected}` };
    const how = result.exitCode === void 0 ? result.signal ? `was killed by ${result.signal}` : "could not start" : `exited ${result.exitCode}`;
    return { passed: false, detail: `${command} ${how}, expected ${expected}
${tail(result.output)}`.trimEnd() };
  }
  const coverage = spec.coverage;
  const file = path.resolve(options.root, coverage.summary);
  if (path.relative(options.root, file).startsWith("..")) {
    return { passed: false, detail: `${coverage.summary} is outside the target repository` };
  }
  let info;
  try {
    info = await stat(file);
  } catch {
    return { passed: false, detail: `no coverage report at ${coverage.summary}; run the tests with coverage in a checkpoint before this one`, expected: coverage.min };
  }
  if (info.mtimeMs < options.since) {
    return {
      passed: false,
      detail: `${coverage.summary} is older than this phase (written ${new Date(info.mtimeMs).toISOString()}); it was not produced by this run`,
      expected: coverage.min
    };
  }
  let measured;
  try {
    measured = readCoverage(JSON.parse(await readFile(file, "utf8")));
  } catch (error) {
    return { passed: false, detail: `${coverage.summary} is not a coverage report: ${error instanceof Error ? error.message : String(error)}`, expected: coverage.min };
  }
  const shortfalls = KEYS.filter((k) => coverage.min[k] !== void 0).flatMap((k) => {
    const value = measured[k];
    if (value === void 0) return [`${k}: not in the report`];
    return value + 1e-9 < coverage.min[k] ? [`${k} ${value}% < ${coverage.min[k]}%`] : [];
  });
  const summary = KEYS.filter((k) => measured[k] !== void 0).map((k) => `${k} ${measured[k]}%`).join(", ");
  return shortfalls.length ? { passed: false, detail: `coverage below the minimum: ${shortfalls.join(", ")}`, coverage: measured, expected: coverage.min } : { passed: true, detail: `coverage ${summary}`, coverage: measured, expected: coverage.min };
}
function readCoverage(report) {
  const data = report;
  if (data?.total && typeof data.total === "object") {
    const out = {};
    for (const key of KEYS) {
      const pct = data.total[key]?.pct;
      if (typeof pct === "number") out[key] = round(pct);
    }
    if (Object.keys(out).length) return out;
  }
  if (data?.totals && typeof data.totals === "object") {
    const t = data.totals;
    const out = {};
    if (typeof t.percent_covered === "number") out.lines = round(t.percent_covered);
    if (typeof t.num_statements === "number" && typeof t.covered_lines === "number" && t.num_statements > 0) {
      out.statements = round(100 * t.covered_lines / t.num_statements);
    }
    if (typeof t.num_branches === "number" && typeof t.covered_branches === "number" && t.num_branches > 0) {
      out.branches = round(100 * t.covered_branches / t.num_branches);
    }
    if (out.lines !== void 0) return out;
  }
  throw new Error("expected an istanbul json-summary (total.lines.pct) or a coverage.py JSON report (totals.percent_covered)");
}
function expectedFigures(figures) {
  return figures ? { ...figures } : void 0;
}
function round(n) {
  return Math.round(n * 100) / 100;
}
function tail(output, lines = 20) {
  return output.split("\n").slice(-lines).join("\n");
}

// src/workspace/diff.ts
import { createTwoFilesPatch, structuredPatch } from "diff";
var CONTEXT_LINES = 3;
function unifiedDiff(change) {
  if (change.before === change.after) return "";
  const oldName = change.before === void 0 ? "/dev/null" : `a/${change.path}`;
  const newName = change.after === void 0 ? "/dev/null" : `b/${change.path}`;
  return createTwoFilesPatch(oldName, newName, change.before ?? "", change.after ?? "", void 0, void 0, {
    context: CONTEXT_LINES,
    headerOptions: { includeIndex: false, includeUnderline: false, includeFileHeaders: true }
  });
}

// src/engine/retry-policy.ts
function backoffDelay(backoff, next, random = Math.random) {
  const exponent = Math.max(0, next - 2);
  const capped = Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** exponent);
  return Math.round(backoff.jitter ? random() * capped : capped);
}
function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

// src/engine/executor.ts
var Interrupted = class extends Error {
  constructor(reason) {
    super(reason);
    this.name = "AbortError";
  }
};
async function execute(plan, selection, options) {
  const now = options.now ?? Date.now;
  const sleep2 = options.sleep ?? sleep;
  const random = options.random ?? Math.random;
  const started = now();
  const stop = new AbortController();
  let interrupted = false;
  const onInterrupt = () => {
    interrupted = true;
    stop.abort(new Interrupted("interrupted"));
  };
  if (options.signal.aborted) onInterrupt();
  else options.signal.addEventListener("abort", onInterrupt, { once: true });
  const emit = (event) => options.emit({ ...event, time: now(), runId: options.runId });
  const counts = { total: selection.tasks.size, changed: 0, unchanged: 0, skipped: 0, awaiting: 0, failed: 0, cancelled: 0, blocked: 0, doneEarlier: 0 };
  let criticalFailure = false;
  let checkpointFailure = false;
  const global = pLimit(options.sequential ? 1 : Math.max(1, options.concurrency ?? plan.settings.maxParallel));
  const promptLock = pLimit(1);
  const prompt = options.yes ? async () => "done" : options.prompt ? (request) => promptLock(() => options.prompt(request)) : void 0;
  const failFast = options.failFast ?? plan.settings.failFast;
  const selectedPhases = new Set(selection.phases.map((p) => p.id));
  const allTasks = selection.phases.flatMap((p) => p.groups.flatMap((g) => g.tasks)).filter((t) => selection.tasks.has(t.id));
  emit({
    type: "run:start",
    planFile: options.planFile,
    planHash: plan.source.sha256,
    root: plan.project.root,
    dryRun: options.dryRun,
    tasks: allTasks.map((t) => t.id),
    phases: selection.phases.map((p) => p.id),
    fingerprints: Object.fromEntries(allTasks.map((t) => [t.id, t.fingerprint])),
    pid: process.pid
  });
  const skipTask = (task, reason, detail) => {
    if (!selection.tasks.has(task.id)) return "neutral";
    if (reason === "cancelled") counts.cancelled++;
    else counts.blocked++;
    emit({ type: "task:skip", taskId: task.id, reason, detail });
    return reason === "cancelled" ? "cancelled" : "blocked";
  };
  const runTask = async (task, groupLimit, phaseLimit) => {
    if (!selection.tasks.has(task.id)) return "neutral";
    const earlier = options.previous?.tasks[task.id];
    if (!options.force && earlier && (earlier.status === "done" || earlier.status === "skipped") && earlier.fingerprint === task.fingerprint) {
      counts.doneEarlier++;
      emit({ type: "task:skip", taskId: task.id, reason: earlier.status === "done" ? "done-earlier" : "settled", detail: earlier.status === "done" ? "done in an earlier run" : "skipped by a person" });
      return "ok";
    }
    if (stop.signal.aborted) return skipTask(task, "cancelled", "the run was stopped before this task started");
    const handler = options.handlerFor(task.type);
    if (!handler) throw new UserError(`no handler for task type ${task.type}`);
    const taskStarted = now();
    emit({ type: "task:start", taskId: task.id, phaseId: task.phaseId, groupId: task.groupId });
    const maxAttempts = task.settings.retries + 1;
    const finish = (status2, summary, files, attempts, error, errorFile) => emit({ type: "task:finish", taskId: task.id, status: status2, summary, files, attempts, durationMs: now() - taskStarted, error, errorFile, fingerprint: task.fingerprint });
    for (let attempt = 1; ; attempt++) {
      emit({ type: "task:attempt", taskId: task.id, attempt, maxAttempts });
      const result = await groupLimit(() => phaseLimit(() => global(() => runAttempt(task, handler, attempt))));
      if (result.ok) {
        const { outcome, changes } = result;
        for (const change of changes) if (options.dryRun) emit({ type: "task:diff", taskId: task.id, path: change.path, diff: unifiedDiff(change) });
        counts[outcome.status === "awaiting" ? "awaiting" : outcome.status]++;
        finish(outcome.status, outcome.summary, outcome.files.length ? outcome.files : changes.map((c) => c.path), attempt);
        return outcome.status === "awaiting" ? "awaiting" : "ok";
      }
      if (result.abortRun) onInterrupt();
      if (stop.signal.aborted) {
        counts.cancelled++;
        finish("cancelled", interrupted ? "interrupted" : "cancelled: another task failed (fail-fast)", [], attempt, result.message);
        return "cancelled";
      }
      if (attempt < maxAttempts && result.retryable) {
        const delayMs = backoffDelay(task.settings.backoff, attempt + 1, random);
        emit({ type: "task:retry", taskId: task.id, attempt, maxAttempts, error: result.message, delayMs });
        try {
          await sleep2(delayMs, stop.signal);
          continue;
        } catch {
          counts.cancelled++;
          finish("cancelled", "cancelled while waiting to retry", [], attempt, result.message);
          return "cancelled";
        }
      }
      counts.failed++;
      finish("failed", result.message.split("\n")[0] ?? "failed", [], attempt, result.message, result.file);
      if (task.settings.continueOnError) return "soft-failed";
      criticalFailure = true;
      if (failFast) stop.abort(new Interrupted("fail-fast"));
      return "failed";
    }
  };
  const runAttempt = async (task, handler, attempt) => {
    if (stop.signal.aborted) return { ok: false, message: "cancelled before the attempt started", retryable: false, abortRun: false };
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Interrupted(`timed out after ${formatDuration(task.settings.timeoutMs)}`));
    }, task.settings.timeoutMs);
    const onStop = () => controller.abort(stop.signal.reason);
    stop.signal.addEventListener("abort", onStop, { once: true });
    const view = options.workspace.view();
    try {
      const ctx = {
        root: plan.project.root,
        workspace: view,
        variables: task.variables,
        signal: controller.signal,
        log: (line) => emit({ type: "task:output", taskId: task.id, line }),
        prompt: task.type === "manual" ? prompt : void 0,
        dryRun: options.dryRun,
        attempt
      };
      const outcome = await raceAbort(handler.run(task.spec, ctx), controller.signal);
      if (controller.signal.aborted) throw controller.signal.reason;
      const changes = await view.commit();
      return { ok: true, outcome, changes };
    } catch (error) {
      view.discard();
      if (timedOut) return { ok: false, message: `timed out after ${formatDuration(task.settings.timeoutMs)}`, retryable: true, abortRun: false };
      if (stop.signal.aborted) return { ok: false, message: errorMessage(stop.signal.reason), retryable: false, abortRun: false };
      const abortRun = error instanceof UserError && error.exitCode === ExitCode.interrupted;
      const retryable = !(error instanceof UserError && error.retryable === false) && !abortRun;
      const hint = error instanceof UserError && error.hint ? `
hint: ${error.hint}` : "";
      const file = error instanceof UserError ? error.file : void 0;
      return { ok: false, message: `${errorMessage(error)}${hint}`, retryable, abortRun, file };
    } finally {
      clearTimeout(timer);
      stop.signal.removeEventListener("abort", onStop);
    }
  };
  const runGroup = async (phase, group, phaseLimit) => {
    const sequential = group.execution === "sequential" || options.sequential === true;
    const groupLimit = pLimit(sequential ? 1 : Math.max(1, group.maxParallel));
    const selected = group.tasks.some((t) => selection.tasks.has(t.id));
    if (selected) emit({ type: "group:start", phaseId: phase.id, groupId: group.id });
    const ends = [];
    if (sequential) {
      let blockedBy;
      for (const task of group.tasks) {
        if (blockedBy) {
          ends.push(skipTask(task, stop.signal.aborted ? "cancelled" : "dependency-failed", blockedBy));
          continue;
        }
        const end = await runTask(task, groupLimit, phaseLimit);
        ends.push(end);
        if (end === "failed") blockedBy = `task ${task.id} before it in group ${group.id} failed`;
        else if (end === "awaiting") blockedBy = `task ${task.id} before it in group ${group.id} awaits a person`;
        else if (end === "cancelled") blockedBy = "the run was stopped";
      }
    } else {
      ends.push(...await Promise.all(group.tasks.map((task) => runTask(task, groupLimit, phaseLimit))));
    }
    const status2 = unitStatus(ends);
    if (selected) emit({ type: "group:finish", phaseId: phase.id, groupId: group.id, status: status2 });
    return status2;
  };
  const phaseRuns = /* @__PURE__ */ new Map();
  const runPhase = (phase) => {
    let running = phaseRuns.get(phase.id);
    if (!running) {
      running = phaseBody(phase);
      phaseRuns.set(phase.id, running);
    }
    return running;
  };
  const byId = new Map(plan.phases.map((p) => [p.id, p]));
  const phaseBody = async (phase) => {
    const depStatuses = await Promise.all(phase.dependsOn.filter((d) => selectedPhases.has(d)).map((d) => runPhase(byId.get(d))));
    const blocking = phase.dependsOn.filter((d) => selectedPhases.has(d)).find((_, i) => depStatuses[i] !== "done");
    const phaseTasks = phase.groups.flatMap((g) => g.tasks);
    if (blocking !== void 0 || stop.signal.aborted) {
      const detail = stop.signal.aborted ? "the run was stopped" : `phase ${blocking} did not finish`;
      const ends = phaseTasks.map((t) => skipTask(t, stop.signal.aborted ? "cancelled" : "dependency-failed", detail));
      if (ends.some((e) => e !== "neutral")) emit({ type: "phase:finish", phaseId: phase.id, status: stop.signal.aborted ? "cancelled" : "skipped", durationMs: 0 });
      return stop.signal.aborted ? "cancelled" : "skipped";
    }
    const phaseStarted = now();
    emit({ type: "phase:start", phaseId: phase.id });
    const phaseLimit = pLimit(Math.max(1, phase.maxParallel));
    const groupRuns = /* @__PURE__ */ new Map();
    const groupsById = new Map(phase.groups.map((g) => [g.id, g]));
    const runGroupOnce = (group) => {
      let running = groupRuns.get(group.id);
      if (!running) {
        running = (async () => {
          const deps = await Promise.all(group.dependsOn.map((d) => runGroupOnce(groupsById.get(d))));
          const failedDep = group.dependsOn.find((_, i) => deps[i] !== "done");
          if (failedDep !== void 0 || stop.signal.aborted) {
            const detail = stop.signal.aborted ? "the run was stopped" : `group ${failedDep} did not finish`;
            const ends = group.tasks.map((t) => skipTask(t, stop.signal.aborted ? "cancelled" : "dependency-failed", detail));
            return ends.every((e) => e === "neutral") ? "done" : stop.signal.aborted ? "cancelled" : "skipped";
          }
          return runGroup(phase, group, phaseLimit);
        })();
        groupRuns.set(group.id, running);
      }
      return running;
    };
    const statuses = await Promise.all(phase.groups.map(runGroupOnce));
    let status2 = worst(statuses);
    const complete = phaseTasks.every((t) => selection.tasks.has(t.id) || isDoneEarlier(t));
    if (status2 === "done" && complete && !options.dryRun && phase.checkpoints.length > 0) {
      const ranNothing = phaseTasks.every((t) => isDoneEarlier(t)) && !options.force;
      if (!(ranNothing && options.previous?.checkpointsPassed[phase.id] === true)) {
        status2 = await runCheckpoints(phase, phaseStarted);
      }
    }
    emit({ type: "phase:finish", phaseId: phase.id, status: status2, durationMs: now() - phaseStarted });
    return status2;
  };
  const isDoneEarlier = (task) => {
    const earlier = options.previous?.tasks[task.id];
    return !!earlier && (earlier.status === "done" || earlier.status === "skipped") && earlier.fingerprint === task.fingerprint;
  };
  const runCheckpoints = async (phase, since) => {
    for (const checkpoint of phase.checkpoints) {
      if (stop.signal.aborted) return "cancelled";
      const started2 = now();
      emit({ type: "checkpoint:start", phaseId: phase.id, name: checkpoint.name });
      const result = await global(
        () => runCheckpoint(checkpoint, {
          root: plan.project.root,
          since,
          signal: stop.signal,
          onLine: (line) => emit({ type: "task:output", taskId: `checkpoint:${phase.id}:${checkpoint.name}`, line })
        })
      );
      emit({
        type: "checkpoint:finish",
        phaseId: phase.id,
        name: checkpoint.name,
        passed: result.passed,
        detail: result.detail,
        coverage: result.coverage,
        expected: result.expected ?? (checkpoint.kind === "coverage" ? void 0 : expectedFigures(void 0)),
        durationMs: now() - started2
      });
      if (!result.passed) {
        checkpointFailure = true;
        if (failFast) stop.abort(new Interrupted("fail-fast"));
        return "failed";
      }
    }
    return "done";
  };
  try {
    await Promise.all(selection.phases.map(runPhase));
  } finally {
    options.signal.removeEventListener("abort", onInterrupt);
  }
  const status = interrupted ? "interrupted" : criticalFailure || checkpointFailure ? "failed" : counts.awaiting > 0 ? "awaiting" : "done";
  const exitCode = { interrupted: ExitCode.interrupted, failed: ExitCode.failed, awaiting: ExitCode.awaiting, done: ExitCode.ok }[status];
  const durationMs = now() - started;
  emit({ type: "run:finish", status, exitCode, durationMs, counts });
  return { status, exitCode, counts, durationMs, changes: options.workspace.changes() };
}
function unitStatus(ends) {
  if (ends.includes("cancelled")) return "cancelled";
  if (ends.includes("failed")) return "failed";
  if (ends.includes("awaiting")) return "awaiting";
  if (ends.includes("blocked")) return "skipped";
  return "done";
}
function worst(statuses) {
  for (const s of ["cancelled", "failed", "awaiting", "skipped"]) if (statuses.includes(s)) return s;
  return "done";
}
function raceAbort(promise, signal) {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      }
    );
  });
}

// bench/engine.ts
init_process();

// src/plan/resolve.ts
import { createHash } from "node:crypto";
init_errors();

// src/plan/types.ts
var BUILTIN_DEFAULTS = {
  retries: 0,
  backoff: { initialMs: 1e3, factor: 2, maxMs: 3e4, jitter: true },
  timeoutMs: 10 * 6e4,
  maxParallel: 4,
  failFast: false,
  continueOnError: false,
  checkpointTimeoutMs: 30 * 6e4
};

// src/plan/resolve.ts
function resolvePlan(config, options) {
  const defaults = config.defaults ?? {};
  const planVariables = config.variables ?? {};
  const phases = [];
  let previousPhase;
  for (const phase of config.phases) {
    const dependsOn = phase.depends_on ?? (previousPhase === void 0 ? [] : [previousPhase]);
    previousPhase = phase.id;
    phases.push(resolvePhase(phase, dependsOn, [defaults], { ...planVariables }, defaults.max_parallel ?? BUILTIN_DEFAULTS.maxParallel));
  }
  linkDependents(phases);
  const waves = assignWaves(phases);
  return {
    project: { name: config.project?.name ?? "plan", root: options.root },
    source: options.source,
    settings: { maxParallel: defaults.max_parallel ?? BUILTIN_DEFAULTS.maxParallel, failFast: defaults.fail_fast ?? BUILTIN_DEFAULTS.failFast },
    variables: planVariables,
    templatesDir: config.templates_dir,
    waves,
    phases
  };
}
function resolvePhase(phase, dependsOn, outer, variables, globalMax) {
  const cascade = [...outer, phase];
  const phaseVariables = { ...variables, ...phase.variables ?? {} };
  const groups = [];
  let previousGroup;
  for (const group of phase.groups) {
    const groupDeps = group.depends_on ?? (previousGroup === void 0 ? [] : [previousGroup]);
    previousGroup = group.id;
    groups.push(resolveGroup(phase.id, group, groupDeps, cascade, phaseVariables));
  }
  const maxParallel = Math.min(phase.max_parallel ?? globalMax, globalMax);
  for (const group of groups) group.maxParallel = Math.min(group.maxParallel, maxParallel);
  linkDependents(groups);
  assignWaves(groups);
  return {
    id: phase.id,
    name: phase.name,
    description: phase.description,
    dependsOn,
    dependents: [],
    parallelWith: phase.parallel_with ?? [],
    wave: 0,
    maxParallel,
    expectedCoverage: phase.expected_coverage,
    groups,
    checkpoints: (phase.checkpoints ?? []).map((checkpoint) => ({
      name: checkpoint.name,
      kind: checkpoint.run !== void 0 ? "run" : "coverage",
      spec: checkpoint,
      timeoutMs: checkpoint.timeout ?? BUILTIN_DEFAULTS.checkpointTimeoutMs
    }))
  };
}
function resolveGroup(phaseId, group, dependsOn, outer, variables) {
  const cascade = [...outer, group];
  const groupVariables = { ...variables, ...group.variables ?? {} };
  const execution = group.execution ?? "sequential";
  return {
    id: group.id,
    key: `${phaseId}/${group.id}`,
    name: group.name ?? group.id,
    phaseId,
    execution,
    maxParallel: execution === "sequential" ? 1 : group.max_parallel ?? Number.POSITIVE_INFINITY,
    dependsOn,
    dependents: [],
    wave: 0,
    continueOnError: group.continue_on_error ?? false,
    tasks: group.tasks.map((task) => resolveTask(phaseId, group.id, task, [...cascade], groupVariables))
  };
}
function resolveTask(phaseId, groupId, task, outer, variables) {
  const handler = handlerFor(task.type);
  if (!handler) throw new BugError(`no handler for validated task type ${task.type}`);
  const cascade = [...outer, task];
  const description = handler.describe(task);
  return {
    id: task.id,
    name: task.name ?? description,
    type: task.type,
    description,
    touches: handler.touches?.(task) ?? [],
    phaseId,
    groupId,
    settings: settingsFrom(cascade),
    variables: { ...variables, ...task.variables ?? {} },
    spec: task,
    fingerprint: fingerprint(task)
  };
}
function settingsFrom(levels) {
  const pick = (key) => {
    for (let i = levels.length - 1; i >= 0; i--) {
      const value = levels[i]?.[key];
      if (value !== void 0) return value;
    }
    return void 0;
  };
  const backoff = { ...BUILTIN_DEFAULTS.backoff };
  for (const level of levels) {
    const b = level.backoff;
    if (!b) continue;
    if (b.initial !== void 0) backoff.initialMs = b.initial;
    if (b.factor !== void 0) backoff.factor = b.factor;
    if (b.max !== void 0) backoff.maxMs = b.max;
    if (b.jitter !== void 0) backoff.jitter = b.jitter;
  }
  return {
    retries: pick("retries") ?? BUILTIN_DEFAULTS.retries,
    backoff,
    timeoutMs: pick("timeout") ?? BUILTIN_DEFAULTS.timeoutMs,
    continueOnError: pick("continue_on_error") ?? BUILTIN_DEFAULTS.continueOnError
  };
}
function fingerprint(value) {
  return createHash("sha256").update(stableJson(value)).digest("hex").slice(0, 16);
}
function stableJson(value) {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== void 0).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
function linkDependents(nodes) {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  for (const node of nodes) for (const dep of node.dependsOn) byId.get(dep)?.dependents.push(node.id);
}
function assignWaves(nodes) {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const memo = /* @__PURE__ */ new Map();
  const waveOf = (node, depth) => {
    const known = memo.get(node.id);
    if (known !== void 0) return known;
    if (depth > nodes.length) throw new BugError("cycle in a graph that passed the cycle check");
    let wave = 1;
    for (const dep of node.dependsOn) {
      const other = byId.get(dep);
      if (other) wave = Math.max(wave, waveOf(other, depth + 1) + 1);
    }
    memo.set(node.id, wave);
    return wave;
  };
  const waves = [];
  for (const node of nodes) {
    node.wave = waveOf(node, 0);
    (waves[node.wave - 1] ??= []).push(node.id);
  }
  return waves.filter(Boolean);
}

// src/plan/selection.ts
init_errors();
function selectWork(plan, input, isPhaseDone) {
  const byId = new Map(plan.phases.map((p) => [p.id, p]));
  const knownPhases = plan.phases.map((p) => p.id).join(", ");
  let phaseIds;
  if (input.task && input.task.length > 0) {
    const all = new Map(plan.phases.flatMap((p) => p.groups.flatMap((g) => g.tasks.map((t) => [t.id, p.id]))));
    const missing = input.task.filter((id) => !all.has(id));
    if (missing.length) throw new UserError(`no task ${missing.map((m) => `"${m}"`).join(", ")} in ${plan.source.file}`, { hint: "see `orchestrate plan` for task ids" });
    phaseIds = [...new Set(input.task.map((id) => all.get(id)))];
  } else if (input.phases && input.phases.length > 0) {
    phaseIds = input.phases.flatMap((p) => String(p).split(",")).map((p) => p.trim());
    const missing = phaseIds.filter((id) => !byId.has(id));
    if (missing.length) throw new UserError(`no phase ${missing.map((m) => `"${m}"`).join(", ")} in ${plan.source.file}`, { hint: `phases are: ${knownPhases}` });
  } else if (input.all) {
    phaseIds = plan.phases.map((p) => p.id);
  } else {
    throw new UserError("say what to run: --phase N, --all, or --task ID", { hint: `phases are: ${knownPhases}` });
  }
  const selected = new Set(phaseIds);
  const added = [];
  const visit = (id, from) => {
    for (const dep of byId.get(id)?.dependsOn ?? []) {
      if (selected.has(dep) || isPhaseDone(dep)) continue;
      if (!input.withDeps) {
        throw new UserError(`phase ${from} depends on phase ${dep}, which is not done yet`, {
          hint: `run phase ${dep} first (orchestrate run --phase ${dep}), or add --with-deps to run it now`
        });
      }
      selected.add(dep);
      added.push(dep);
      visit(dep, dep);
    }
  };
  for (const id of phaseIds) visit(id, id);
  const phases = plan.phases.filter((p) => selected.has(p.id));
  const tasks = /* @__PURE__ */ new Set();
  let groupFound = input.group === void 0;
  for (const phase of phases) {
    for (const group of phase.groups) {
      const inGroup = input.group === void 0 || group.id === input.group || group.key === input.group || !phaseIds.includes(phase.id);
      if (input.group !== void 0 && (group.id === input.group || group.key === input.group)) groupFound = true;
      for (const task of group.tasks) {
        if (input.task && input.task.length > 0 && phaseIds.includes(phase.id) && !input.task.includes(task.id)) continue;
        if (inGroup) tasks.add(task.id);
      }
    }
  }
  if (!groupFound) {
    const groups = phases.filter((p) => phaseIds.includes(p.id)).flatMap((p) => p.groups.map((g) => g.key));
    throw new UserError(`no group "${input.group}" in the selected phases`, { hint: `groups are: ${groups.join(", ")} (use phase/group when ids repeat)` });
  }
  return { phases, tasks, addedDependencies: added };
}

// src/state/run-log.ts
init_errors();
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path2 from "node:path";
function createRunId(now = /* @__PURE__ */ new Date()) {
  const stamp = now.toISOString().replace(/[-:]/g, "");
  return `${stamp}-${randomBytes(3).toString("hex")}`;
}
function formatLogLine(event) {
  return `${JSON.stringify(event)}
`;
}
var RunLogWriter = class _RunLogWriter {
  constructor(file, fd) {
    this.file = file;
    this.fd = fd;
  }
  file;
  fd;
  size = 0;
  /** Open (creating folders and file as needed) for appending. */
  static open(file) {
    fs.mkdirSync(path2.dirname(file), { recursive: true });
    const fd = fs.openSync(file, "a+");
    const writer = new _RunLogWriter(file, fd);
    writer.size = fs.fstatSync(fd).size;
    if (!endsWithNewline(fd, writer.size)) writer.writeAll("\n");
    return writer;
  }
  /** Length of the file in bytes, as far as this writer knows (it is the only writer). */
  get bytes() {
    return this.size;
  }
  /** Write one event as one line. */
  append(event) {
    this.writeAll(formatLogLine(event));
  }
  /** Close the file; later appends are a bug. */
  close() {
    if (this.fd === void 0) return;
    fs.closeSync(this.fd);
    this.fd = void 0;
  }
  writeAll(text) {
    if (this.fd === void 0) throw new Error(`run log ${this.file} is closed`);
    const buffer = Buffer.from(text, "utf8");
    let offset = 0;
    while (offset < buffer.length) {
      offset += fs.writeSync(this.fd, buffer, offset, buffer.length - offset);
    }
    this.size += buffer.length;
  }
};
function endsWithNewline(fd, size) {
  if (size === 0) return true;
  const last = Buffer.alloc(1);
  fs.readSync(fd, last, 0, 1, size - 1);
  return last[0] === 10;
}
function readRunLog(file) {
  let data;
  try {
    data = fs.readFileSync(file);
  } catch (error) {
    return { events: [], bytes: 0, warnings: [`${file}: could not be read (${errorMessage(error)}); ignored`] };
  }
  const lines = data.toString("utf8").split("\n");
  const last = lines.length - 1;
  const events = [];
  const warnings = [];
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    const event = parseEvent(line);
    if (event !== void 0) {
      events.push(event);
    } else if (index === last) {
      warnings.push(
        `${file}:${index + 1}: the last line is incomplete (the run was probably stopped while writing it); ignored`
      );
    } else {
      warnings.push(`${file}:${index + 1}: not a valid event; skipped`);
    }
  });
  return { events, bytes: data.length, warnings };
}
function listRunLogs(runsDir) {
  let names;
  try {
    names = fs.readdirSync(runsDir);
  } catch {
    return [];
  }
  return names.filter((name2) => name2.endsWith(".jsonl")).sort().map((name2) => path2.join(runsDir, name2));
}
function parseEvent(line) {
  let value;
  try {
    value = JSON.parse(line);
  } catch {
    return void 0;
  }
  if (typeof value !== "object" || value === null) return void 0;
  const record = value;
  if (typeof record.type !== "string" || typeof record.runId !== "string" || typeof record.time !== "number") {
    return void 0;
  }
  return value;
}

// src/state/snapshot-schema.ts
import { z as z7 } from "zod";
var coverageSchema = z7.object({
  lines: z7.number().optional(),
  statements: z7.number().optional(),
  functions: z7.number().optional(),
  branches: z7.number().optional()
});
var runStatuses = ["running", "done", "failed", "awaiting", "interrupted"];
var taskStatuses = ["done", "failed", "cancelled", "awaiting", "skipped", "running"];
var taskOutcomes = ["changed", "unchanged", "skipped", "awaiting"];
var runRecordSchema = z7.object({
  id: z7.string(),
  startedAt: z7.string(),
  finishedAt: z7.string().optional(),
  status: z7.enum(runStatuses),
  dryRun: z7.literal(false),
  /** The run's process; tells a live run from a dead one while it shows `running`. */
  pid: z7.number().optional()
});
var taskRecordSchema = z7.object({
  status: z7.enum(taskStatuses),
  outcome: z7.enum(taskOutcomes).optional(),
  summary: z7.string(),
  files: z7.array(z7.string()),
  attempts: z7.number(),
  durationMs: z7.number(),
  lastRunId: z7.string(),
  finishedAt: z7.string().optional(),
  fingerprint: z7.string(),
  error: z7.string().optional(),
  errorFile: z7.string().optional()
});
var checkpointRecordSchema = z7.object({
  name: z7.string(),
  passed: z7.boolean(),
  detail: z7.string(),
  coverage: coverageSchema.optional(),
  expected: coverageSchema.optional(),
  time: z7.string(),
  runId: z7.string()
});
var decisionRecordSchema = z7.object({
  decision: z7.enum(["approved", "skipped"]),
  by: z7.string(),
  note: z7.string().optional(),
  time: z7.string()
});
var snapshotSchema = z7.object({
  version: z7.literal(1),
  planHash: z7.string(),
  updatedAt: z7.string(),
  runs: z7.array(runRecordSchema),
  tasks: z7.record(z7.string(), taskRecordSchema),
  checkpoints: z7.record(z7.string(), z7.array(checkpointRecordSchema)),
  decisions: z7.record(z7.string(), decisionRecordSchema),
  /**
   * Bytes of each run log (by file name) this snapshot has folded in. Kept by
   * the store, not by reduce: it tells exactly whether state.json is current,
   * where file times are too coarse to.
   */
  logs: z7.record(z7.string(), z7.number()).optional()
});
function emptySnapshot() {
  return { version: 1, planHash: "", updatedAt: (/* @__PURE__ */ new Date(0)).toISOString(), runs: [], tasks: {}, checkpoints: {}, decisions: {} };
}
function parseSnapshot(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const result = snapshotSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    return { error: issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "invalid" };
  }
  return { snapshot: result.data };
}

// src/state/snapshot.ts
var persistedEventTypes = /* @__PURE__ */ new Set([
  "run:start",
  "task:finish",
  "checkpoint:finish",
  "decision",
  "run:finish"
]);
var INTERRUPTED = "interrupted: the run stopped before this task finished";
function reduceInPlace(snapshot, event) {
  return fold(snapshot, event, withTaskInPlace);
}
function fold(snapshot, event, withTask) {
  if (event.type === "decision") return applyDecision(snapshot, event);
  if (event.type === "run:start") {
    if (event.dryRun || snapshot.runs.some((run2) => run2.id === event.runId)) return snapshot;
    const run = { id: event.runId, startedAt: iso(event.time), status: "running", dryRun: false, pid: event.pid };
    return { ...snapshot, planHash: event.planHash, updatedAt: iso(event.time), runs: [...snapshot.runs, run] };
  }
  if (!snapshot.runs.some((run) => run.id === event.runId)) return snapshot;
  switch (event.type) {
    case "task:start": {
      const previous = snapshot.tasks[event.taskId];
      const record = {
        status: "running",
        summary: "",
        files: [],
        attempts: 0,
        durationMs: 0,
        lastRunId: event.runId,
        fingerprint: previous?.fingerprint ?? ""
      };
      return withTask(snapshot, event, event.taskId, record);
    }
    case "task:attempt": {
      const current = snapshot.tasks[event.taskId];
      if (current?.status !== "running" || current.lastRunId !== event.runId) return snapshot;
      return withTask(snapshot, event, event.taskId, { ...current, attempts: event.attempt });
    }
    case "task:finish":
      return withTask(snapshot, event, event.taskId, finishedTask(event));
    case "checkpoint:finish":
      return applyCheckpoint(snapshot, event);
    case "run:finish": {
      const runs = snapshot.runs.map(
        (run) => run.id === event.runId ? { ...run, status: event.status, finishedAt: iso(event.time) } : run
      );
      return { ...cancelRunning(snapshot, event.runId, iso(event.time)), runs, updatedAt: iso(event.time) };
    }
    default:
      return snapshot;
  }
}
function settleInterrupted(snapshot, isLive = () => false) {
  const dead = snapshot.runs.filter((run) => run.status === "running" && !isLive(run));
  if (dead.length === 0) return snapshot;
  let next = {
    ...snapshot,
    runs: snapshot.runs.map((run) => dead.includes(run) ? { ...run, status: "interrupted" } : run)
  };
  for (const run of dead) next = cancelRunning(next, run.id, void 0);
  return next;
}
function snapshotFromLogs(logs, isLive) {
  let snapshot = emptySnapshot();
  for (const events of logs) for (const event of events) snapshot = reduceInPlace(snapshot, event);
  return settleInterrupted(snapshot, isLive);
}
function finishedTask(event) {
  const record = {
    status: finalStatus(event.status),
    summary: event.summary,
    files: [...event.files],
    attempts: event.attempts,
    durationMs: event.durationMs,
    lastRunId: event.runId,
    finishedAt: iso(event.time),
    fingerprint: event.fingerprint
  };
  if (event.status !== "failed" && event.status !== "cancelled") record.outcome = event.status;
  if (event.error !== void 0) record.error = event.error;
  if (event.errorFile !== void 0) record.errorFile = event.errorFile;
  return record;
}
function finalStatus(status) {
  switch (status) {
    case "changed":
    case "unchanged":
    case "skipped":
      return "done";
    default:
      return status;
  }
}
function applyCheckpoint(snapshot, event) {
  const entry = {
    name: event.name,
    passed: event.passed,
    detail: event.detail,
    ...event.coverage === void 0 ? {} : { coverage: { ...event.coverage } },
    ...event.expected === void 0 ? {} : { expected: { ...event.expected } },
    time: iso(event.time),
    runId: event.runId
  };
  const list = snapshot.checkpoints[event.phaseId] ?? [];
  const index = list.findIndex((checkpoint) => checkpoint.name === event.name);
  const next = index === -1 ? [...list, entry] : list.map((checkpoint, i) => i === index ? entry : checkpoint);
  return { ...snapshot, updatedAt: iso(event.time), checkpoints: { ...snapshot.checkpoints, [event.phaseId]: next } };
}
function applyDecision(snapshot, event) {
  const time = iso(event.time);
  const decision = { decision: event.decision, by: event.by, ...event.note === void 0 ? {} : { note: event.note }, time };
  const previous = snapshot.tasks[event.taskId];
  const approved = event.decision === "approved";
  const task = {
    status: approved ? "done" : "skipped",
    outcome: approved ? "changed" : "skipped",
    summary: `${approved ? "approved" : "skipped"} by ${event.by}${event.note === void 0 ? "" : `: ${event.note}`}`,
    files: previous?.files ?? [],
    attempts: previous?.attempts ?? 0,
    durationMs: previous?.durationMs ?? 0,
    lastRunId: event.runId,
    finishedAt: time,
    fingerprint: previous?.fingerprint ?? ""
  };
  return {
    ...withTaskCopy(snapshot, event, event.taskId, task),
    decisions: { ...snapshot.decisions, [event.taskId]: decision }
  };
}
function cancelRunning(snapshot, runId, finishedAt) {
  const entries = Object.entries(snapshot.tasks);
  if (!entries.some(([, task]) => task.status === "running" && task.lastRunId === runId)) return snapshot;
  const tasks = {};
  for (const [id, task] of entries) {
    const stuck = task.status === "running" && task.lastRunId === runId;
    tasks[id] = stuck ? { ...task, status: "cancelled", error: INTERRUPTED, ...finishedAt === void 0 ? {} : { finishedAt } } : task;
  }
  return { ...snapshot, tasks };
}
function withTaskCopy(snapshot, event, taskId, task) {
  return { ...snapshot, updatedAt: iso(event.time), tasks: { ...snapshot.tasks, [taskId]: task } };
}
function withTaskInPlace(snapshot, event, taskId, task) {
  snapshot.tasks[taskId] = task;
  snapshot.updatedAt = iso(event.time);
  return snapshot;
}
function iso(time) {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? (/* @__PURE__ */ new Date(0)).toISOString() : date.toISOString();
}

// src/state/store.ts
init_errors();
import path5 from "node:path";

// src/state/lock.ts
init_errors();
import fs2 from "node:fs";
import os from "node:os";
import lockfile from "proper-lockfile";
import writeFileAtomic from "write-file-atomic";

// src/state/paths.ts
import path3 from "node:path";
function statePaths(root) {
  const dir = path3.join(path3.resolve(root), ".orchestrate");
  return {
    dir,
    runsDir: path3.join(dir, "runs"),
    stateFile: path3.join(dir, "state.json"),
    lockDir: path3.join(dir, "lock"),
    holderFile: path3.join(dir, "lock.json")
  };
}
function runLogPath(root, runId) {
  return path3.join(statePaths(root).runsDir, `${runId}.jsonl`);
}

// src/state/lock.ts
function readLockHolder(root) {
  return readHolderFile(statePaths(root).holderFile);
}
function readHolderFile(file) {
  try {
    const value = JSON.parse(fs2.readFileSync(file, "utf8"));
    if (typeof value !== "object" || value === null) return void 0;
    const holder = value;
    if (typeof holder.pid !== "number" || typeof holder.startedAt !== "string") return void 0;
    return {
      pid: holder.pid,
      startedAt: holder.startedAt,
      hostname: typeof holder.hostname === "string" ? holder.hostname : "",
      command: typeof holder.command === "string" ? holder.command : ""
    };
  } catch {
    return void 0;
  }
}
function liveLockHolder(root) {
  if (!fs2.existsSync(statePaths(root).lockDir)) return void 0;
  const holder = readLockHolder(root);
  return holder !== void 0 && !isDeadLocally(holder) ? holder : void 0;
}
function isDeadLocally(holder) {
  if (holder.hostname !== os.hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return error.code === "ESRCH";
  }
}

// src/state/snapshot-file.ts
init_errors();
import fs3 from "node:fs";
import path4 from "node:path";
import writeFileAtomic2 from "write-file-atomic";
function writeSnapshotFile(file, snapshot) {
  writeFileAtomic2.sync(file, `${JSON.stringify(snapshot, null, 2)}
`, { fsync: false });
}
function readCachedSnapshot(file, logs, warnings) {
  let text;
  try {
    text = fs3.readFileSync(file, "utf8");
  } catch (error) {
    const missing = error.code === "ENOENT";
    if (!missing) warnings.push(`${file} could not be read (${errorMessage(error)}); rebuilt it from the run logs.`);
    else if (logs.length > 0) warnings.push(`${file} is missing; rebuilt it from ${logs.length} run log(s).`);
    return void 0;
  }
  const parsed = parseSnapshot(text);
  if ("error" in parsed) {
    warnings.push(`${file} is damaged (${parsed.error}); rebuilt it from the run logs.`);
    return void 0;
  }
  const covered = parsed.snapshot.logs ?? {};
  const current = logs.every((log) => {
    try {
      return fs3.statSync(log).size === covered[path4.basename(log)];
    } catch {
      return true;
    }
  });
  return current ? parsed.snapshot : void 0;
}
function removeTempFiles(stateFile) {
  const base = path4.basename(stateFile);
  let names = [];
  try {
    names = fs3.readdirSync(path4.dirname(stateFile));
  } catch {
    return;
  }
  for (const name2 of names) {
    if (name2.startsWith(`${base}.`) && /^\d+$/.test(name2.slice(base.length + 1))) {
      fs3.rmSync(path4.join(path4.dirname(stateFile), name2), { force: true });
    }
  }
}

// src/state/store.ts
var SAVE_INTERVAL_MS = 250;
var StateStore = class _StateStore {
  constructor(root, snapshot, logBytes2, warnings) {
    this.root = root;
    this.current = snapshot;
    this.logBytes = { ...logBytes2 };
    this.warnings = warnings;
  }
  root;
  /** For people: damaged logs skipped, a rebuilt snapshot, a failed snapshot write. Never fatal. */
  warnings;
  current;
  /** Bytes of each log folded into `current`; saved with it as `logs`. */
  logBytes;
  writer;
  savedOnce = false;
  // Dry runs touch nothing on disk, so they are neither logged nor folded in.
  dryRuns = /* @__PURE__ */ new Set();
  /** The state as of the last event recorded or read. */
  get snapshot() {
    return this.current;
  }
  /** Read the state of the repository at `root`, rebuilding the snapshot from the logs when needed. */
  static open(root) {
    const paths = statePaths(root);
    const warnings = [];
    const logs = listRunLogs(paths.runsDir);
    const isLive = liveRunCheck(root);
    const cached = readCachedSnapshot(paths.stateFile, logs, warnings);
    if (cached !== void 0) {
      const { logs: logBytes3 = {}, ...snapshot } = cached;
      return new _StateStore(root, settleInterrupted(snapshot, isLive), logBytes3, warnings);
    }
    const logBytes2 = {};
    const events = logs.map((file) => {
      const read = readRunLog(file);
      warnings.push(...read.warnings);
      logBytes2[path5.basename(file)] = read.bytes;
      return read.events;
    });
    return new _StateStore(root, snapshotFromLogs(events, isLive), logBytes2, warnings);
  }
  /**
   * Settle a manual task outside a run: writes a log of its own holding one
   * `decision` event (so a rebuild sees it) and updates state.json.
   */
  static appendDecision(root, input) {
    const store = _StateStore.open(root);
    const event = {
      type: "decision",
      time: Date.now(),
      runId: createRunId(),
      taskId: input.taskId,
      decision: input.decision,
      by: input.by,
      ...input.note === void 0 ? {} : { note: input.note }
    };
    store.record(event);
    store.close();
    return { snapshot: store.snapshot, warnings: store.warnings, event };
  }
  /**
   * Append an event to its run's log, fold it in, and rewrite state.json if it
   * settles something. Throws if the log cannot be written: without it nothing
   * of the run would survive; a failed state.json write is only a warning.
   */
  record(event) {
    if (event.type === "run:start" && event.dryRun) this.dryRuns.add(event.runId);
    if (this.dryRuns.has(event.runId)) {
      if (event.type === "run:finish") this.dryRuns.delete(event.runId);
      return;
    }
    this.append(event);
    this.current = reduceInPlace(this.current, event);
    if (persistedEventTypes.has(event.type)) {
      this.dirty = true;
      const now = Date.now();
      if (event.type !== "task:finish" || now - this.savedAt >= SAVE_INTERVAL_MS) this.persist(now);
    }
    if (event.type === "run:finish" && this.writer?.runId === event.runId) this.closeWriter();
  }
  /** Save what is not saved yet and close the open run log, if any. */
  close() {
    if (this.dirty) this.persist(Date.now());
    this.closeWriter();
  }
  append(event) {
    if (event.type === "run:start") {
      this.closeWriter();
      this.writer = { runId: event.runId, log: RunLogWriter.open(runLogPath(this.root, event.runId)) };
    }
    const name2 = path5.basename(runLogPath(this.root, event.runId));
    if (this.writer?.runId === event.runId) {
      this.writer.log.append(event);
      this.logBytes[name2] = this.writer.log.bytes;
      return;
    }
    const log = RunLogWriter.open(runLogPath(this.root, event.runId));
    try {
      log.append(event);
      this.logBytes[name2] = log.bytes;
    } finally {
      log.close();
    }
  }
  persist(now) {
    this.dirty = false;
    this.savedAt = now;
    const file = statePaths(this.root).stateFile;
    if (!this.savedOnce) removeTempFiles(file);
    this.savedOnce = true;
    try {
      writeSnapshotFile(file, { ...this.current, logs: this.logBytes });
    } catch (error) {
      this.warnings.push(`Could not save ${file} (${errorMessage(error)}); it will be rebuilt from the run logs.`);
    }
  }
  dirty = false;
  savedAt = 0;
  closeWriter() {
    this.writer?.log.close();
    this.writer = void 0;
  }
};
function liveRunCheck(root) {
  const holder = liveLockHolder(root);
  return (run) => holder !== void 0 && run.pid === holder.pid;
}

// src/workspace/workspace.ts
init_errors();
import { realpath, stat as stat3 } from "node:fs/promises";
import path8 from "node:path";

// src/workspace/disk.ts
init_errors();
import { mkdir, readFile as readFile2, rm, stat as stat2 } from "node:fs/promises";
import path7 from "node:path";
import writeFileAtomic3 from "write-file-atomic";

// src/workspace/paths.ts
init_errors();
import { lstatSync, readlinkSync, realpathSync } from "node:fs";
import path6 from "node:path";
var MAX_SYMLINK_HOPS = 40;
function toKey(relative) {
  if (relative.trim() === "" || relative.includes("\0")) {
    throw new UserError(`"${relative}" is not a valid file path`, {
      hint: 'Give a path relative to the target root, such as "src/index.ts".'
    });
  }
  if (path6.isAbsolute(relative) || path6.win32.isAbsolute(relative)) throw outside(relative);
  const normalized = path6.normalize(relative).split(path6.sep).join("/").replace(/\/+$/, "");
  if (normalized === ".." || normalized.startsWith("../")) throw outside(relative);
  if (normalized === "." || normalized === "") {
    throw new UserError(`"${relative}" names the target root itself, not a file`, {
      hint: "Give the path of a file inside the target root."
    });
  }
  return normalized;
}
function locate(root, relative) {
  const key = toKey(relative);
  const absolute = path6.join(root, ...key.split("/"));
  if (!isInside(root, physicalPath(absolute, relative))) throw outside(relative);
  return { key, absolute };
}
function resolveInside(root, relative) {
  return locate(root, relative).absolute;
}
function isInside(root, candidate) {
  const rel = path6.relative(root, candidate);
  return rel === "" || rel !== ".." && !rel.startsWith(`..${path6.sep}`) && !path6.isAbsolute(rel);
}
function outside(relative) {
  return new UserError(`"${relative}" is outside the target root`, {
    hint: 'Paths in a plan are relative to the target root and may not leave it, also not through "..", an absolute path or a symlink.'
  });
}
function physicalPath(absolute, shown, hops = 0) {
  if (hops > MAX_SYMLINK_HOPS) throw symlinkLoop(shown);
  let probe = absolute;
  const missing = [];
  for (; ; ) {
    try {
      lstatSync(probe);
      break;
    } catch (error) {
      if (!isMissing(error)) throw error;
      const parent = path6.dirname(probe);
      if (parent === probe) return absolute;
      missing.unshift(path6.basename(probe));
      probe = parent;
    }
  }
  try {
    return path6.join(realpathSync(probe), ...missing);
  } catch (error) {
    if (hasCode(error, "ELOOP")) throw symlinkLoop(shown);
    if (!isMissing(error)) throw error;
    const target = path6.resolve(realpathSync(path6.dirname(probe)), readlinkSync(probe));
    return physicalPath(path6.join(target, ...missing), shown, hops + 1);
  }
}
function symlinkLoop(shown) {
  return new UserError(`"${shown}" goes through a loop of symlinks`, {
    hint: "Fix or remove the symlinks on that path in the target repository."
  });
}
function isMissing(error) {
  return hasCode(error, "ENOENT") || hasCode(error, "ENOTDIR");
}
function hasCode(error, code) {
  return typeof error === "object" && error !== null && error.code === code;
}

// src/workspace/disk.ts
async function readDisk(absolute, shown) {
  try {
    return await readFile2(absolute, "utf8");
  } catch (error) {
    if (isMissing(error)) return void 0;
    if (hasCode(error, "EISDIR")) throw isDirectory2(shown, "read");
    throw new UserError(`Could not read "${shown}": ${errorMessage(error)}`, {
      hint: "Check that the file is readable by the user running orchestrate.",
      cause: error
    });
  }
}
async function diskKind(absolute) {
  try {
    return (await stat2(absolute)).isDirectory() ? "directory" : "file";
  } catch (error) {
    if (hasCode(error, "ENOTDIR")) return "under-file";
    if (isMissing(error)) return "absent";
    throw error;
  }
}
var PAST_PARTICIPLE = { read: "read", write: "written", remove: "removed" };
function isDirectory2(shown, action) {
  return new UserError(`"${shown}" is a directory, so it cannot be ${PAST_PARTICIPLE[action]} as a file`, {
    hint: "Give the path of a file; to put a file inside the directory, add its name to the path."
  });
}
async function applyToDisk(root, changes) {
  const done = [];
  for (const change of changes) {
    try {
      await applyContent(root, change.path, change.after);
      done.push(change);
    } catch (error) {
      const leftChanged = await rollBack(root, done);
      throw new UserError(`Could not write "${change.path}": ${errorMessage(error)}`, {
        hint: leftChanged.length === 0 ? "None of this task's changes were written; check permissions and free space, then run again." : `These files could not be restored and may hold this task's changes: ${leftChanged.join(", ")}.`,
        cause: error
      });
    }
  }
}
async function rollBack(root, done) {
  const failed = [];
  for (const change of [...done].reverse()) {
    try {
      await applyContent(root, change.path, change.before);
    } catch {
      failed.push(change.path);
    }
  }
  return failed;
}
async function applyContent(root, key, content) {
  const absolute = resolveInside(root, key);
  if (content === void 0) {
    await rm(absolute, { force: true });
    return;
  }
  await mkdir(path7.dirname(absolute), { recursive: true });
  await writeFileAtomic3(absolute, content, { encoding: "utf8" });
}

// src/workspace/transaction.ts
init_errors();

// src/workspace/line-endings.ts
var BOM = "\uFEFF";
function usesCrlf(text) {
  let crlf = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) {
    if (text[i - 1] !== "\r") return false;
    crlf += 1;
  }
  return crlf > 0;
}
function matchConventions(original, next) {
  if (original === void 0) return next;
  let result = next;
  if (usesCrlf(original) && result.includes("\n") && !result.includes("\r\n")) {
    result = result.replace(/\n/g, "\r\n");
  }
  if (original.startsWith(BOM) && !result.startsWith(BOM)) result = BOM + result;
  return result;
}

// src/workspace/transaction.ts
var WorkspaceTransaction = class {
  root;
  #run;
  /** Each file as this view first saw it, and the run's version of it at that moment. */
  #bases = /* @__PURE__ */ new Map();
  #seen = /* @__PURE__ */ new Map();
  #staged = /* @__PURE__ */ new Map();
  #closed = false;
  constructor(run) {
    this.#run = run;
    this.root = run.root;
  }
  resolve(path10) {
    return resolveInside(this.root, path10);
  }
  async read(path10) {
    const located = this.#locate(path10);
    if (this.#staged.has(located.key)) return this.#staged.get(located.key);
    if (this.#overlayKind(located.key) === "directory") throw isDirectory2(path10, "read");
    return this.#base(located, path10);
  }
  /** True for a file (pending or on disk) and for a directory. */
  async exists(path10) {
    const located = this.#locate(path10);
    if (this.#staged.has(located.key)) return this.#staged.get(located.key) !== void 0;
    if (this.#overlayKind(located.key) === "directory") return true;
    if (await diskKind(located.absolute) === "directory") return true;
    return await this.#base(located, path10) !== void 0;
  }
  async write(path10, content) {
    const located = this.#locate(path10);
    await this.#refuseNonFile(located, path10, "write");
    const base = await this.#base(located, path10);
    const current = this.#staged.get(located.key) ?? base;
    this.#stage(located.key, matchConventions(current, content), base);
  }
  async remove(path10) {
    const located = this.#locate(path10);
    await this.#refuseNonFile(located, path10, "remove");
    this.#stage(located.key, void 0, await this.#base(located, path10));
  }
  changes() {
    return [...this.#staged.keys()].sort().map((key) => ({ path: key, before: this.#bases.get(key), after: this.#staged.get(key) }));
  }
  /** Make this view's changes part of the run (on disk unless dry run); returns them. */
  async commit() {
    this.#assertOpen();
    this.#closed = true;
    const changes = this.changes();
    await this.#run.commit(changes, this.#seen);
    return changes;
  }
  /** Drop everything staged; safe to call after a failed commit. */
  discard() {
    this.#closed = true;
    this.#staged.clear();
  }
  #stage(key, next, base) {
    this.#assertOpen();
    if (next === base) this.#staged.delete(key);
    else this.#staged.set(key, next);
  }
  async #base(located, shown) {
    const { key } = located;
    if (this.#bases.has(key)) return this.#bases.get(key);
    const version = this.#run.version(key);
    const content = await this.#run.readCommitted(located, shown);
    if (!this.#bases.has(key)) {
      this.#bases.set(key, content);
      this.#seen.set(key, version);
    }
    return this.#bases.get(key);
  }
  async #refuseNonFile(located, shown, action) {
    const overlay = this.#overlayKind(located.key);
    const disk = overlay === void 0 ? await diskKind(located.absolute) : overlay;
    if (disk === "directory") throw isDirectory2(shown, action);
    if (disk === "under-file" && action === "write") {
      throw new UserError(`"${shown}" cannot be written: a parent of it is a file, not a directory`, {
        hint: "Choose a path whose parent folders are folders, or remove the file that is in the way first."
      });
    }
  }
  /** Whether pending files make `key` a directory or put it under a file. */
  #overlayKind(key) {
    const files = new Map([...this.#run.pendingFiles(), ...this.#staged]);
    for (const [other, content] of files) {
      if (content === void 0) continue;
      if (other.startsWith(`${key}/`)) return "directory";
      if (key.startsWith(`${other}/`)) return "under-file";
    }
    return void 0;
  }
  #locate(path10) {
    this.#assertOpen();
    return locate(this.root, path10);
  }
  #assertOpen() {
    if (this.#closed) throw new BugError("a workspace view was used after it was committed or discarded");
  }
};

// src/workspace/workspace.ts
var NOTHING_PENDING = /* @__PURE__ */ new Map();
var Workspace = class _Workspace {
  root;
  dryRun;
  /** Latest committed content per changed file; what a dry run's views read instead of the disk. */
  #latest = /* @__PURE__ */ new Map();
  #original = /* @__PURE__ */ new Map();
  #versions = /* @__PURE__ */ new Map();
  /** Commits run one after another, so checking for conflicts and applying is one step. */
  #queue = Promise.resolve();
  constructor(root, options) {
    this.root = root;
    this.dryRun = options.dryRun;
  }
  /** Open the workspace for the target root, which must be an existing directory. */
  static async open(root, options) {
    const absolute = path8.resolve(root);
    try {
      const real = await realpath(absolute);
      if (!(await stat3(real)).isDirectory()) throw notADirectory(absolute);
      return new _Workspace(real, options);
    } catch (error) {
      if (isMissing(error)) throw notADirectory(absolute);
      throw error;
    }
  }
  /** A fresh view for one task attempt. */
  view() {
    return new WorkspaceTransaction(this);
  }
  /** Every file this run changed: start-of-run content as `before`, the latest as `after`, in path order. */
  changes() {
    return [...this.#original.keys()].sort().map((key) => ({ path: key, before: this.#original.get(key), after: this.#latest.get(key) })).filter((change) => change.before !== change.after);
  }
  // The RunOverlay side below is for this run's views, not for the engine.
  version(key) {
    return this.#versions.get(key) ?? 0;
  }
  async readCommitted(located, shown) {
    if (this.dryRun && this.#latest.has(located.key)) return this.#latest.get(located.key);
    return readDisk(located.absolute, shown);
  }
  pendingFiles() {
    return this.dryRun ? this.#latest : NOTHING_PENDING;
  }
  commit(changes, seen) {
    const step = this.#queue.then(() => this.#commitNow(changes, seen));
    this.#queue = step.catch(() => void 0);
    return step;
  }
  async #commitNow(changes, seen) {
    const stale = [...seen].filter(([key, version]) => this.version(key) !== version).map(([key]) => key);
    if (stale.length > 0) throw conflict(stale.sort(), "by another task running at the same time");
    if (!this.dryRun && changes.length > 0) {
      const drifted = [];
      for (const change of changes) {
        const now = await readDisk(path8.join(this.root, ...change.path.split("/")), change.path);
        if (now !== change.before) drifted.push(change.path);
      }
      if (drifted.length > 0) throw conflict(drifted, "on disk by something outside this run");
      await applyToDisk(this.root, changes);
    }
    for (const change of changes) {
      if (!this.#original.has(change.path)) this.#original.set(change.path, change.before);
      this.#latest.set(change.path, change.after);
      this.#versions.set(change.path, this.version(change.path) + 1);
    }
  }
};
function conflict(paths, by) {
  const names = paths.map((p) => `"${p}"`).join(", ");
  return new UserError(`${names} ${paths.length === 1 ? "was" : "were"} changed ${by}`, {
    hint: "Nothing of this task was written; run it again (or use --sequential) so it starts from the current files."
  });
}
function notADirectory(root) {
  return new UserError(`The target root "${root}" does not exist or is not a directory`, {
    hint: "Pass an existing repository with --cwd, or fix project.root in the plan."
  });
}

// bench/engine.ts
function commandPlanConfig(tasks, groups, phases, maxParallel) {
  const perGroup = Math.ceil(tasks / groups);
  const groupsPerPhase = Math.ceil(groups / phases);
  let made = 0;
  const config = { version: 1, project: { name: "bench" }, defaults: { max_parallel: maxParallel }, phases: [] };
  for (let p = 1; p <= phases && made < tasks; p++) {
    const phase = { id: String(p), name: `phase ${p}`, groups: [] };
    for (let g = 1; g <= groupsPerPhase && made < tasks; g++) {
      const list = [];
      for (let t = 1; t <= perGroup && made < tasks; t++, made++) {
        list.push({ id: `${p}.${g}.${t}`, type: "command", run: ["true"] });
      }
      phase.groups.push({ id: `g${g}`, execution: "parallel", depends_on: [], tasks: list });
    }
    config.phases.push(phase);
  }
  return config;
}
function planOf(config, root) {
  return resolvePlan(config, { source: { file: "phases.yaml", sha256: "bench" }, root });
}
async function tempRoot() {
  return realpath2(await mkdtemp(path9.join(tmpdir(), "orchestrate-bench-")));
}
var noopHandler = {
  ...commandHandler,
  run: async () => ({ status: "unchanged", summary: "", files: [] })
};
var sleepHandler = {
  ...commandHandler,
  run: async (task, ctx) => {
    const argv = task.run;
    await delay(Number(argv[1]) * 1e3, void 0, { signal: ctx.signal });
    return { status: "changed", summary: "", files: [] };
  }
};
function tally(target, key) {
  const original = target[key];
  const counts = { calls: 0, ms: 0 };
  target[key] = function(...args) {
    const started = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      counts.calls++;
      counts.ms += performance.now() - started;
    }
  };
  return counts;
}
var logAppends = tally(RunLogWriter.prototype, "append");
var snapshotSaves = tally(writeFileAtomic4, "sync");
async function runPlan(config, handlerFor2, concurrency, persist) {
  const root = await tempRoot();
  try {
    const plan = planOf(config, root);
    const selection = selectWork(plan, { all: true }, () => false);
    const events = {};
    let storeMs = 0;
    const started = performance.now();
    const store = persist ? StateStore.open(root) : void 0;
    const workspace = await Workspace.open(root, { dryRun: false });
    const result = await execute(plan, selection, {
      runId: createRunId(),
      dryRun: false,
      workspace,
      handlerFor: handlerFor2,
      emit: (event) => {
        events[event.type] = (events[event.type] ?? 0) + 1;
        if (!store) return;
        const t = performance.now();
        store.record(event);
        storeMs += performance.now() - t;
      },
      signal: new AbortController().signal,
      concurrency,
      planFile: "phases.yaml"
    });
    store?.close();
    const ms = performance.now() - started;
    const io = { logAppends: { ...logAppends }, snapshotSaves: { ...snapshotSaves } };
    if (result.status !== "done") throw new Error(`run ended ${result.status}: ${JSON.stringify(result.counts)}`);
    return { ms, result, storeMs, events, stateBytes: sizeOf(path9.join(root, ".orchestrate", "state.json")), logBytes: await logBytes(root), io, replay: persist ? replayLogs(root) : void 0 };
  } finally {
    await rm2(root, { recursive: true, force: true });
  }
}
function replay(events) {
  let snapshot = emptySnapshot();
  let started = performance.now();
  for (const event of events) snapshot = reduceInPlace(snapshot, event);
  const foldMs = performance.now() - started;
  started = performance.now();
  const snapshotBytes = JSON.stringify(snapshot, null, 2).length + 1;
  return { foldMs, snapshotBytes, stringifyOnceMs: performance.now() - started };
}
function replayLogs(root) {
  const runs = path9.join(root, ".orchestrate", "runs");
  const events = listRunLogs(runs).flatMap((file) => readRunLog(file).events);
  return replay(events);
}
function sizeOf(file) {
  return existsSync(file) ? statSync2(file).size : 0;
}
async function logBytes(root) {
  const dir = path9.join(root, ".orchestrate", "runs");
  if (!existsSync(dir)) return 0;
  return (await readdir(dir)).reduce((sum, name2) => sum + sizeOf(path9.join(dir, name2)), 0);
}
function num(options, key, fallback) {
  const value = options[key];
  return typeof value === "number" ? value : fallback;
}
function dagConfig(maxParallel) {
  const t = (id, seconds) => ({ id, type: "command", run: ["sleep", String(seconds)] });
  const group = (id, execution, dependsOn, tasks) => ({ id, execution, depends_on: dependsOn, tasks });
  return {
    version: 1,
    project: { name: "dag" },
    defaults: { max_parallel: maxParallel },
    phases: [
      {
        id: "1",
        name: "one",
        groups: [
          group("a", "sequential", [], [t("1.a1", 0.1), t("1.a2", 0.2), t("1.a3", 0.15)]),
          group("b", "parallel", [], [t("1.b1", 0.25), t("1.b2", 0.3), t("1.b3", 0.05)]),
          group("c", "parallel", ["b"], [t("1.c1", 0.1), t("1.c2", 0.15)]),
          group("d", "sequential", ["a", "c"], [t("1.d1", 0.05), t("1.d2", 0.1)])
        ]
      },
      {
        id: "2",
        name: "two",
        depends_on: ["1"],
        groups: [
          group("a", "parallel", [], [t("2.a1", 0.3), t("2.a2", 0.2), t("2.a3", 0.1), t("2.a4", 0.25)]),
          group("b", "sequential", ["a"], [t("2.b1", 0.1), t("2.b2", 0.1), t("2.b3", 0.05)]),
          group("c", "parallel", ["a"], [t("2.c1", 0.2), t("2.c2", 0.15), t("2.c3", 0.3)])
        ]
      },
      {
        id: "3",
        name: "three",
        depends_on: ["1"],
        groups: [
          group("a", "sequential", [], [t("3.a1", 0.15), t("3.a2", 0.1), t("3.a3", 0.2), t("3.a4", 0.05)]),
          group("b", "parallel", ["a"], [t("3.b1", 0.1), t("3.b2", 0.3)])
        ]
      },
      {
        id: "4",
        name: "four",
        depends_on: ["2", "3"],
        groups: [
          group("a", "parallel", [], [t("4.a1", 0.2), t("4.a2", 0.25), t("4.a3", 0.3), t("4.a4", 0.1)]),
          group("b", "sequential", [], [t("4.b1", 0.05), t("4.b2", 0.1), t("4.b3", 0.15)]),
          group("c", "parallel", ["a", "b"], [t("4.c1", 0.3), t("4.c2", 0.2), t("4.c3", 0.1)]),
          group("d", "sequential", ["c"], [t("4.d1", 0.1), t("4.d2", 0.15), t("4.d3", 0.05)])
        ]
      }
    ]
  };
}
function asapSchedule(plan) {
  const seconds = (task) => Number(task.spec.run[1]);
  const phaseEnd = /* @__PURE__ */ new Map();
  const intervals = [];
  let totalWorkMs = 0;
  const phaseFinish = (id) => {
    const known = phaseEnd.get(id);
    if (known !== void 0) return known;
    const phase = plan.phases.find((p) => p.id === id);
    const start = Math.max(0, ...phase.dependsOn.map(phaseFinish));
    const groupEnd = /* @__PURE__ */ new Map();
    const groupFinish = (gid) => {
      const seen = groupEnd.get(gid);
      if (seen !== void 0) return seen;
      const group = phase.groups.find((g) => g.id === gid);
      let at = Math.max(start, ...group.dependsOn.map(groupFinish));
      let end2 = at;
      for (const task of group.tasks) {
        const ms = seconds(task) * 1e3;
        totalWorkMs += ms;
        intervals.push([at, at + ms]);
        if (group.execution === "sequential") at += ms;
        end2 = Math.max(end2, group.execution === "sequential" ? at : at + ms);
      }
      groupEnd.set(gid, end2);
      return end2;
    };
    const end = Math.max(start, ...phase.groups.map((g) => groupFinish(g.id)));
    phaseEnd.set(id, end);
    return end;
  };
  const criticalPathMs = Math.max(...plan.phases.map((p) => phaseFinish(p.id)));
  const points = intervals.flatMap(([s, e]) => [[s, 1], [e, -1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let width = 0;
  let peakWidth = 0;
  for (const [, step] of points) peakWidth = Math.max(peakWidth, width += step);
  return { criticalPathMs, totalWorkMs, peakWidth, tasks: intervals.length };
}
var benchmarks = {
  /** Benchmark 2, ours: no-op tasks through `execute`, state persisted or not. */
  async overhead(options) {
    const config = commandPlanConfig(num(options, "tasks", 1e4), num(options, "groups", 100), num(options, "phases", 4), num(options, "concurrency", 4));
    const persist = options.persist === true;
    const m = await runPlan(config, () => noopHandler, num(options, "concurrency", 4), persist);
    return { ms: m.ms, storeMs: m.storeMs, ...m.io, events: m.events, stateBytes: m.stateBytes, logBytes: m.logBytes, tasks: m.result.counts.total, replay: m.replay };
  },
  /** Benchmark 2, baseline: the same number of empty async calls under p-limit. */
  async plimit(options) {
    const limit = pLimit2(num(options, "concurrency", 4));
    const started = performance.now();
    await Promise.all(Array.from({ length: num(options, "tasks", 1e4) }, () => limit(async () => void 0)));
    return { ms: performance.now() - started };
  },
  /** Benchmark 3, in process: `true` commands through `execute` with the real command handler and state. */
  async commands(options) {
    const concurrency = num(options, "concurrency", 2);
    const config = commandPlanConfig(num(options, "tasks", 1e3), num(options, "groups", 10), 1, concurrency);
    const m = await runPlan(config, (type) => handlerFor(type), concurrency, true);
    return { ms: m.ms, storeMs: m.storeMs, stateBytes: m.stateBytes };
  },
  /** Benchmark 3, diagnostics: the same children through runProcess, execa, or bare spawn, under p-limit. */
  async spawnLoop(options) {
    const root = await tempRoot();
    const limit = pLimit2(num(options, "concurrency", 2));
    const signal = new AbortController().signal;
    const how = String(options.how);
    const once = how === "runProcess" ? () => runProcess(["true"], { cwd: root, signal }) : how === "execa" ? () => execa2("true", [], { cwd: root, reject: false }) : () => new Promise((resolve, reject) => {
      const child = spawn("true", [], { cwd: root, stdio: "ignore" });
      child.once("error", reject);
      child.once("exit", resolve);
    });
    const started = performance.now();
    await Promise.all(Array.from({ length: num(options, "tasks", 1e3) }, () => limit(once)));
    const ms = performance.now() - started;
    await rm2(root, { recursive: true, force: true });
    return { ms };
  },
  /** Benchmark 4: the DAG of timer tasks; makespan against the lower bound. */
  async dag(options) {
    const concurrency = num(options, "concurrency", 4);
    const config = dagConfig(concurrency);
    const bound = asapSchedule(planOf(config, "/"));
    const m = await runPlan(config, () => sleepHandler, concurrency, true);
    return { ms: m.result.durationMs, wallMs: m.ms, ...bound, lowerBoundMs: Math.max(bound.criticalPathMs, bound.totalWorkMs / concurrency), concurrency };
  },
  /** Write a generated command plan as phases.yaml (JSON is YAML) for the CLI run of benchmark 3. */
  async writePlan(options) {
    const config = commandPlanConfig(num(options, "tasks", 1e3), num(options, "groups", 10), 1, num(options, "concurrency", 2));
    await writeFile(String(options.file), `${JSON.stringify({ ...config, project: { name: "bench", root: "." } }, null, 1)}
`);
    return { file: options.file };
  }
};
var [name = "", json = "{}"] = process.argv.slice(2);
var bench = benchmarks[name];
if (!bench) {
  process.stderr.write(`unknown benchmark "${name}"; one of: ${Object.keys(benchmarks).join(", ")}
`);
  process.exitCode = 2;
} else {
  process.stdout.write(`${JSON.stringify(await bench(JSON.parse(json)))}
`);
}
export {
  asapSchedule,
  commandPlanConfig,
  dagConfig
};
