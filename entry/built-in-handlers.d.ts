// What `#built-in-handlers` (handlers/built-in.ts) offers, for the declaration build alone (tsconfig.api.json).
import type { HandlerRegistry } from '../src/engine/registry.js';
export declare function builtInRegistry(): HandlerRegistry;
