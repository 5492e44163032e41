/**
 * The installed `gradcheck` executable. It always runs the program: npm links the bin under any name
 * (a `gradcheck` symlink, `npx`, a global install, a Windows `.cmd` shim), so this file must not guess
 * from `process.argv[1]` whether it was invoked directly.
 */
import { main } from './main.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
