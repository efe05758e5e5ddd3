import { isJsonObject, type ErrorBody, type Json, type JsonObject } from './protocol';
import type { WorkerConnection } from './worker-connection';

/** A failure a builtin reports as `invocationresult.error = {code, message}`, like the engine's `FunctionResult::Failure`. */
export class BuiltinError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  toErrorBody(): ErrorBody {
    return { code: this.code, message: this.message };
  }
}

/** Who is calling a builtin: a connection (`engine::workers::register` needs it) or the engine itself. */
export interface BuiltinCall {
  caller?: WorkerConnection;
}

export interface BuiltinFunction {
  id: string;
  description: string;
  /** The in-process worker that lists it; default `iii-engine-functions`. */
  worker?: string;
  /** Returns the JSON result (null: none); `undefined` fields are omitted like the engine's `skip_serializing_if`. */
  handler: (input: InputReader, call: BuiltinCall) => object | null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `string ${JSON.stringify(value)}`;
  if (typeof value === 'number') return Number.isInteger(value) ? `integer \`${value}\`` : `floating point \`${value}\``;
  if (typeof value === 'boolean') return `boolean \`${value}\``;
  if (Array.isArray(value)) return 'sequence';
  return 'map';
}

/**
 * Reads a builtin's input the way serde does on the engine: unknown keys are ignored, absent/null optionals
 * are undefined, and a mistyped or missing required field fails with `deserialization_error`.
 */
export class InputReader {
  readonly input: JsonObject;

  constructor(
    private readonly functionId: string,
    input: Json,
  ) {
    if (!isJsonObject(input)) throw this.fail(`invalid type: ${describe(input)}, expected a map`);
    this.input = input;
  }

  private fail(reason: string): BuiltinError {
    return new BuiltinError('deserialization_error', `Failed to deserialize input for ${this.functionId}: ${reason}`);
  }

  private optional<T>(key: string, check: (v: Json) => boolean, expected: string): T | undefined {
    const value = this.input[key];
    if (value === undefined || value === null) return undefined;
    if (!check(value)) throw this.fail(`invalid type: ${describe(value)}, expected ${expected}`);
    return value as T;
  }

  optionalString(key: string): string | undefined {
    return this.optional<string>(key, (v) => typeof v === 'string', 'a string');
  }

  requiredString(key: string): string {
    const value = this.optionalString(key);
    if (value === undefined) throw this.fail(`missing field \`${key}\``);
    return value;
  }

  optionalBoolean(key: string): boolean | undefined {
    return this.optional<boolean>(key, (v) => typeof v === 'boolean', 'a boolean');
  }

  optionalUnsigned(key: string): number | undefined {
    return this.optional<number>(key, (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff, 'u32');
  }

  optionalStringArray(key: string): string[] | undefined {
    return this.optional<string[]>(key, (v) => Array.isArray(v) && v.every((item) => typeof item === 'string'), 'a sequence of strings');
  }

  optionalJson(key: string): Json | undefined {
    const value = this.input[key];
    return value === null ? undefined : value;
  }
}
