/**
 * Input validation against the generated model constraints, worded like AWS's own validator:
 * "2 validation errors detected: Value null at 'userPoolId' failed to satisfy constraint: Member
 * must not be null; Value 'x' at 'limit' ...". Type mismatches (a number where a string belongs)
 * are SerializationExceptions, as AWS's JSON protocol answers them. Structure members, list items and
 * map values sent as JSON null are removed from the input, so the operations never see a null;
 * strings holding U+0000 are refused (no storage keeps them alike); members the model does not
 * know are dropped.
 */
import { InvalidParameterException } from "../generated/exceptions.ts";
import { SHAPES, type Shape } from "../generated/shapes.ts";
import { AwsError } from "../errors.ts";

const MAX_REPORTED = 10;

function memberPath(parent: string, member: string): string {
  const name = member.charAt(0).toLowerCase() + member.slice(1);
  return parent ? `${parent}.${name}` : name;
}

function serializationError(path: string, expected: string): AwsError {
  return new AwsError(
    "SerializationException",
    400,
    `Unexpected value type at '${path || "input"}': expected ${expected}`,
  );
}

function show(value: unknown, sensitive: boolean, path: string): string {
  if (sensitive) return `Value at '${path}'`;
  if (value === null || value === undefined) return `Value null at '${path}'`;
  if (Array.isArray(value))
    return `Value '[${value.map((v) => (typeof v === "object" ? "..." : String(v))).join(", ")}]' at '${path}'`;
  if (typeof value === "object") return `Value '{...}' at '${path}'`;
  return `Value '${String(value)}' at '${path}'`;
}

class Validator {
  readonly errors: string[] = [];

  fail(value: unknown, sensitive: boolean, path: string, constraint: string): void {
    this.errors.push(`${show(value, sensitive, path)} failed to satisfy constraint: ${constraint}`);
  }

  check(value: unknown, shapeName: string, path: string, inheritedSensitive: boolean): void {
    const shape: Shape | undefined = SHAPES[shapeName];
    if (!shape) return;
    const sensitive = inheritedSensitive || ("sensitive" in shape && shape.sensitive === true);
    switch (shape.type) {
      case "structure": {
        if (typeof value !== "object" || value === null || Array.isArray(value))
          throw serializationError(path, "an object");
        const obj = value as Record<string, unknown>;
        for (const [name, member] of Object.entries(shape.members)) {
          const v = obj[name];
          const p = memberPath(path, name);
          if (v === undefined || v === null) {
            // A member sent as JSON null is a member not sent: the operations never see the null.
            if (v === null) delete obj[name];
            if (member.required) this.fail(null, false, p, "Member must not be null");
            continue;
          }
          this.check(v, member.target, p, sensitive);
        }
        // Members the model does not know are ignored, as AWS ignores them: dropped here, so an
        // operation can neither keep nor trip over them (a 100,000-deep extra member, __proto__).
        for (const k of Object.keys(obj)) if (!Object.hasOwn(shape.members, k)) delete obj[k];
        return;
      }
      case "string": {
        if (typeof value !== "string") throw serializationError(path, "a string");
        if (shape.enum && !shape.enum.includes(value)) {
          this.fail(value, sensitive, path, `Member must satisfy enum value set: [${shape.enum.join(", ")}]`);
          return;
        }
        // PostgreSQL text cannot hold U+0000: refused here, on every storage alike, never a 500.
        if (value.includes("\u0000")) {
          this.fail(value, true, path, "Member must not contain the character U+0000");
          return;
        }
        const length = value.length;
        if (shape.max !== undefined && length > shape.max)
          this.fail(value, sensitive, path, `Member must have length less than or equal to ${shape.max}`);
        if (shape.min !== undefined && length < shape.min)
          this.fail(value, sensitive, path, `Member must have length greater than or equal to ${shape.min}`);
        if (shape.pattern && !shape.pattern.test(value))
          this.fail(
            value,
            sensitive,
            path,
            `Member must satisfy regular expression pattern: ${patternSource(shape.pattern)}`,
          );
        return;
      }
      case "integer":
      case "long":
      case "double": {
        if (typeof value !== "number" || !Number.isFinite(value)) throw serializationError(path, "a number");
        if (shape.type !== "double" && !Number.isInteger(value)) throw serializationError(path, "an integer");
        if (shape.max !== undefined && value > shape.max)
          this.fail(value, sensitive, path, `Member must have value less than or equal to ${shape.max}`);
        if (shape.min !== undefined && value < shape.min)
          this.fail(value, sensitive, path, `Member must have value greater than or equal to ${shape.min}`);
        return;
      }
      case "boolean":
        if (typeof value !== "boolean") throw serializationError(path, "a boolean");
        return;
      case "timestamp":
        if (typeof value !== "number" && typeof value !== "string")
          throw serializationError(path, "a timestamp");
        return;
      case "blob": {
        if (typeof value !== "string") throw serializationError(path, "a base64 string");
        const length = Buffer.byteLength(value, "base64");
        if (shape.max !== undefined && length > shape.max)
          this.fail(value, true, path, `Member must have length less than or equal to ${shape.max}`);
        if (shape.min !== undefined && length < shape.min)
          this.fail(value, true, path, `Member must have length greater than or equal to ${shape.min}`);
        return;
      }
      case "list": {
        if (!Array.isArray(value)) throw serializationError(path, "a list");
        // Null items are dropped, like null members: the operations never see them.
        if (value.includes(null)) {
          let kept = 0;
          for (const item of value) if (item !== null) value[kept++] = item;
          value.length = kept;
        }
        if (shape.max !== undefined && value.length > shape.max)
          this.fail(value, sensitive, path, `Member must have length less than or equal to ${shape.max}`);
        if (shape.min !== undefined && value.length < shape.min)
          this.fail(value, sensitive, path, `Member must have length greater than or equal to ${shape.min}`);
        value.forEach((item, i) => this.check(item, shape.member, `${path}.${i + 1}.member`, sensitive));
        return;
      }
      case "map": {
        if (typeof value !== "object" || value === null || Array.isArray(value))
          throw serializationError(path, "a map");
        const map = value as Record<string, unknown>;
        for (const [k, v] of Object.entries(map)) if (v === null) delete map[k];
        const entries = Object.entries(map);
        if (shape.max !== undefined && entries.length > shape.max)
          this.fail(value, sensitive, path, `Member must have length less than or equal to ${shape.max}`);
        if (shape.min !== undefined && entries.length < shape.min)
          this.fail(value, sensitive, path, `Member must have length greater than or equal to ${shape.min}`);
        for (const [k, v] of entries) {
          this.check(k, shape.key, `${path}.${k}.key`, sensitive);
          this.check(v, shape.value, `${path}.${k}.value`, sensitive);
        }
        return;
      }
    }
  }
}

const sources = new WeakMap<RegExp, string>();
/** The model's pattern as AWS prints it (without the anchors the generated RegExp adds). */
function patternSource(re: RegExp): string {
  let s = sources.get(re);
  if (s === undefined) {
    s = re.source.replace(/^\^\(\?:/, "").replace(/\)\$$/, "");
    sources.set(re, s);
  }
  return s;
}

/** Throws InvalidParameterException listing every violated constraint, or SerializationException. */
export function validateInput(input: unknown, shapeName: string): void {
  const v = new Validator();
  v.check(input, shapeName, "", false);
  if (v.errors.length === 0) return;
  const n = v.errors.length;
  const shown = v.errors.slice(0, MAX_REPORTED).join("; ");
  throw new InvalidParameterException(`${n} validation error${n === 1 ? "" : "s"} detected: ${shown}`);
}
