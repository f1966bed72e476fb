// The architecture check of `npm test` (docs/architecture.md): dependency-cruiser checks the
// file-level rules (.dependency-cruiser.cjs); this script checks what it cannot see:
//   1. modules import only modules before them in MODULE_ORDER (so no two import each other);
//   2. SQL (Kysely builders, sql`…`, COPY) appears only in queries files, db/ and migrations;
//   3. a table is written only by the module that owns it (src/db/table-owners.ts).
// Exits 1 with every violation listed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { TABLE_OWNERS } from '../src/db/table-owners.ts';

/** Foundation first, the composition root last. A module may import only modules listed before it. */
export const MODULE_ORDER = [
  'i18n',
  'lib',
  'config',
  'db',
  'audit',
  'security',
  'captcha',
  'verification',
  'sessions',
  'views',
  'http',
  'metrics',
  'help',
  'consent',
  'notifications',
  'identity',
  'records',
  'sso',
  'passkeys',
  'mfa',
  'accounts',
  'cas',
  'inbox',
  'contacts',
  'registration',
  'recovery',
  'social',
  'resolution',
  'enterprise',
  'guidance',
  'support',
  'privacy-export',
  'leaving',
  'admin',
  'maintenance',
  'services',
  'app',
  'main',
  'cli',
  'loader',
] as const;

const root = join(import.meta.dirname, '..');
const src = join(root, 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.(ts|tsx|js)$/.test(name) ? [path] : [];
  });
}

/** src/accounts/x.ts → accounts; src/app.ts → app. */
const moduleOf = (path: string) => {
  const parts = relative(src, path).split('/');
  return parts.length === 1 ? parts[0]!.replace(/\.(ts|tsx|js)$/, '') : parts[0]!;
};

const problems: string[] = [];
const rank = new Map<string, number>(MODULE_ORDER.map((m, i) => [m, i]));
const sqlAllowed = (rel: string) => /(^|[/-])queries\.ts$/.test(rel) || rel.startsWith('src/db/');
const SQL = /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(|\bsql`|\bsql<|`\s*copy\s/i;
const WRITE = /\.(insertInto|updateTable|deleteFrom|mergeInto)\(\s*'([a-z_]+)'/g;
const RAW_WRITE = /\b(insert\s+into|update|delete\s+from|copy)\s+([a-z_]+)\b/gi;

for (const file of files(src)) {
  const rel = relative(root, file);
  const text = readFileSync(file, 'utf8');
  const own = moduleOf(file);
  if (!rank.has(own)) problems.push(`${rel}: module "${own}" is not in MODULE_ORDER (scripts/check-architecture.ts)`);

  for (const match of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
    const target = normalize(join(dirname(file), match[1]!));
    if (!target.startsWith(src)) continue;
    const other = moduleOf(target);
    if (other === own) continue;
    if ((rank.get(other) ?? Infinity) >= (rank.get(own) ?? -1))
      problems.push(`${rel}: ${own} may not import ${other} (${match[1]}): it comes later in MODULE_ORDER`);
  }

  if (rel.startsWith('src/db/migrations/')) continue;
  if (SQL.test(text) && !sqlAllowed(rel)) problems.push(`${rel}: SQL belongs in a queries file (queries.ts or *-queries.ts)`);
  const owners = TABLE_OWNERS as Record<string, string>;
  for (const match of text.matchAll(WRITE)) {
    const owner = owners[match[2]!];
    if (owner !== own) problems.push(`${rel}: writes table ${match[2]}, which ${owner ?? 'no module'} owns (src/db/table-owners.ts)`);
  }
  // Raw statements are written in template strings (sql`…`, COPY text); comments are not looked at.
  for (const template of text.matchAll(/`[^`]*`/g)) {
    for (const match of template[0].matchAll(RAW_WRITE)) {
      const table = match[2]!.toLowerCase();
      const owner = owners[table];
      if (owner && owner !== own) problems.push(`${rel}: writes table ${table} in raw SQL, which ${owner} owns (src/db/table-owners.ts)`);
    }
  }
}

if (problems.length) {
  console.error(`architecture check: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('architecture check: modules in order, SQL in queries files, each table written by its owner');
