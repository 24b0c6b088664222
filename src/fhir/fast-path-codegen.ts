import { HAND_WRITTEN } from './pattern-checks.js';

type Schema = Record<string, unknown>;

/**
 * For a resource type, the elements it requires, each as the property names any one of
 * which satisfies it (`status`, `_status`): base-rules.ts's table, for the fast path to
 * tell whether checkBaseRules would find anything.
 */
export type RequiredElements = (resourceType: string) => ReadonlyArray<readonly string[]> | undefined;

/** JavaScript for `new Function('constants', body)`, which returns the check. */
export interface FastPathSource {
  body: string;
  constants: unknown[];
}

/** Keywords that say nothing about validity. */
const ANNOTATIONS = new Set(['description', 'title', '$schema', '$id', 'definitions']);
/** Keywords the fast path implements; a schema using any other is left to ajv. */
const UNDERSTOOD = new Set(['$ref', 'type', 'properties', 'additionalProperties', 'required', 'items', 'pattern', 'enum', 'const', 'oneOf', 'discriminator']);
/** A definition with only these is a primitive (string, code, dateTime…): inlined where it is used. */
const LEAF = new Set(['type', 'pattern', 'enum', 'const']);
const OBJECT_KEYWORDS = ['properties', 'required', 'additionalProperties'];
const TYPES = new Set(['object', 'array', 'string', 'boolean', 'number', 'integer', 'null']);
/** The statement for "not sure": the value goes to ajv. */
const FAIL = 'return false;';

/** Where a schema's statements go: straight in a function body, or nested in a loop or switch. */
interface At {
  top: boolean;
  /** The value is under `extension` or `modifierExtension` (checkBaseRules wants a url on each item). */
  extensions?: boolean;
}

/**
 * Generates the fast path's JavaScript: one function per definition, straight-line checks,
 * a switch on property names, patterns compiled once. It implements exactly the keywords
 * and semantics of the closure interpreter it replaced (and ajv's, which the tests compare
 * against): anything else compiles to "not sure". With `required`, the check also tracks
 * whether checkBaseRules would find anything, and returns 'unsure' | 'valid' | 'clean'.
 */
export function generateFastPath(root: Schema, required?: RequiredElements): FastPathSource {
  const generator = new Generator(root, required);
  return generator.finish(generator.functionFor(root, 'root'));
}

class Generator {
  private readonly definitions: Record<string, Schema>;
  private readonly functions = new Map<string, string>();
  private readonly constants: unknown[] = [];
  private readonly constantNames = new Map<unknown, string>();
  private readonly byPointer = new Map<string, string>();
  private vars = 0;

  constructor(root: Schema, private readonly required: RequiredElements | undefined) {
    this.definitions = (root.definitions ?? {}) as Record<string, Schema>;
  }

  finish(root: string): FastPathSource {
    const entry = this.required
      ? `return function verdict(d) { dirty = false; return ${root}(d) ? (dirty ? 'valid' : 'clean') : 'unsure'; };`
      : `return ${root};`;
    const body = [
      "'use strict';",
      'const isArray = Array.isArray, protoOf = Object.getPrototypeOf, finite = Number.isFinite, integer = Number.isInteger, OBJECT = Object.prototype;',
      ...this.constants.map((_, i) => `const c${i} = constants[${i}];`),
      // Set when a base rule may fail; reset by the entry point (checks never run concurrently).
      'let dirty = false;',
      ...this.functions.values(),
      entry,
    ].join('\n');
    return { body, constants: this.constants };
  }

  /** Emits a function checking `schema` and returns its name. */
  functionFor(schema: Schema, label: string): string {
    const name = this.reserve(label);
    this.functions.set(name, `function ${name}(v) {\n${this.statements(schema, 'v', { top: true })}\nreturn true;\n}`);
    return name;
  }

  /** A function name for stack traces and profiles (`Observation$12`). */
  private reserve(label: string): string {
    const name = `${label.replace(/[^A-Za-z0-9_]/g, '_')}$${this.functions.size}`;
    this.functions.set(name, '');
    return name;
  }

  private constant(value: unknown, key: unknown = value): string {
    let name = this.constantNames.get(key);
    if (name === undefined) {
      name = `c${this.constants.push(value) - 1}`;
      this.constantNames.set(key, name);
    }
    return name;
  }

  private definition(pointer: string): Schema | undefined {
    const name = /^#\/definitions\/([^/~]+)$/.exec(pointer)?.[1];
    return name !== undefined && Object.hasOwn(this.definitions, name) ? this.definitions[name] : undefined;
  }

