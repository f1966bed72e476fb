/**
 * Only same-site paths are followed after a redirect (no open redirect to //evil or /\evil).
 * `next` comes from a query or form, where a repeated field arrives as an array: only a string is
 * a path (an array would be joined with commas, and could smuggle a second path past the test).
 */
export function safeLocalPath(next: unknown, fallback: string): string {
  return typeof next === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : fallback;
}
