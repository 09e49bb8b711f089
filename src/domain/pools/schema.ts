/** The user pool attribute schema: Cognito's standard attributes plus the pool's custom ones. */
import { InvalidParameterException } from "../../generated/exceptions.ts";
import type { SchemaAttributeType } from "../../generated/types.ts";

type Std = Pick<SchemaAttributeType, "AttributeDataType" | "Mutable" | "Required"> & {
  min?: string;
  max?: string;
};

const S = (min = "0", max = "2048"): Std => ({
  AttributeDataType: "String",
  Mutable: true,
  Required: false,
  min,
  max,
});
const B: Std = { AttributeDataType: "Boolean", Mutable: true, Required: false };

/** The standard attributes in Cognito's order (DescribeUserPool lists them so). */
const STANDARD: ReadonlyArray<[string, Std]> = [
  ["sub", { AttributeDataType: "String", Mutable: false, Required: true, min: "1", max: "2048" }],
  ["name", S()],
  ["given_name", S()],
  ["family_name", S()],
  ["middle_name", S()],
  ["nickname", S()],
  ["preferred_username", S()],
  ["profile", S()],
  ["picture", S()],
  ["website", S()],
  ["email", S()],
  ["email_verified", B],
  ["gender", S()],
  ["birthdate", S("10", "10")],
  ["zoneinfo", S()],
  ["locale", S()],
  ["phone_number", S()],
  ["phone_number_verified", B],
  ["address", S()],
  ["updated_at", { AttributeDataType: "Number", Mutable: true, Required: false }],
  ["identities", { AttributeDataType: "String", Mutable: true, Required: false }],
];

export const STANDARD_NAMES: ReadonlySet<string> = new Set(STANDARD.map(([n]) => n));

function standardEntry(name: string, std: Std): SchemaAttributeType {
  const a: SchemaAttributeType = {
    Name: name,
    AttributeDataType: std.AttributeDataType,
    DeveloperOnlyAttribute: false,
    Mutable: std.Mutable,
    Required: std.Required,
  };
  if (std.AttributeDataType === "String")
    a.StringAttributeConstraints = std.min !== undefined ? { MinLength: std.min, MaxLength: std.max } : {};
  if (name === "updated_at") a.NumberAttributeConstraints = { MinValue: "0" };
  return a;
}

const MAX_CUSTOM = 50;
const MAX_STRING_LENGTH = 2048;

/** A constraint bound as Cognito reads it: a whole number written in decimal, or undefined. */
function bound(value: string | undefined, allowNegative: boolean): number | undefined | "invalid" {
  if (value === undefined) return undefined;
  const pattern = allowNegative ? /^-?[0-9]+$/ : /^[0-9]+$/;
  return pattern.test(value.trim()) ? Number(value) : "invalid";
}

/**
 * Refuses constraints Cognito refuses: bounds that are not whole numbers (lengths not negative),
 * string lengths over 2048, and a minimum over the maximum. `name` is the attribute's name in the
 * schema (custom:x, dev:custom:x, or the standard name).
 */
function checkConstraints(name: string, a: SchemaAttributeType): void {
  const s = a.StringAttributeConstraints;
  if (s) {
    const min = bound(s.MinLength, false);
    const max = bound(s.MaxLength, false);
    if (min === "invalid" || max === "invalid")
      throw new InvalidParameterException(`Invalid StringAttributeConstraints for schema attribute ${name}`);
    if ((min ?? 0) > MAX_STRING_LENGTH || (max ?? 0) > MAX_STRING_LENGTH)
      throw new InvalidParameterException(
        `user.${name}: String attributes cannot have a length of more than ${MAX_STRING_LENGTH}`,
      );
    if (min !== undefined && max !== undefined && min > max)
      throw new InvalidParameterException(`user.${name}: Max length cannot be less than min length.`);
  }
  const n = a.NumberAttributeConstraints;
  if (n) {
    const min = bound(n.MinValue, true);
    const max = bound(n.MaxValue, true);
    if (min === "invalid" || max === "invalid")
      throw new InvalidParameterException(`Invalid NumberAttributeConstraints for schema attribute ${name}`);
    if (min !== undefined && max !== undefined && min > max)
      throw new InvalidParameterException(`user.${name}: Max value cannot be less than min value.`);
  }
}

/**
 * The pool's schema from CreateUserPool's Schema: the standard attributes (with the requested
 * Required/Mutable/constraints) followed by custom ones (named custom:x, dev:custom:x for
 * developer-only).
 */
export function buildSchema(requested: readonly SchemaAttributeType[] | undefined): SchemaAttributeType[] {
  const byName = new Map<string, SchemaAttributeType>();
  for (const a of requested ?? []) {
    if (!a.Name) throw new InvalidParameterException("Schema attribute must have a name.");
    if (byName.has(a.Name)) throw new InvalidParameterException(`Duplicate attribute name found: ${a.Name}`);
    byName.set(a.Name, a);
  }
  const schema: SchemaAttributeType[] = [];
  for (const [name, std] of STANDARD) {
    const base = standardEntry(name, std);
    const req = byName.get(name);
    if (req) {
      byName.delete(name);
      if (req.AttributeDataType && req.AttributeDataType !== std.AttributeDataType)
        throw new InvalidParameterException(
          `You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute ${name}`,
        );
      if (req.DeveloperOnlyAttribute)
        throw new InvalidParameterException(
          `You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute ${name}`,
        );
      if (name === "sub" && (req.Mutable === true || req.Required === false))
        throw new InvalidParameterException("The sub attribute is immutable and required.");
      if (req.Mutable !== undefined) base.Mutable = req.Mutable;
      if (req.Required !== undefined) base.Required = req.Required;
      if (req.StringAttributeConstraints && base.StringAttributeConstraints)
        base.StringAttributeConstraints = {
          ...base.StringAttributeConstraints,
          ...req.StringAttributeConstraints,
        };
      if (req.NumberAttributeConstraints && base.NumberAttributeConstraints)
        base.NumberAttributeConstraints = {
          ...base.NumberAttributeConstraints,
          ...req.NumberAttributeConstraints,
        };
      checkConstraints(name, base);
    }
    schema.push(base);
  }
  const custom = [...byName.values()];
  addCustom(schema, custom);
  return schema;
}