  /**
   * Statements that `return false` unless `v` satisfies every keyword of `schema` (JSON
   * Schema keywords combine by AND, so each is checked on its own; a type checked first
   * lets the later ones skip their own guard).
   */
  private statements(schema: unknown, v: string, at: At): string {
    // `true` accepts anything (JSON Schema Core 4.3.2), without walking it.
    if (schema === true) return this.required ? unwalked({}, v) : '';
    if (!isSchema(schema) || Object.keys(schema).some((k) => !ANNOTATIONS.has(k) && !UNDERSTOOD.has(k))) return FAIL;
    const { type } = schema;
    const out: string[] = [];
    if (type !== undefined) out.push(typeCheck(type, v));
    if (schema.$ref !== undefined) out.push(this.refCheck(schema.$ref, v));
    if (OBJECT_KEYWORDS.some((k) => schema[k] !== undefined)) out.push(this.objectCheck(schema, v, at.top, type === 'object'));
    if (schema.items !== undefined) out.push(this.itemsCheck(schema.items, v, type === 'array', at.extensions === true));
    if (schema.pattern !== undefined) out.push(this.patternCheck(schema.pattern, v, type));
    if (schema.enum !== undefined) out.push(this.enumCheck(schema.enum, v));
    if (schema.const !== undefined) out.push(this.enumCheck([schema.const], v));
    if (schema.oneOf !== undefined || schema.discriminator !== undefined) out.push(this.discriminatorCheck(schema, v));
    if (this.required) out.push(unwalked(schema, v));
    return out.filter(Boolean).join('\n');
  }

  private refCheck(ref: unknown, v: string): string {
    const target = typeof ref === 'string' ? this.definition(ref) : undefined;
    if (target === undefined) return FAIL;
    // Primitive definitions are most of the checks a resource needs; inline them.
    if (isLeaf(target)) return this.statements(target, v, { top: false });
    return `if (!${this.refFunction(ref as string, target)}(${v})) return false;`;
  }

  /** A branch that is only a $ref (as in ResourceList) is checked by the definition's own function. */
  private branchFunction(branch: Schema, label: string): string {
    const keys = Object.keys(branch).filter((k) => !ANNOTATIONS.has(k));
    const target = keys.length === 1 && keys[0] === '$ref' ? this.definition(branch.$ref as string) : undefined;
    return target !== undefined && !isLeaf(target) ? this.refFunction(branch.$ref as string, target) : this.functionFor(branch, label);
  }

  private refFunction(pointer: string, target: Schema): string {
    let name = this.byPointer.get(pointer);
    if (name === undefined) {
      name = this.reserve(pointer.slice('#/definitions/'.length));
      // Registered before its body: definitions refer to each other in cycles (Extension.extension).
      this.byPointer.set(pointer, name);
      this.functions.set(name, `function ${name}(v) {\n${this.statements(target, 'v', { top: true })}\nreturn true;\n}`);
    }
    return name;
  }

  /** properties / required / additionalProperties: false, driven by the keys the value has. */
  private objectCheck(schema: Schema, v: string, top: boolean, isObject: boolean): string {
    const { properties = {}, required = [], additionalProperties: additional } = schema;
    if (additional !== undefined && additional !== false && additional !== true) return FAIL;
    if (!isSchema(properties) || !Array.isArray(required) || !required.every((k) => typeof k === 'string')) return FAIL;
    // A property named like one of Object.prototype's would be found by ajv on every object.
    if ([...Object.keys(properties), ...required].some((k) => k in Object.prototype)) return FAIL;
    // The key loop `continue`s and needs a function of its own when nested in another.
    if (!top) return `if (!${this.functionFor(pick(schema, OBJECT_KEYWORDS), 'object')}(${v})) return false;`;
    const p = `p${this.vars++}`;
    const body = [
      // Values are JSON: plain objects only (another prototype may carry what ajv would see).
      `const ${p} = protoOf(${v}); if (${p} !== OBJECT && ${p} !== null) return false;`,
      ...required.map((k) => `if (${v}[${JSON.stringify(k)}] === undefined) return false;`),
      this.keyLoop(properties as Record<string, unknown>, additional === false, v),
    ].join('\n');
    return isObject ? body : `if (typeof ${v} === 'object' && ${v} !== null && !isArray(${v})) {\n${body}\n}`;
  }

  private keyLoop(properties: Record<string, unknown>, closed: boolean, v: string): string {
    const names = Object.keys(properties);
    if (names.length === 0 && !closed) return '';
    const n = this.vars++;
    const [k, x, empty] = [`k${n}`, `x${n}`, `empty${n}`];
    // checkBaseRules refuses `{}`; the loop sees whether there was a key.
    const base = this.required !== undefined && closed;
    const cases = new Map(names.map((name) => [name,
      `if (${x} !== undefined) {\n${this.propertyChecks(name, properties[name], v, x)}\n}\ncontinue;`]));
    return [
      base ? `let ${empty} = true;` : '',
      `for (const ${k} in ${v}) {`,
      base ? `${empty} = false;` : '',
      `const ${x} = ${v}[${k}];`,
      dispatch(k, cases),
      closed ? 'return false;' : '',
      '}',
      base ? `if (${empty}) dirty = true;` : '',
    ].filter(Boolean).join('\n');
  }

