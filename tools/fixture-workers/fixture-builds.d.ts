/** Typings of fixture-builds.js (plain CommonJS so that `npm run fixtures` runs before anything is compiled). */
export declare const RUST_FIXTURES: readonly ['rust-sdk-0-11', 'rust-sdk-0-25', 'rust-sdk-0-26'];
export declare const PYTHON_FIXTURES: readonly ['python-sdk-0-11', 'python-sdk-0-25'];
export type RustFixtureName = (typeof RUST_FIXTURES)[number];
export type PythonFixtureName = (typeof PYTHON_FIXTURES)[number];
/** The shared cargo target folder (outside the clone, keyed by the Cargo.lock hash). */
export declare function rustTargetDir(): string;
/** The dev-profile binary `npm run fixtures` built. */
export declare function rustFixtureBinary(name: RustFixtureName): string;
/** The interpreter of the fixture's `.venv`. */
export declare function pythonFixturePython(name: PythonFixtureName): string;
export declare function prepareFixtures(): void;
