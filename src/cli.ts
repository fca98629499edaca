#!/usr/bin/env node
// The package's bin (dist/cli.js, also the Docker entrypoint). The command line itself is in cli/.
import { runCli } from './cli/main.js';

runCli(process.argv.slice(2));
