// Route parameters the console accepts: ids are UUIDs; anything else is "not found" before any SQL.
import { AppError } from '../lib/errors.ts';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function uuidParam(value: string): string {
  if (!UUID.test(value)) throw new AppError('console.not_found', { status: 404 });
  return value;
}
