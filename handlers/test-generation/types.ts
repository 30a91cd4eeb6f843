/**
 * Shapes shared by the parts of the `test_generation` handler: what the
 * analysis of a TS/JS module finds, and what a generator hands back for one
 * test file (the Python generator returns the same `GeneratedTests`).
 */

/** What a generator produced for one test file. */
export interface GeneratedTests {
  /** The new content of the test file; undefined = leave it as it is. */
  text: string | undefined;
  /** Names of the tests kept (real assertions). */
  kept: string[];
  dropped: { name: string; reason: string }[];
  /** Placeholders written for behaviour that cannot be known. */
  todo: string[];
  /** Why nothing was written, or anything else a person should know. */
  note?: string;
}

/** A parameter as written in the source. */
export interface ParamInfo {
  name: string;
  /** The type as written (or inferred when nothing is written); '' when unknown. */
  type: string;
  optional: boolean;
  rest: boolean;
  /** The default value as written, when the type checker read the declaration (`limit = 10` gives `10`). */
  default?: string;
}

export interface FunctionInfo {
  /** Export name ('default' for a default export). */
  name: string;
  params: ParamInfo[];
  /** The return type as written or inferred; '' when unknown. */
  returns: string;
  async: boolean;
}

export interface MethodInfo {
  name: string;
  params: ParamInfo[];
  returns: string;
  async: boolean;
  static: boolean;
}

export interface ClassInfo {
  name: string;
  /** Undefined when the class declares no constructor (it takes none of its own). */
  ctorParams: ParamInfo[] | undefined;
  methods: MethodInfo[];
  abstract: boolean;
}

export interface ConstInfo {
  name: string;
  /** The literal value when the initializer is a string, number or boolean literal. */
  literal: string | number | boolean | undefined;
  /** Property names when the initializer is an object literal. */
  keys: string[];
  /** Members of an object literal that are functions (methods or arrow/function properties). */
  methods: MethodInfo[];
}

export interface RouteInfo {
  method: string;
  url: string;
  /** 1-based line of the registration, for messages. */
  line: number;
}

export interface ImportBinding {
  local: string;
  imported: string;
  from: string;
}

/**
 * A class or enum a test reaches by importing `module` (root-relative; the
 * source itself for the module under test) and reading its export `name`.
 */
export interface DeclaredValue {
  module: string;
  name: string;
  kind: 'class' | 'enum';
  /** A class's constructor parameters (its most general signature). */
  params?: ParamInfo[];
  /** An enum's member names, in order. */
  members?: string[];
}

/** What a TS/JS module offers to test, found without running it. */
export interface ModuleAnalysis {
  functions: FunctionInfo[];
  classes: ClassInfo[];
  consts: ConstInfo[];
  /** Names re-exported from other modules (`export { x } from './y'`, `export * from`). */
  reexports: string[];
  /** Whether there is a default export, and what it is. */
  defaultExport: 'function' | 'class' | 'value' | undefined;
  /** Module specifiers the source imports (bare and relative). */
  imports: string[];
  /** Fastify routes registered in the module. */
  routes: RouteInfo[];
  /** Export that is the Fastify plugin registering the routes ('default' or a name). */
  plugin: string | undefined;
  /** Environment variables read through process.env. */
  env: string[];
  /**
   * Object shapes declared in the module (interfaces and type literals without
   * `extends`), by name: what a value of that type must hold.
   */
  shapes: Record<string, ParamInfo[]>;
  /** Type aliases that are unions of literals (`type Role = 'admin' | 'member'`), by name: the literals as written. */
  unions: Record<string, string[]>;
  /** What each imported name is: the local name, the exported name ('default' for a default import) and the module. */
  importBindings: ImportBinding[];
  /** Syntax errors, with line numbers; non-empty means the file does not parse. */
  syntaxErrors: string[];
  /**
   * Classes and enums behind parameter types, by type name, that a test reaches
   * through a module (filled by the type checker, see analyze-checker.ts).
   */
  declared?: Record<string, DeclaredValue>;
  /** How the module exports: `cjs` for `module.exports` / `exports.x` (undefined = ES module). */
  format?: 'esm' | 'cjs';
}
