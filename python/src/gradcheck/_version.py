"""The package's version: always the npm package's version (package.json), which
scripts/build-wheel.mjs writes into the wheel and test/python/package.test.ts holds this file to."""

__version__ = "0.1.0"
