// What a database error means for the caller, whichever server raised it.

/** A unique constraint refused the write: someone else took the value first. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/** A foreign key refused the write: the row it points at is gone (deleted meanwhile). */
export function isForeignKeyViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23503';
}
