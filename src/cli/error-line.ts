/**
 * The one form of every error the CLI prints: `gradcheck: <message>`. Messages that arrive with a
 * prefix of their own (commander's `error:`, an older `ERROR:`) lose it, so none is printed twice.
 */
export function errorLine(message: string): string {
  return `gradcheck: ${message.replace(/^(error|ERROR|gradcheck):\s*/, '')}`;
}
