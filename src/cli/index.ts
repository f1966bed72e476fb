// `tongxing <command>`: every operator command, one file each in this folder. Exit codes: 0 ok,
// 1 failure, 2 usage (3: records imported with rejected lines). Each command loads only what it
// needs (dynamic imports): `help` answers at once, and `serve` says it is starting before it loads
// the whole service.
import { ConfigError, loadConfig } from '../config.ts';
import { DataDirLockedError } from '../db/data-dir-lock.ts';

const USAGE = `用法 / usage: tongxing <command>

  serve     start the service (default)
  migrate   apply database migrations and exit
  records import FILE.csv [--rejected REPORT.csv]
            import student-status (学籍) and degree (学历) records; columns:
            kind,school,number,year,level,name,id_type,id_number. Re-importing a
            file updates its rows. Exit 3 when some lines were rejected (listed
            in FILE.csv.rejected.csv).
  admin create --username U --name N --roles reviewer,support,records,admin
            make a staff account for the console (/console); prints its first
            password once. admin list | admin reset-totp U --reason TEXT
  review list | claim ID | photos ID --out DIR | approve ID | reject ID --reason R
            work the ID-photo review queue (each with --staff NAME; audited)
  client add --name N --redirect-uri U … | client list
            register a platform for single sign-on (prints its secret once)
  sso rotate-key [--retire-older-than DAYS]
            add an ID-token signing key (signs on every node within 30 s)
  keys rotate
            re-encrypt everything sealed under an older key (ID numbers, ID photos,
            enterprise letters, staff TOTP secrets, platform secrets, SSO signing keys) with the active key
            (the first of ID_ENCRYPTION_KEYS); run after putting a new key first
  backup FILE.tar.gz
            embedded storage only: the data directory as a gzip tarball (stop the
            service first; PostgreSQL: pg_dump)
  restore FILE.tar.gz
            embedded storage only: a backup into an empty DATA_DIR
  help      this text

Configuration comes from environment variables; see README.md.`;

export async function runCli(args: string[]): Promise<number> {
  const command = args[0] ?? 'serve';
  try {
    switch (command) {
      case 'serve':
        return await runServe();
      case 'migrate':
        return await runMigrate();
      case 'keys':
        if (args[1] === 'rotate') return await runRotateKeys();
        console.error(`unknown keys command: ${args[1] ?? ''}\n\n${USAGE}`);
        return 2;
      case 'records':
        if (args[1] === 'import') return await (await import('./records.ts')).runRecordsImport(loadConfig(), args.slice(2));
        console.error(`unknown records command: ${args[1] ?? ''}\n\n${USAGE}`);
        return 2;
      case 'admin':
        return await (await import('./admin.ts')).runAdminCli(loadConfig(), args.slice(1));
      case 'review':
        return await (await import('./review.ts')).runReviewCli(loadConfig(), args.slice(1));
      case 'client':
        return await (await import('./clients.ts')).runClientCli(loadConfig(), args.slice(1));
      case 'sso':
        return await (await import('./clients.ts')).runSsoCli(loadConfig(), args.slice(1));
      case 'backup':
        return await (await import('./backup.ts')).runBackup(loadConfig(), args.slice(1));
      case 'restore':
        return await (await import('./backup.ts')).runRestore(loadConfig(), args.slice(1));
      case 'help':
      case '--help':
      case '-h':
        console.log(USAGE);
        return 0;
      default:
        console.error(`unknown command: ${command}\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DataDirLockedError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

async function runMigrate(): Promise<number> {
  const config = loadConfig();
  const [{ openDatabase }, { migrateOpened }] = await Promise.all([import('../db/open.ts'), import('../db/migrate.ts')]);
  const opened = await openDatabase(config);
  try {
    const applied = await migrateOpened(opened);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    return 0;
  } finally {
    await opened.close();
  }
}

async function runRotateKeys(): Promise<number> {
  const config = loadConfig();
  const [{ withDatabase }, { keyringFromSecret, loadMasterSecret }, { rotateSealedData }] = await Promise.all([
    import('./context.ts'),
    import('../lib/keyring.ts'),
    import('../maintenance/rotate-keys.ts'),
  ]);
  // Rotation never makes a secret: it re-seals what the existing one (and the keys) sealed.
  return withDatabase(config, async (db) => {
    const secret = loadMasterSecret({ secretKey: config.secretKey, dataDir: config.dataDir, generate: false });
    const { idKeys } = keyringFromSecret(secret, config.idKeys);
    const rotated = await rotateSealedData({ db, keys: idKeys });
    console.log(
      `re-encrypted ${rotated.idNumbers} ID numbers, ${rotated.photos} ID photos, ${rotated.letters} enterprise letters, ${rotated.staffSecrets} staff TOTP secrets, ${rotated.platformSecrets} platform secrets and ${rotated.signingKeys} signing keys with key ${idKeys.activeKeyId}`,
    );
    return 0;
  });
}

async function runServe(): Promise<number> {
  loadConfig(); // a wrong setting is named before anything is loaded
  console.error('Tongxing: starting (loading the service; the first start also creates the database)…');
  const { serve } = await import('../main.ts');
  const { url, stop } = await serve();
  console.log(`Tongxing listening on ${url}`);
  await new Promise<void>((resolve) => {
    const onSignal = (signal: string) => {
      console.log(`${signal}: shutting down`);
      stop().then(resolve, (error: unknown) => {
        console.error(error);
        resolve();
      });
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
  // Everything is closed; a socket a relay still holds open (a hung SMTP server before its
  // timeout) must not keep the process past its stop: an orchestrator waits about 10 s.
  setTimeout(() => process.exit(process.exitCode ?? 0), 1_000).unref();
  return 0;
}
