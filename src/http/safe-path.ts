/** Only same-site paths are followed after a redirect (no open redirect to //evil or /\evil). */
export function safeLocalPath(next: string | undefined, fallback: string): string {
  return next && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : fallback;
}
