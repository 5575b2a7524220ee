import module from 'node:module';

/**
 * Loaded before each test file by scripts/test.sh (`node --import`): Node keeps the type-stripped,
 * compiled modules in its cache folder (NODE_COMPILE_CACHE, else the OS temp folder), so each of
 * the test files after the first skips parsing the modules they share.
 */
module.enableCompileCache();