  private propertyChecks(name: string, schema: unknown, object: string, x: string): string {
    const extensions = name === 'extension' || name === 'modifierExtension';
    const direct = isSchema(schema) && schema.items !== undefined;
    const out = [this.statements(schema, x, { top: false, extensions: extensions && direct })];
    if (this.required) {
      // walkArray wants a url on every item of an array under these names: checked in the items loop.
      if (extensions && !direct) out.push(`if (isArray(${x})) dirty = true;`);
      if (name === 'resourceType') out.push(this.requiredCheck(isSchema(schema) ? schema.const : undefined, object, x));
    }
    return out.filter(Boolean).join('\n');
  }

  /** checkBaseRules checks the required elements of every object whose `resourceType` is a string. */
  private requiredCheck(type: unknown, object: string, x: string): string {
    // Only a const says which type the checks above let through.
    if (typeof type !== 'string') return `if (typeof ${x} === 'string') dirty = true;`;
    return (this.required!(type) ?? []).map((names) => names.length === 0 ? 'dirty = true;'
      : `if (${names.map((n) => `${object}[${JSON.stringify(n)}] === undefined`).join(' && ')}) dirty = true;`).join('\n');
  }

  private itemsCheck(items: unknown, v: string, isArray: boolean, extensions: boolean): string {
    if (!isSchema(items)) return FAIL;
    const n = this.vars++;
    const [i, x] = [`i${n}`, `x${n}`];
    const base = this.required !== undefined;
    const loop = [
      // checkBaseRules refuses `[]`, and an extension without a url.
      base ? `if (${v}.length === 0) dirty = true;` : '',
      `for (let ${i} = 0; ${i} < ${v}.length; ${i}++) {`,
      `const ${x} = ${v}[${i}];`,
      this.statements(items, x, { top: false }),
      base && extensions ? `if (typeof ${x} === 'object' && ${x} !== null && !isArray(${x}) && typeof ${x}.url !== 'string') dirty = true;` : '',
      '}',
    ].filter(Boolean).join('\n');
    return isArray ? loop : `if (isArray(${v})) {\n${loop}\n}`;
  }

  /** The RegExp ajv builds (unicode flag on, ajv's default), or its hand-written equivalent. */
  private patternCheck(pattern: unknown, v: string, type: unknown): string {
    if (typeof pattern !== 'string') return FAIL;
    // `pattern` constrains strings only (JSON Schema Validation 6.3.3); the type check refused them.
    if (typeof type === 'string' && type !== 'string' && TYPES.has(type)) return '';
    const handWritten = HAND_WRITTEN.get(pattern);
    const test = handWritten
      ? `${this.constant(handWritten)}(${v})`
      : `${this.constant(new RegExp(pattern, 'u'), `re:${pattern}`)}.test(${v})`;
    return type === 'string' ? `if (!${test}) return false;` : `if (typeof ${v} === 'string' && !${test}) return false;`;
  }

  /** enum / const of JSON scalars, compared as a Set compares them (objects: not sure). */
  private enumCheck(values: unknown, v: string): string {
    if (!Array.isArray(values) || values.some((x) => typeof x === 'object' && x !== null)) return FAIL;
    if (values.length === 0) return FAIL;
    if (values.length <= 8 && values.every(isLiteral)) {
      return `if (${values.map((x) => `${v} !== ${JSON.stringify(x)}`).join(' && ')}) return false;`;
    }
    return `if (!${this.constant(new Set(values))}.has(${v})) return false;`;
  }

  /**
   * ajv's `discriminator`: the value's tag (e.g. `resourceType`) picks the one `oneOf`
   * branch whose tag property is that const, and only that branch is checked.
   */
  private discriminatorCheck(schema: Schema, v: string): string {
    const tag = (schema.discriminator as { propertyName?: unknown } | undefined)?.propertyName;
    if (typeof tag !== 'string' || !Array.isArray(schema.oneOf)) return FAIL;
    const branches = new Map<string, unknown>();
    for (const branch of schema.oneOf as unknown[]) {
      const pointer = isSchema(branch) && typeof branch.$ref === 'string' ? branch.$ref : '';
      const value = (this.definition(pointer)?.properties as Record<string, Schema> | undefined)?.[tag]?.const;
      if (typeof value !== 'string' || branches.has(value)) return FAIL;
      branches.set(value, branch);
    }
    const name = this.reserve('oneOf');
    const cases = new Map([...branches].map(([value, branch]) => [value, `return ${this.branchFunction(branch as Schema, value)}(v);`]));
    this.functions.set(name, [
      `function ${name}(v) {`,
      "if (typeof v !== 'object' || v === null || isArray(v)) return false;",
      `const t = v[${JSON.stringify(tag)}];`,
      "if (typeof t !== 'string') return false;",
      dispatch('t', cases),
      'return false;',
      '}',
    ].join('\n'));
    return `if (!${name}(${v})) return false;`;
  }
}

