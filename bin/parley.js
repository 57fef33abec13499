#!/usr/bin/env node
// The `parley` command: `npx parley …` from a checkout after `npm ci` (which builds dist/).
import { runCli } from "../dist/server/src/cli.js";

process.exitCode = await runCli(process.argv.slice(2));
