#!/usr/bin/env node
// Entry point of the `tongxing` command: checks the Node.js version, installs the JSX hook, then
// hands over to the CLI. Everything it imports comes after the check (dynamic imports), because
// the code below needs Node.js 24 (type stripping, module.registerHooks) and an older Node would
// otherwise stop with a SyntaxError about a missing export instead of saying what is wrong.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `Tongxing needs Node.js 24 or newer (this is ${process.versions.node}); run it with npm start / npx tongxing, which use the project's own Node (node_modules/.bin/node).`,
  );
  process.exit(1);
}
// V8's compile cache (in the OS temp directory) makes every start after the first load the code faster.
(await import('node:module')).enableCompileCache?.();
await import('../src/loader/register.js');
const { runCli } = await import('../src/cli/index.ts');
process.exitCode = await runCli(process.argv.slice(2));
