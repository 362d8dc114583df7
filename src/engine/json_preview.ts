// A value from a user's file or request, shown in an error message: its JSON, cut short. JSON
// from a file can nest deeper than JSON.stringify can recurse (JSON.parse has no such limit),
// and the message about it must not become a stack overflow.

export function jsonPreview(v: unknown, max = 60): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(v);
  } catch {
    return Array.isArray(v) ? 'a deeply nested array' : 'a deeply nested object';
  }
  if (text === undefined) return String(v);
  return text.length > max ? `${text.slice(0, max)}...` : text;
}