/**
 * ajv's type semantics: objects are neither null nor arrays. Numbers must be finite, which
 * is stricter than ajv (it takes NaN and Infinity unless `strictNumbers`): JSON has neither,
 * and such a value goes to ajv.
 */
function typeCheck(type: unknown, v: string): string {
  switch (type) {
    case 'object': return `if (typeof ${v} !== 'object' || ${v} === null || isArray(${v})) return false;`;
    case 'array': return `if (!isArray(${v})) return false;`;
    case 'string': return `if (typeof ${v} !== 'string') return false;`;
    case 'boolean': return `if (typeof ${v} !== 'boolean') return false;`;
    case 'number': return `if (typeof ${v} !== 'number' || !finite(${v})) return false;`;
    case 'integer': return `if (!integer(${v})) return false;`;
    case 'null': return `if (${v} !== null) return false;`;
    default: return FAIL;
  }
}

/**
 * checkBaseRules walks every object and array in a resource. A schema whose own keywords
 * neither refuse nor walk every object (or array) it accepts — through the key loop, the
 * items loop, or a function for a $ref or a discriminator branch, which does the same for
 * its own schema — cannot promise the base rules hold there: such a value marks it dirty.
 */
function unwalked(schema: Schema, v: string): string {
  const { type } = schema;
  const scalar = (type !== undefined && type !== 'object' && type !== 'array')
    || ['$ref', 'enum', 'const', 'oneOf', 'discriminator'].some((k) => schema[k] !== undefined);
  const objects = scalar || type === 'array' || schema.additionalProperties === false;
  const arrays = scalar || type === 'object' || schema.items !== undefined;
  if (objects && arrays) return '';
  if (arrays) return `if (typeof ${v} === 'object' && ${v} !== null && !isArray(${v})) dirty = true;`;
  if (objects) return `if (isArray(${v})) dirty = true;`;
  return `if (typeof ${v} === 'object' && ${v} !== null) dirty = true;`;
}

/**
 * Jumps to the case for string `s`: a switch on its length, then on the character codes
 * that tell the names of that length apart, then one `===` to confirm. Why not `switch (s)`:
 * V8 compares a switch's string cases one by one, each a call, and a definition has up to
 * 291 properties (ElementDefinition) — integer switches compile to jump tables. Each case
 * body must end in `continue` or `return`; a string with no case falls out of the switch.
 */
function dispatch(s: string, cases: ReadonlyMap<string, string>): string {
  const byLength = groupBy([...cases.keys()], (name) => name.length);
  const outer = [...byLength].map(([length, names]) => `case ${length}: ${decide(s, names, cases)}\nbreak;`);
  return outer.length === 0 ? '' : `switch (${s}.length) {\n${outer.join('\n')}\n}`;
}

/** Among names of one length: switch on the character that splits them most, until one is left. */
function decide(s: string, names: string[], cases: ReadonlyMap<string, string>): string {
  if (names.length === 1) return `if (${s} === ${JSON.stringify(names[0])}) {\n${cases.get(names[0]!)}\n}`;
  let best = 0;
  let groups = new Map<number, string[]>();
  for (let i = 0; i < names[0]!.length; i++) {
    const split = groupBy(names, (name) => name.charCodeAt(i));
    if (split.size > groups.size) [best, groups] = [i, split];
  }
  const inner = [...groups].map(([code, group]) => `case ${code}: ${decide(s, group, cases)}\nbreak;`);
  return `switch (${s}.charCodeAt(${best})) {\n${inner.join('\n')}\n}`;
}

function groupBy<K>(names: string[], key: (name: string) => K): Map<K, string[]> {
  const groups = new Map<K, string[]>();
  for (const name of names) {
    const group = groups.get(key(name));
    if (group) group.push(name);
    else groups.set(key(name), [name]);
  }
  return groups;
}

function isLeaf(schema: Schema): boolean {
  return Object.keys(schema).every((k) => ANNOTATIONS.has(k) || LEAF.has(k));
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A scalar whose JSON text is also a JavaScript literal that `!==` compares as a Set would. */
function isLiteral(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'boolean' || value === null || (typeof value === 'number' && Number.isFinite(value));
}

function pick(schema: Schema, keys: string[]): Schema {
  return Object.fromEntries(keys.filter((k) => schema[k] !== undefined).map((k) => [k, schema[k]]));
}
