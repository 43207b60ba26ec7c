/*
 * graphql-js repeats the offending input in its coercion errors: a variable's whole value
 * (`got invalid value { name: "x", apiKey: "sk-…" }; Field "baseUrl" … was not provided.`) and the
 * scalar that failed (`String cannot represent a non string value: 123`). Inputs carry write-only
 * secrets (channel API keys, header values), so such messages keep where and why, never the value.
 */

const VARIABLE_PREFIX = /^Variable "\$(\w+)" got invalid value /;
/** The path graphql-js prints after the value; `"` inside a printed value is always escaped, so this cannot match inside it. */
const PATH = / at "(\w+(?:\.\w+|\[\d+\])*)"; /;
/** Reasons that name fields and types only, recognised at the end of a message about the whole variable. */
const VALUE_FREE_REASON =
  /; ((?:Field "\w+" is not defined by type "\w+"\.(?: Did you mean [\w", ]+\?)?)|(?:Field "\w+" of required type "[\w![\]]+" was not provided\.)|(?:Expected type "\w+" to be an object\.))$/;
/** `String cannot represent a non string value: <value>`, `Int cannot represent non-integer value: <value>`, … */
const SCALAR_REASON = /^(\w+ cannot represent [^:]*?value): [\s\S]*$/;
/** With suggestions on (not in production), graphql-js adds one after the enum's name: the value is still dropped. */
const ENUM_REASON = /^Value [\s\S]* does not exist in ("\w+" enum\.)(?: Did you mean the enum value [\s\S]*\?)?$/;
const ENUM_VALUE_REASON = /^(Enum "\w+" cannot represent non-enum value): [\s\S]*$/;

export function redactInputValues(message: string): string {
  const variable = VARIABLE_PREFIX.exec(message);
  if (!variable) return redactReason(message);
  const name = variable[1];
  const path = PATH.exec(message);
  if (path) {
    const reason = message.slice((path.index ?? 0) + path[0].length);
    return `Variable "$${name}" got an invalid value at "${path[1]}": ${redactReason(reason)}`;
  }
  const reason = VALUE_FREE_REASON.exec(message);
  return `Variable "$${name}" got an invalid value${reason ? `: ${reason[1]}` : '.'}`;
}

function redactReason(reason: string): string {
  const scalar = SCALAR_REASON.exec(reason) ?? ENUM_VALUE_REASON.exec(reason);
  if (scalar) return `${scalar[1]}.`;
  const enumValue = ENUM_REASON.exec(reason);
  if (enumValue) return `The value does not exist in ${enumValue[1]}`;
  return reason;
}
