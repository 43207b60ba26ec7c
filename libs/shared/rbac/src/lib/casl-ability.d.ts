// @casl/ability declares its types under "exports" only, which the workspace's moduleResolution
// "node" does not read (it finds the untyped CommonJS file): point the package name at them. The
// subpath is mapped to its file in tsconfig.base.json, so that the console's "bundler" resolution,
// which refuses subpaths outside "exports", finds it too.
declare module '@casl/ability' {
  export * from '@casl/ability/dist/types/index';
}