function customName(a: SchemaAttributeType): string {
  const bare = a.Name!.startsWith("custom:") ? a.Name!.slice(7) : a.Name!;
  return a.DeveloperOnlyAttribute ? `dev:custom:${bare}` : `custom:${bare}`;
}

/** Appends custom attributes to a schema (CreateUserPool, AddCustomAttributes). */
export function addCustom(schema: SchemaAttributeType[], attrs: readonly SchemaAttributeType[]): void {
  const existing = new Set(schema.map((a) => a.Name));
  const customCount = schema.filter((a) => a.Name?.includes("custom:")).length;
  if (customCount + attrs.length > MAX_CUSTOM)
    throw new InvalidParameterException(`A user pool can have at most ${MAX_CUSTOM} custom attributes.`);
  for (const a of attrs) {
    if (!a.Name) throw new InvalidParameterException("Custom attribute must have a name.");
    if (!a.AttributeDataType)
      throw new InvalidParameterException(
        "Invalid AttributeDataType input, consider using the provided AttributeDataType enum.",
      );
    if (a.Required)
      throw new InvalidParameterException("Required custom attributes are not supported currently.");
    const bare = a.Name.startsWith("custom:") ? a.Name.slice(7) : a.Name;
    if (bare.length < 1 || bare.length > 20)
      throw new InvalidParameterException(`Custom attribute name ${bare} must be 1 to 20 characters.`);
    const name = customName(a);
    if (existing.has(name) || existing.has(`custom:${bare}`) || existing.has(`dev:custom:${bare}`))
      throw new InvalidParameterException(`custom:${bare}: Existing attribute already has name ${name}.`);
    existing.add(name);
    const entry: SchemaAttributeType = {
      Name: name,
      AttributeDataType: a.AttributeDataType,
      DeveloperOnlyAttribute: a.DeveloperOnlyAttribute ?? false,
      Mutable: a.Mutable ?? true,
      Required: false,
    };
    if (a.AttributeDataType === "String")
      entry.StringAttributeConstraints = a.StringAttributeConstraints ?? {};
    if (a.AttributeDataType === "Number")
      entry.NumberAttributeConstraints = a.NumberAttributeConstraints ?? {};
    checkConstraints(name, entry);
    schema.push(entry);
  }
}

/**
 * A Boolean attribute's value as Cognito reads it: "true" or "false" in any letter case ("True" is
 * what AWS's own documentation and many apps send). The value is kept as sent.
 */
export function isTrue(value: string | undefined): boolean {
  return value?.toLowerCase() === "true";
}

function isBoolean(value: string): boolean {
  const v = value.toLowerCase();
  return v === "true" || v === "false";
}

export function findAttribute(
  schema: readonly SchemaAttributeType[],
  name: string,
): SchemaAttributeType | undefined {
  return schema.find((a) => a.Name === name);
}

/**
 * Checks one attribute value against the schema, as AdminCreateUser / AdminUpdateUserAttributes do.
 * `mode` distinguishes a new user (immutable attributes may be set) from an update.
 */
export function checkAttribute(
  schema: readonly SchemaAttributeType[],
  name: string,
  value: string,
  mode: "create" | "update",
): void {
  const attr = findAttribute(schema, name) ?? findAttribute(schema, `dev:${name}`);
  const conform = (why: string) =>
    new InvalidParameterException(`Attributes did not conform to the schema: ${name}: ${why}`);
  if (!attr || name === "identities" || name === "sub") {
    if (name === "sub" && attr)
      throw new InvalidParameterException("Cannot modify the non-mutable attribute sub");
    throw conform("Attribute does not exist in the schema.");
  }
  if (mode === "update" && attr.Mutable === false)
    throw new InvalidParameterException(`Cannot modify the non-mutable attribute ${name}`);
  switch (attr.AttributeDataType) {
    case "Boolean":
      if (!isBoolean(value)) throw conform("Boolean must be either true or false.");
      break;
    case "Number": {
      if (value.trim() === "" || !Number.isFinite(Number(value)))
        throw conform("Number must be a valid number.");
      const c = attr.NumberAttributeConstraints;
      if (c?.MinValue !== undefined && Number(value) < Number(c.MinValue))
        throw conform(`Number must be greater than or equal to ${c.MinValue}`);
      if (c?.MaxValue !== undefined && Number(value) > Number(c.MaxValue))
        throw conform(`Number must be less than or equal to ${c.MaxValue}`);
      break;
    }
    case "DateTime":
      if (Number.isNaN(Date.parse(value))) throw conform("DateTime must be a valid date.");
      break;
    default: {
      const c = attr.StringAttributeConstraints;
      const length = [...value].length;
      if (c?.MaxLength !== undefined && length > Number(c.MaxLength))
        throw conform(`String must be no longer than ${c.MaxLength} characters`);
      if (c?.MinLength !== undefined && length < Number(c.MinLength))
        throw conform(`String must be no shorter than ${c.MinLength} characters`);
    }
  }
  if (name === "email" && !/^[^@\s]+@[^@\s]+$/.test(value))
    throw new InvalidParameterException("Invalid email address format.");
  if (name === "phone_number" && !/^\+[0-9]{4,15}$/.test(value))
    throw new InvalidParameterException("Invalid phone number format.");
}
