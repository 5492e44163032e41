/** The package's version (one definition: src/package-version.ts). */
export { VERSION } from '../package-version.js';
