#!/usr/bin/env node
/**
 * The installed `gradcheck` executable. It always runs the program: npm links the bin under any name
 * (a `gradcheck` symlink, `npx`, a global install, a Windows `.cmd` shim), so this file must not guess
 * from `process.argv[1]` whether it was invoked directly.
 */
import { main } from './main.js';

// A reader that goes away early (`gradcheck check --help | head -1`) is not gradcheck's error: what
// is left to write to that stream is dropped, without a stack trace, and the exit code stays the
// run's own (2 for a usage error, whether or not anyone reads it).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
