// @casl/ability declares its types under "exports" only, which the workspace's moduleResolution
// "node" does not read (it finds the untyped CommonJS file): point the package name at them.
declare module '@casl/ability' {
  export * from '@casl/ability/dist/types/index';
}
