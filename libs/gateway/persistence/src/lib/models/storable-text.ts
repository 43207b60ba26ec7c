/**
 * The text with each NUL character (U+0000) replaced by U+FFFD. PostgreSQL's text refuses NUL, and
 * a caller or an upstream chooses some of what the log keeps (a model name, an error, a body): a
 * NUL there failed the row, and the call went out of the log and its cost out of the budgets.
 * Both stores keep the same text.
 */
export function withoutNul<T extends string | null | undefined>(text: T): T {
  return typeof text === 'string' && text.includes('\u0000') ? (text.replaceAll('\u0000', '\ufffd') as T) : text;
}
