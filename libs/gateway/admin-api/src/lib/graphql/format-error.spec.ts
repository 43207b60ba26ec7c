import { adminApiErrorFormatter } from './format-error';

describe(adminApiErrorFormatter.name, () => {
  const validation = (message: string) => ({ message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });

  it('drops the names graphql-js suggests when asked to, in every message', () => {
    const format = adminApiErrorFormatter({ hideSuggestions: true });
    expect(format(validation('Cannot query field "emial" on type "User". Did you mean "email"?'), undefined)).toEqual(
      validation('Cannot query field "emial" on type "User".'),
    );
    expect(
      format(
        {
          message:
            'Variable "$input" got invalid value { strategie: "x" }; Field "strategie" is not defined by type "RouteInput". Did you mean "strategy"?',
          extensions: { code: 'BAD_USER_INPUT' },
        },
        undefined,
      ).message,
    ).toBe('Variable "$input" got an invalid value: Field "strategie" is not defined by type "RouteInput".');
  });

  it('keeps them otherwise (development)', () => {
    const format = adminApiErrorFormatter({ hideSuggestions: false });
    const message = 'Cannot query field "emial" on type "User". Did you mean "email"?';
    expect(format(validation(message), undefined).message).toBe(message);
  });
});
