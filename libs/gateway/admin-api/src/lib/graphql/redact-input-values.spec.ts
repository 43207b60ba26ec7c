import { redactInputValues } from './redact-input-values';

const SECRET = 'sk-SECRET-abcdef1234';

describe(redactInputValues.name, () => {
  it.each([
    [
      `Variable "$input" got invalid value { name: "x", apiKey: "${SECRET}", models: ["m"] }; Field "baseUrl" of required type "String!" was not provided.`,
      'Variable "$input" got an invalid value: Field "baseUrl" of required type "String!" was not provided.',
    ],
    [
      `Variable "$input" got invalid value { apiKey: "${SECRET}; at \\"x\\"", colour: 1 }; Field "colour" is not defined by type "CreateChannelInput". Did you mean "color"?`,
      'Variable "$input" got an invalid value: Field "colour" is not defined by type "CreateChannelInput". Did you mean "color"?',
    ],
    [
      'Variable "$input" got invalid value 12345678901234 at "input.apiKey"; String cannot represent a non string value: 12345678901234',
      'Variable "$input" got an invalid value at "input.apiKey": String cannot represent a non string value.',
    ],
    [
      `Variable "$input" got invalid value "${SECRET}" at "input.type"; Value "${SECRET}" does not exist in "ChannelType" enum.`,
      'Variable "$input" got an invalid value at "input.type": The value does not exist in "ChannelType" enum.',
    ],
    [
      `Variable "$input" got invalid value "${SECRET}" at "input.type"; Value "${SECRET}" does not exist in "ChannelType" enum. Did you mean the enum value "OPENAI"?`,
      'Variable "$input" got an invalid value at "input.type": The value does not exist in "ChannelType" enum.',
    ],
    [
      'Variable "$input" got invalid value 5 at "input.headers[0].value"; String cannot represent a non string value: 5',
      'Variable "$input" got an invalid value at "input.headers[0].value": String cannot represent a non string value.',
    ],
    [
      `Variable "$input" got invalid value "${SECRET}"; Something new: "${SECRET}"`,
      'Variable "$input" got an invalid value.',
    ],
    [`String cannot represent a non string value: ["${SECRET}"]`, 'String cannot represent a non string value.'],
  ])('keeps where and why of %j, never the value', (message, expected) => {
    expect(redactInputValues(message)).toBe(expected);
  });

  it('leaves messages without input values alone', () => {
    const message = 'Field "CreateChannelInput.baseUrl" of required type "String!" was not provided.';
    expect(redactInputValues(message)).toBe(message);
    expect(redactInputValues('baseUrl: must be an http(s) URL')).toBe('baseUrl: must be an http(s) URL');
  });
});
