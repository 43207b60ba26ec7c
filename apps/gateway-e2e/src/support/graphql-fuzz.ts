import fc from 'fast-check';
import { buildSchema, introspectionFromSchema, type IntrospectionQuery, type IntrospectionTypeRef } from 'graphql';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The schema the gateway serves (checked against the code by the admin API's schema spec). */
const SCHEMA_FILE = resolve(__dirname, '../../../gateway/schema.gql');

export interface FuzzOperation {
  query: string;
  variables: Record<string, unknown>;
}

type Types = Map<string, IntrospectionQuery['__schema']['types'][number]>;

/**
 * Random GraphQL operations shaped by the gateway's schema: every query and
 * mutation field with arguments, each argument a variable with a value of its declared type, so
 * that the cases get past variable coercion into the resolvers. Values lean to the edges: empty,
 * huge, odd Unicode, negative and out-of-range numbers, unknown ids. The selection is __typename.
 */
export function randomInputs({ skip = [] }: { skip?: string[] } = {}): fc.Arbitrary<FuzzOperation> {
  const data: IntrospectionQuery = introspectionFromSchema(buildSchema(readFileSync(SCHEMA_FILE, 'utf8')));
  const types: Types = new Map(data.__schema.types.map((type) => [type.name, type]));
  const operations: fc.Arbitrary<FuzzOperation>[] = [];
  for (const [kind, root] of [
    ['query', data.__schema.queryType?.name],
    ['mutation', data.__schema.mutationType?.name],
  ] as const) {
    const type = root ? types.get(root) : undefined;
    if (type?.kind !== 'OBJECT') continue;
    for (const field of type.fields) {
      if (field.args.length === 0 || skip.includes(field.name)) continue;
      const declarations = field.args.map((arg) => `$${arg.name}: ${typeName(arg.type)}`).join(', ');
      const passing = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
      const selection = isLeaf(field.type, types) ? '' : ' { __typename }';
      const query = `${kind} Fuzz(${declarations}) { ${field.name}(${passing})${selection} }`;
      const values = Object.fromEntries(field.args.map((arg) => [arg.name, valueOf(arg.type, types, 0)]));
      operations.push(fc.record(values).map((variables) => ({ query, variables })));
    }
  }
  return fc.oneof(...operations);
}

function typeName(ref: IntrospectionTypeRef): string {
  if (ref.kind === 'NON_NULL') return `${typeName(ref.ofType)}!`;
  if (ref.kind === 'LIST') return `[${typeName(ref.ofType)}]`;
  return ref.name;
}

function isLeaf(ref: IntrospectionTypeRef, types: Types): boolean {
  if (ref.kind === 'NON_NULL' || ref.kind === 'LIST') return isLeaf(ref.ofType, types);
  const kind = types.get(ref.name)?.kind;
  return kind === 'SCALAR' || kind === 'ENUM';
}

const edgyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    'null',
    '../../etc/passwd',
    "'; DROP TABLE users; --",
    '*',
    '%',
    'a'.repeat(5000),
  ),
  fc.uuid(),
  fc.emailAddress(),
  fc.webUrl(),
  fc.constantFrom('10.0.0.0/8', '::1/128', '300.1.1.1/33', 'gpt-4o-mini', 'chat.completions', 'admin', 'owner'),
);

function valueOf(ref: IntrospectionTypeRef, types: Types, depth: number): fc.Arbitrary<unknown> {
  if (ref.kind === 'NON_NULL') return valueOf(ref.ofType, types, depth);
  const nullable = (value: fc.Arbitrary<unknown>) => fc.option(value, { freq: 8, nil: null });
  if (ref.kind === 'LIST')
    return nullable(fc.array(valueOf(ref.ofType, types, depth + 1), { maxLength: depth > 2 ? 0 : 4 }));
  const type = types.get(ref.name);
  switch (type?.kind) {
    case 'ENUM':
      return fc.constantFrom(...type.enumValues.map((value) => value.name));
    case 'INPUT_OBJECT': {
      const fields = Object.fromEntries(
        type.inputFields.map((field) => [field.name, valueOf(field.type, types, depth + 1)]),
      );
      const required = type.inputFields.filter((field) => field.type.kind === 'NON_NULL').map((field) => field.name);
      return fc.record(fields, { requiredKeys: required });
    }
    default:
      return scalar(ref.name);
  }
}

function scalar(name: string): fc.Arbitrary<unknown> {
  switch (name) {
    case 'Int':
      return fc.oneof(fc.integer({ min: -10, max: 1000 }), fc.constantFrom(0, -1, 2_147_483_647, -2_147_483_648));
    case 'Float':
      return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -1, 1e308, 1e-308));
    case 'Boolean':
      return fc.boolean();
    case 'DateTime':
      return fc.oneof(
        fc
          .date({ min: new Date(0), max: new Date(Date.UTC(2100, 0)), noInvalidDate: true })
          .map((d) => d.toISOString()),
        edgyString,
      );
    case 'JSONObject':
      return fc.oneof(fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 5 }), fc.jsonValue());
    default:
      return edgyString;
  }
}
