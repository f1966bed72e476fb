// A PDF letter's pages as images, drawn on the server when the letter arrives and sealed like the
// letter: staff look at these and never at the PDF. One row per page; a letter sent before this
// has none, and the console says so instead of opening the PDF.
import type { Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table enterprise_letter_pages (
      request_id uuid not null references enterprise_requests (id) on delete cascade,
      page_number integer not null check (page_number >= 1),
      key_id text not null,
      cipher bytea not null,
      primary key (request_id, page_number)
    )
  `,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await runStatements(db, `drop table enterprise_letter_pages`);
}
