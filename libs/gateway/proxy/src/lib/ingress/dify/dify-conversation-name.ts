/** A title from the first query, as Dify's auto-generated names read (the gateway asks no model for one). */
export function conversationName(query: string): string {
  const line = query.trim().split('\n')[0] ?? '';
  return line.length > 40 ? `${line.slice(0, 39)}…` : line || 'New conversation';
}
