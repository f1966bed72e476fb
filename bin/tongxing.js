#!/usr/bin/env node
// Entry point of the `tongxing` command: installs the JSX hook, then hands over to the CLI.
import '../src/loader/register.js';
const { runCli } = await import('../src/cli/index.ts');
process.exitCode = await runCli(process.argv.slice(2));
